"""Peak memory with a 25 MB attachment (issue #9: peak RSS under 64 MiB in every run).

The real daemon (`cvdbot run`) fetches one report with a 25 MiB attachment (34 MB of
base64) from the real IMAP server, stores it and processes it. Its peak RSS (VmHWM, which no load
on the machine changes: this is not a timed test) may grow over what it was before the message
by at most MAX_GROWTH times the message's size. Before the fix it grew by about 2.9 times
(bench/run.sh: 122.7 MiB at the peak against about 21 MiB without the message):
a fetch buffer grown by doubling (64 MiB), the bytes read back from the store, sqlite's copies of
the bound blob, and the decoded attachment, all at once. Now about one copy of the raw message
is held; 1.6 leaves room for allocator slack and a different libc without letting any of those
copies back in (each adds 0.75 to 2 times the message). Checked: with intake decoding the
attachment again (parse_message instead of parse_message_deferred) the growth is 1.84 times and
this test fails.

Nothing may be lost for it: the stored raw bytes are the server's exactly, and the report is
processed and acknowledged as any other.
"""

import base64
import hashlib
import os
import sqlite3
import unittest

from mailtest import DOMAIN, DaemonTestCase, addr, append_raw, wait_count, wait_for

MEGABYTES = 25
MAX_GROWTH = 1.6


def big_report(megabytes):
    # A capture as tcpdump writes it: the pcap file header (magic a1b2c3d4, little-endian),
    # then packets (random bytes here). Random bytes from the first byte on would look like an
    # OpenPGP packet about one time in five, and be decoded whole and handed to gpg (see
    # BENCHMARKS.md): that case is not this test's, and the test must not pass by chance.
    pcap_header = bytes.fromhex("d4c3b2a1020004000000000000000000ffff000001000000")
    blob = pcap_header + os.urandom((megabytes << 20) - len(pcap_header))
    encoded = base64.encodebytes(blob).replace(b"\n", b"\r\n")
    head = (
        f"From: Big Tester <{addr('discoverer')}>\r\n"
        f"To: {addr('bot')}\r\n"
        f"Subject: Vulnerability report with a {megabytes} MB capture\r\n"
        "Date: Wed, 25 Nov 2026 10:00:00 +0000\r\n"
        f"Message-ID: <big-capture@{DOMAIN}>\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/mixed; boundary="b1"\r\n\r\n'
        "--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        "Product: Example Server 2.4\r\nThere is a buffer overflow in the parser; capture attached.\r\n"
        "\r\n--b1\r\nContent-Type: application/octet-stream\r\n"
        'Content-Disposition: attachment; filename="capture.pcap"\r\n'
        "Content-Transfer-Encoding: base64\r\n\r\n"
    ).encode()
    return head + encoded + b"\r\n--b1--\r\n"


def vm_hwm_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    raise AssertionError(f"no VmHWM for {pid}")


class Memory(DaemonTestCase):
    # The daemon's own high-water mark (/proc/PID/status VmHWM, as bench/run.sh reads it) while it
    # still runs: ru_maxrss of a finished `run --once` also counts its gpg children, each of
    # which starts as a fork of the daemon and so with its resident size.
    def count(self, sql):
        try:
            return self.query(sql)[0][0]
        except sqlite3.OperationalError:  # the daemon has not made its tables yet
            return 0

    def test_a_25_mb_attachment_costs_about_one_copy_of_the_message(self):
        self.start()
        wait_for(lambda: self.count("SELECT count(*) FROM mailbox_state"), 30, "the first poll")
        baseline = vm_hwm_kib(self.proc.pid)
        raw = big_report(MEGABYTES)
        append_raw("bot", raw)
        wait_for(lambda: self.count("SELECT count(*) FROM messages WHERE direction = 'inbound' AND "
                                    "status <> 'pending'"), 120, "the report processed")
        wait_count("discoverer", 1, timeout=60)  # the acknowledgment: the whole cycle is done
        peak = vm_hwm_kib(self.proc.pid)
        self.stop()
        growth = (peak - baseline) * 1024
        print(f"peak RSS {peak / 1024:.1f} MiB, before the message {baseline / 1024:.1f} MiB, "
              f"growth {growth / len(raw):.2f} x the message ({len(raw) / 1e6:.1f} MB)")
        self.assertLess(growth, MAX_GROWTH * len(raw),
                        f"peak RSS {peak} KiB against {baseline} KiB before; message {len(raw)} bytes")

        # Nothing lost: stored exactly, processed (and answered, above).
        rows = self.db("SELECT m.status, r.bytes FROM messages m JOIN raw_messages r ON r.message_id = m.id "
                       "WHERE m.direction = 'inbound'")
        self.assertEqual(len(rows), 1, self.log())
        status, stored = rows[0]
        self.assertEqual(status, "processed", self.log())
        self.assertEqual(hashlib.sha256(stored).hexdigest(), hashlib.sha256(raw).hexdigest())
        self.assertEqual(self.db("SELECT count(*) FROM cases")[0][0], 1)


if __name__ == "__main__":
    unittest.main()
