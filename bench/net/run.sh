#!/usr/bin/env bash
# Poll cost on a 100,000-message mailbox and IMAP IDLE latency, on a throwaway mail stack.
#   bench/net/run.sh [BUILD_DIR]     (default build/rel; needs root, like contrib/mailstack.sh)
# BENCH_MESSAGES (default 100000) and MAILSTACK_PORT_BASE (default 15500) can be set.
set -euo pipefail
src=$(cd -- "$(dirname -- "$0")/../.." && pwd)
build=${1:-$src/build/rel}
count=${BENCH_MESSAGES:-100000}
[[ -x $build/bench/net/poll_bench ]] || { echo "build poll_bench in $build first" >&2; exit 1; }
export MAILSTACK_PORT_BASE=${MAILSTACK_PORT_BASE:-15500}
dir=$(mktemp -d /tmp/pollbench.XXXXXX)
trap '"$src/contrib/mailstack.sh" stop "$dir" || true; rm -rf -- "$dir"' EXIT
"$src/contrib/mailstack.sh" start "$dir" >/dev/null

# Already-processed mail (\Seen), written straight into the Maildir: delivering 100,000
# messages through Postfix would take far longer than the measurement.
home=$dir/mail/coordinator
python3 - "$home/Maildir" "$count" <<'PY'
import os, sys, time
root, count = sys.argv[1], int(sys.argv[2])
for sub in ("cur", "new", "tmp"):
    os.makedirs(os.path.join(root, sub), exist_ok=True)
now = int(time.time()) - 86400
for i in range(count):
    body = (f"From: Discoverer {i} <d{i}@example.test>\r\nTo: coordinator@example.test\r\n"
            f"Subject: old report {i}\r\nMessage-ID: <old-{i}@example.test>\r\n"
            f"Date: Wed, 25 Nov 2026 10:00:00 +0000\r\n\r\n" + "An old report line.\r\n" * 20)
    name = f"{now + i // 100}.M{i}P1.bench,S={len(body)}:2,S"
    with open(os.path.join(root, "cur", name), "w", newline="") as f:
        f.write(body)
PY
chown -R nobody:nogroup "$home/Maildir"
start=$(date +%s.%N)
"$build/bench/net/poll_bench" "$dir/env" coordinator "${BENCH_ROUNDS:-30}"
echo "(total $(echo "$(date +%s.%N) - $start" | bc) s, including Dovecot's first index of the mailbox)"
