#!/usr/bin/env bash
# cvdbot performance benchmark (issue #9), one command, as root on Debian 12:
#
#   bench/run.sh
#
# Builds cvdbot RelWithDebInfo into build/bench, starts its own mail stack (contrib/mailstack.sh
# in BENCH_DIR, ports MAILSTACK_PORT_BASE + 25/143/24) with a throwaway GNUPGHOME and database,
# then measures catch-up, the standard tools' limits, poll cost, latency, memory and store lookups
# and prints one table (also written to BENCH_DIR/table.md).
#
# Overrides: BENCH_PLAIN (2000) BENCH_PGP (500) BENCH_LATENCY (50) BENCH_MAILBOX (100000)
# BENCH_STORE (1000000) BENCH_BIG_MB (25) BENCH_STEPS (catchup,limits,memory,latency,poll,store)
# BENCH_DIR (/tmp/cvdbench) MAILSTACK_PORT_BASE (17000) BENCH_SKIP_BUILD=1 BENCH_KEEP=1 (keep
# the stack and files afterwards) BENCH_ROUNDS (3: rounds of the catch-ups and their limits)
# BENCH_DELIVER=1 (deliver the catch-ups' replies into Dovecot, as before session 10).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=${BENCH_DIR:-/tmp/cvdbench}
build=$root/build/bench
export MAILSTACK_PORT_BASE=${MAILSTACK_PORT_BASE:-17000}

[[ $EUID -eq 0 ]] || { echo "bench/run.sh: run as root (the mail stack needs it)" >&2; exit 1; }

if [[ ${BENCH_SKIP_BUILD:-0} != 1 ]]; then
    "$root/contrib/install-deps.sh"
    "$root/contrib/mailstack.sh" install
    cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCVDBOT_TESTS=OFF >/dev/null
    cmake --build "$build" -j "$(nproc)" --target cvdbot store_bench smtp_bench
fi
for tool in curl gpg smtp-source sqlite3; do
    command -v "$tool" >/dev/null || [[ -x /usr/sbin/$tool ]] || { echo "bench/run.sh: $tool missing" >&2; exit 1; }
done
export PATH=$PATH:/usr/sbin

stop_all() {
    local home
    for home in "$work/g" "$work/d"; do
        [[ -d $home ]] && GNUPGHOME=$home gpgconf --kill gpg-agent 2>/dev/null || true
    done
    "$root/contrib/mailstack.sh" stop "$work/stack" >/dev/null 2>&1 || true
    [[ ${BENCH_KEEP:-0} == 1 ]] || rm -rf -- "$work"
}

fresh_stack() {
    "$root/contrib/mailstack.sh" stop "$work/stack" >/dev/null 2>&1 || true
    rm -rf -- "$work"
    mkdir -p "$work"
    chmod 755 "$work"
    "$root/contrib/mailstack.sh" start "$work/stack"
    [[ ${BENCH_DELIVER:-0} == 1 ]] || discard_catch_up_replies "$work/stack/postfix/etc"
}

# Postfix accepts the catch-ups' replies (and the limits' messages, all to discoverer@) and then
# discards them: delivering them through LMTP into a Maildir cost Dovecot and Postfix about
# 30 ms of CPU per message on this kind of VM, a load that no real deployment has (replies go to
# remote servers) and that took CPU from whatever was being measured. The latency step's
# replies (discoverer2@) are still delivered: it watches them arrive.
discard_catch_up_replies() {
    local conf=$1
    printf 'discoverer@example.test discard:benchmark replies are not kept\n' \
        >"$conf/bench_transport"
    postconf -c "$conf" -e "transport_maps = texthash:$conf/bench_transport"
    # Postfix skips configuration whose mtime is not yet in the past (see mailstack.sh).
    touch -d '-1 minute' "$conf/main.cf" "$conf/bench_transport"
    postfix -c "$conf" reload >/dev/null 2>&1
}
run_bench() {
    python3 "$root/bench/scripts/bench.py" --binary "$build/src/app/cvdbot" --root "$root" \
        --work "$work" --stack "$work/stack" --store-bench "$build/bench/store/store_bench" \
        --smtp-bench "$build/bench/net/smtp_bench" "$@"
}

trap stop_all EXIT
# The catch-ups and their limits vary by up to a fifth from run to run: BENCH_ROUNDS (3) rounds
# of them, each on a fresh stack, and the table ends with each figure's median and range.
rounds_dir=$build/rounds
rm -rf -- "$rounds_dir"
mkdir -p "$rounds_dir"
earlier=()
steps=${BENCH_STEPS:-catchup,limits,memory,latency,poll,store}
if [[ $steps == *catchup* && $steps == *limits* ]]; then
    for ((round = 1; round < ${BENCH_ROUNDS:-3}; round++)); do
        echo "bench: round $round of ${BENCH_ROUNDS:-3} (catch-up and limits)"
        fresh_stack
        BENCH_STEPS=catchup,limits run_bench --results "$rounds_dir/$round.json" >"$rounds_dir/$round.md"
        grep -E '^\| (catch-up|bot /)' "$rounds_dir/$round.md" || true
        earlier+=("$rounds_dir/$round.json")
    done
fi
fresh_stack
run_bench --results "$rounds_dir/last.json" ${earlier[@]:+--rounds "${earlier[@]}"} | tee "$work/table.md"
cp "$work/table.md" "$build/table.md"
