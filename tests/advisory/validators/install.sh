#!/usr/bin/env bash
# Installs the pinned validators from the npm registry into DIR (once; re-runs are quick).
# Usage: install.sh DIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dir=$1
mkdir -p "$dir"
if ! command -v npm >/dev/null; then
    echo "advisory validators: npm is missing (contrib/install-deps.sh installs nodejs and npm)" >&2
    exit 1
fi
if cmp -s "$here/package.json" "$dir/package.json" && [[ -d $dir/node_modules/@secvisogram ]]; then
    exit 0
fi
cp "$here/package.json" "$dir/package.json"
cd "$dir"
npm install --no-audit --no-fund --no-package-lock --loglevel=error
