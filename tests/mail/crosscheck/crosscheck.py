"""Reads the composer's output with Python's email package (an independent parser) and checks
that subject, display names, body and attachment names come back exactly.

usage: crosscheck.py COMPOSE_SAMPLES_BINARY WORK_DIR"""
import email
import email.policy
import json
import os
import subprocess
import sys


def main():
    binary, work = sys.argv[1], sys.argv[2]
    subprocess.run([binary, work], check=True)
    failures = 0
    for case in json.load(open(os.path.join(work, "expected.json"), encoding="utf-8")):
        raw = open(os.path.join(work, case["file"]), "rb").read()
        for line in raw.split(b"\r\n\r\n", 1)[0].split(b"\r\n"):
            if len(line) > 78:
                print(f"{case['file']}: header line of {len(line)} columns: {line[:60]!r}")
                failures += 1
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        checks = {
            "subject": str(msg["subject"]),
            "from_name": msg["from"].addresses[0].display_name,
            "to_name": msg["to"].addresses[0].display_name,
            "body": msg.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n"),
        }
        if case["attachment"]:
            names = [p.get_filename() for p in msg.iter_attachments()]
            checks["attachment"] = names[0] if names else None
        for key, got in checks.items():
            if got != case[key]:
                print(f"{case['file']}: {key}: expected {case[key]!r}, got {got!r}")
                failures += 1
        if msg["auto-submitted"] != "auto-replied":
            print(f"{case['file']}: Auto-Submitted missing")
            failures += 1
    print("crosscheck:", "ok" if failures == 0 else f"{failures} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
