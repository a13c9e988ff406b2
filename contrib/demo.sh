#!/usr/bin/env bash
# Try cvdbot on a fresh Debian 12 machine (as root): installs what is needed, builds,
# starts a local mail stack (Dovecot + Postfix on 127.0.0.1) and the cvdbot daemon with the
# default SQLite database (./cvdbot.db in demo/), mails it a sample report, and shows the
# new case and the acknowledgment that arrived in the discoverer's mailbox.
#
#   contrib/demo.sh         set up (or restart) and run the demo; the daemon keeps running
#   contrib/demo.sh stop    stop the daemon and the mail stack
# CVDBOT_BIN (an already built cvdbot: nothing is installed or built) and CVDBOT_DEMO_DIR (instead
# of demo/) let the test suite run the demo as it is.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
demo=${CVDBOT_DEMO_DIR:-$root/demo}
bin=${CVDBOT_BIN:-$root/build/release/src/app/cvdbot}
export MAILSTACK_PORT_BASE=${MAILSTACK_PORT_BASE:-10000}

stop_daemon() {
    if [[ -f $demo/cvdbot.pid ]]; then
        local pid
        pid=$(cat "$demo/cvdbot.pid")
        if kill -0 "$pid" 2>/dev/null; then
            kill -TERM "$pid"
            for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        fi
        rm -f "$demo/cvdbot.pid"
    fi
}

if [[ ${1:-} == stop ]]; then
    stop_daemon
    [[ -d $demo/mailstack ]] && contrib/mailstack.sh stop "$demo/mailstack"
    echo "demo stopped"
    exit 0
fi

if [[ -z ${CVDBOT_BIN:-} ]]; then
    contrib/install-deps.sh
    echo "=== building cvdbot"
    cmake -S "$root" -B build/release -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
    cmake --build build/release -j "$(nproc)" --target cvdbot
fi

stop_daemon
mkdir -p "$demo"
echo "=== starting the mail stack"
contrib/mailstack.sh start "$demo/mailstack"
# shellcheck disable=SC1091
source "$demo/mailstack/env"

cat >"$demo/cvdbot.toml" <<TOML
# Written by contrib/demo.sh. The database is the default ./cvdbot.db (in demo/).
[imap]
url = "$MAILSTACK_IMAP_URL"
user = "bot"
password = "$MAILSTACK_PASSWORD"
[smtp]
url = "$MAILSTACK_SMTP_URL"
[bot]
address = "bot@$MAILSTACK_DOMAIN"
name = "cvdbot demo"
[paths]
templates = "$root/templates"
rules = "$root/rules"
[daemon]
poll_interval_seconds = 2
TOML

echo "=== starting the daemon (log: demo/cvdbot.log)"
# The demo runs as root on a throwaway machine; a real installation uses contrib/cvdbot.service.
allow_root=()
[ "$(id -u)" = 0 ] && allow_root=(--allow-root)
(cd "$demo" && exec "$bin" --config cvdbot.toml run "${allow_root[@]}" >>cvdbot.log 2>&1) &
echo $! >"$demo/cvdbot.pid"

echo "=== mailing a sample report from discoverer@$MAILSTACK_DOMAIN to bot@$MAILSTACK_DOMAIN"
python3 - "$MAILSTACK_SMTP_PORT" "$MAILSTACK_DOMAIN" "$root/contrib/sample-report.txt" <<'PY'
import smtplib, sys
from email.message import EmailMessage
from email.utils import make_msgid, formatdate
port, domain, path = int(sys.argv[1]), sys.argv[2], sys.argv[3]
msg = EmailMessage()
msg["From"] = f"山田 太郎 <discoverer@{domain}>"
msg["To"] = f"bot@{domain}"
msg["Subject"] = "脆弱性関連情報の届出 / Vulnerability report: Example WebMail XSS"
msg["Date"] = formatdate(localtime=True)
msg["Message-ID"] = make_msgid(domain=domain)
msg.set_content(open(path, encoding="utf-8").read())
with smtplib.SMTP("127.0.0.1", port) as s:
    s.send_message(msg)
PY

echo "=== waiting for the acknowledgment in discoverer's mailbox"
python3 - "$MAILSTACK_IMAP_PORT" "$MAILSTACK_PASSWORD" <<'PY'
import email, email.policy, imaplib, sys, time
port, password = int(sys.argv[1]), sys.argv[2]
deadline = time.time() + 30
while True:
    conn = imaplib.IMAP4("127.0.0.1", port)
    conn.login("discoverer", password)
    conn.select("INBOX")
    typ, data = conn.search(None, "ALL")
    ids = data[0].split()
    if ids:
        typ, msg = conn.fetch(ids[-1], "(BODY.PEEK[])")
        ack = email.message_from_bytes(msg[0][1], policy=email.policy.default)
        print("-" * 72)
        for h in ("From", "To", "Reply-To", "Subject", "Date", "Message-ID", "In-Reply-To", "Auto-Submitted"):
            print(f"{h}: {ack[h]}")
        print()
        # The bot signs what it sends (multipart/signed): show the text part.
        text = next((p for p in ack.walk() if p.get_content_type() == "text/plain"), None)
        print(text.get_content() if text else f"({ack.get_content_type()}, no text part)")
        if ack.get_content_type() != "text/plain":
            print(f"[{ack.get_content_type()}: signed by the bot's OpenPGP key]")
        print("-" * 72)
        break
    conn.logout()
    if time.time() > deadline:
        sys.exit("no acknowledgment after 30 s: see demo/cvdbot.log")
    time.sleep(0.5)
PY

echo "=== cvdbot case list"
(cd "$demo" && "$bin" --config cvdbot.toml case list)
latest=$(cd "$demo" && "$bin" --config cvdbot.toml case list | awk 'NR > 1 {id = $1} END {print id}')
echo "=== cvdbot case show $latest"
(cd "$demo" && "$bin" --config cvdbot.toml case show "$latest")
cat <<MSG

The daemon keeps running (pid $(cat "$demo/cvdbot.pid"), log demo/cvdbot.log, database demo/cvdbot.db).
Mail more reports to bot@$MAILSTACK_DOMAIN on $MAILSTACK_SMTP_URL; read any mailbox over
$MAILSTACK_IMAP_URL (users: bot discoverer vendor operator coordinator, password $MAILSTACK_PASSWORD).
Stop everything with: contrib/demo.sh stop
MSG
