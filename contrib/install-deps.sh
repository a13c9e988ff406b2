#!/usr/bin/env bash
# Installs everything cvdbot needs to build, test and run on Debian 12 (as root).
# Skips apt entirely when every package is already installed, so re-runs are quick.
set -euo pipefail

PACKAGES=(
    build-essential cmake ninja-build pkg-config git ca-certificates
    libcurl4-openssl-dev libssl-dev zlib1g-dev libmimetic-dev libgpgme-dev libgpgmepp-dev gnupg
    libsqlite3-dev sqlite3 libspdlog-dev libfmt-dev catch2 nlohmann-json3-dev libmstch-dev
    libtomlplusplus-dev libcli11-dev libicu-dev
    python3 curl clang libclang-rt-14-dev
    dovecot-core dovecot-imapd dovecot-lmtpd postfix
)

missing=()
for pkg in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
# Node.js and npm run the advisory validators (CSAF, CVE schema). Debian's nodejs and npm
# go together; a machine that already has both (e.g. NodeSource's nodejs, which bundles npm
# and conflicts with Debian's npm package) keeps what it has.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    for pkg in nodejs npm; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
    done
fi
if [[ ${#missing[@]} -eq 0 ]]; then
    echo "install-deps: all ${#PACKAGES[@]} packages (and node, npm) already installed"
    exit 0
fi
if [[ $EUID -ne 0 ]]; then
    echo "install-deps: missing packages (${missing[*]}); run as root" >&2
    exit 1
fi
# Without this preseed, installing postfix stops to ask which mail system to configure.
echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
