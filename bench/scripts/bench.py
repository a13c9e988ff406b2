#!/usr/bin/env python3
"""cvdbot performance benchmark (issue #9): catch-up, limits, poll cost, latency, memory.

Run by bench/run.sh, which builds cvdbot and starts the mail stack. Prints one table.
"""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
import phases  # noqa: E402
from stack import read_env  # noqa: E402


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--binary", required=True)
    p.add_argument("--root", required=True)
    p.add_argument("--work", required=True)
    p.add_argument("--stack", required=True)
    p.add_argument("--store-bench", required=True)
    p.add_argument("--smtp-bench", help="bench/net/smtp_bench: the SMTP client alone on the same replies")
    p.add_argument("--results", help="write this run's figures here (JSON), for the rounds")
    p.add_argument("--rounds", nargs="*", default=[],
                   help="figures of earlier rounds (JSON files), summarised with this run's")
    a = p.parse_args()
    n = lambda name, default: int(os.environ.get(name, default))  # noqa: E731
    counts = {
        "plain": n("BENCH_PLAIN", 2000), "pgp": n("BENCH_PGP", 500), "latency": n("BENCH_LATENCY", 50),
        "mailbox": n("BENCH_MAILBOX", 100000), "store": n("BENCH_STORE", 1000000),
        "big_mb": n("BENCH_BIG_MB", 25),
    }
    ctx = phases.Context(a.binary, a.root, a.work, read_env(os.path.join(a.stack, "env")), counts)
    ctx.load_note = phases.load_note()
    ctx.smtp_bench = a.smtp_bench
    rows = []
    steps = os.environ.get("BENCH_STEPS", "catchup,limits,memory,latency,poll,store").split(",")
    try:
        ctx.prepare()
        if "catchup" in steps:
            rows += phases.catch_up(ctx)
        if "limits" in steps:
            rows += phases.limits(ctx)
        if "memory" in steps:
            rows += phases.memory(ctx)
        if "latency" in steps:
            rows += phases.latency(ctx)
        if "poll" in steps:
            rows += phases.poll_cost(ctx)
        if "store" in steps:
            rows += phases.store(ctx, a.store_bench)
    finally:
        ctx.stop_daemon()
        figures = {k: v for k, v in ctx.results.items() if isinstance(v, float)}
        if a.results:
            with open(a.results, "w") as f:
                json.dump(figures, f)
        if a.rounds:
            earlier = []
            for path in a.rounds:
                with open(path) as f:
                    earlier.append(json.load(f))
            rows += phases.round_rows(earlier + [figures])
        phases.print_table(rows, ctx)


if __name__ == "__main__":
    main()
