"""The daemon with IMAP IDLE: new mail is handled within seconds even with a long poll interval,
a stop stays prompt, and a server without IDLE is polled instead."""

import os
import signal
import subprocess
import time
import unittest

from mailtest import CVDBOT, CvdbotTestCase, mailstack, report, send, wait_count, wait_for


class Idle(CvdbotTestCase):
    def start_daemon(self, poll_interval):
        with open(self.config) as f:
            text = f.read()
        with open(self.config, "w") as f:
            f.write(text.replace("poll_interval_seconds = 1", f"poll_interval_seconds = {poll_interval}"))
        self.log_path = os.path.join(self.work, "daemon.log")
        with open(self.log_path, "wb") as log:
            return subprocess.Popen([CVDBOT, "--config", self.config, "run"], stdout=log, stderr=log)

    def log(self):
        with open(self.log_path) as f:
            return f.read()

    def stop_daemon(self, proc):
        started = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=15)
        return time.monotonic() - started

    def test_a_report_is_acknowledged_within_seconds_despite_a_300_s_poll_interval(self):
        proc = self.start_daemon(300)
        try:
            wait_for(lambda: "IMAP IDLE" in self.log(), what="the daemon to start")
            # The first cycle (key generation, an empty fetch) is over and the daemon idles.
            time.sleep(2)
            sent = time.monotonic()
            send(report())
            wait_count("discoverer", 1, timeout=10)
            latency = time.monotonic() - sent
        finally:
            stop_seconds = self.stop_daemon(proc)
        print(f"\nIDLE: acknowledgment {latency:.2f} s after the report was sent; stopped in {stop_seconds:.2f} s")
        self.assertLess(latency, 5)
        self.assertLess(stop_seconds, 2)
        self.assertEqual(proc.returncode, 0)
        self.assertNotIn("does not offer IDLE", self.log())

    def test_a_server_without_idle_is_polled(self):
        mailstack("no-idle")
        try:
            proc = self.start_daemon(1)
            try:
                wait_for(lambda: "does not offer IDLE" in self.log(), what="the daemon to fall back to polling")
                send(report())
                wait_count("discoverer", 1, timeout=15)
            finally:
                self.stop_daemon(proc)
        finally:
            mailstack("idle")
        self.assertEqual(proc.returncode, 0)


if __name__ == "__main__":
    unittest.main()
