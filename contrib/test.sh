#!/usr/bin/env bash
# The whole test suite from a clean clone on Debian 12 (as root): installs what is needed,
# builds a normal and a sanitizer (ASan + UBSan) build, and runs every test in both,
# the integration tests against a real Dovecot + Postfix included.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
jobs=$(nproc)

contrib/install-deps.sh

run_build() {
    local dir=$1
    shift
    echo "=== build $dir ($*)"
    cmake -S "$root" -B "$dir" -G Ninja "$@"
    cmake --build "$dir" -j "$jobs"
    echo "=== test $dir"
    # Integration tests share one mail stack per build directory: run them one at a time.
    (cd "$dir" && ctest --output-on-failure -j "$jobs" -L unit)
    (cd "$dir" && ctest --output-on-failure -L integration)
}

run_build build/release -DCMAKE_BUILD_TYPE=RelWithDebInfo
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    run_build build/sanitize -DCMAKE_BUILD_TYPE=Debug -DCVDBOT_SANITIZE=ON
# The parsers of outside input under libFuzzer (clang), for a bounded time each.
echo "=== fuzz (clang, libFuzzer + ASan/UBSan)"
CC=clang CXX=clang++ cmake -S "$root" -B build/fuzz -G Ninja -DCMAKE_BUILD_TYPE=Debug \
    -DCVDBOT_SANITIZE=ON -DCVDBOT_FUZZ=ON -DCVDBOT_FUZZ_SECONDS="${CVDBOT_FUZZ_SECONDS:-30}"
cmake --build build/fuzz -j "$jobs" --target fuzz_parse_message fuzz_compose_roundtrip \
    fuzz_parse_report fuzz_parse_vendor_reply fuzz_parse_commands fuzz_parse_rules fuzz_read_message
(cd build/fuzz && ctest --output-on-failure -L fuzz)
echo "=== all tests passed"
