"""The daemon killed with SIGKILL at random moments loses nothing and does nothing twice
(see crash_test.py for what is checked and how to run the full version)."""

import os
import subprocess
import time
import unittest

from crash_test import CrashRun, print_figures
from mailtest import CvdbotTestCase, addr


class Crash(CvdbotTestCase):
    def setUp(self):
        super().setUp()
        with open(self.config, "a") as f:
            f.write(f'[coordinators]\naddresses = ["{addr("coordinator")}"]\n')
        # Two reporters send every report here: every one must be acknowledged.
        rules = os.path.join(self.work, "rules", "workflow.toml")
        with open(rules) as f:
            text = f.read().replace("replies_per_sender = 10", "replies_per_sender = 1000")
        with open(rules, "w") as f:
            f.write(text.replace("replies_per_case = 20", "replies_per_case = 1000"))

    def tearDown(self):
        gnupg = os.path.join(self.work, "gnupg")
        subprocess.run(["gpgconf", "--homedir", gnupg, "--kill", "gpg-agent"], capture_output=True)
        super().tearDown()

    def test_sigkill_at_random_moments_loses_nothing_and_repeats_nothing(self):
        n = int(os.environ.get("CRASH_MESSAGES", "100"))
        k = int(os.environ.get("CRASH_KILLS", "10"))
        seed = int(os.environ.get("CRASH_SEED", str(int(time.time()))))
        run = CrashRun(self.config, self.db_path, os.path.join(self.work, "cvdbot.log"), n, k, seed)
        started = time.monotonic()
        try:
            self.assertEqual(run.run(), 0)
        finally:
            if run.proc and run.proc.poll() is None:
                run.proc.kill()
                run.proc.wait()
        f = run.figures()
        print_figures(f)
        print(f"elapsed {time.monotonic() - started:.1f} s")
        self.assertEqual(f["kills"], k)
        self.assertEqual(f["integrity"], "ok")
        self.assertEqual(f["messages_in"], n)
        self.assertEqual(f["processed"], n, f["statuses"])
        self.assertEqual(f["inbound_duplicates"], 0)
        self.assertEqual(f["lost_inbound"], [])
        self.assertEqual(f["not_processed"], [])
        self.assertEqual(f["unaudited"], [])
        self.assertEqual(f.get("outbox_not_sent", []), [])
        self.assertEqual(f["outgoing_lost"], [])
        self.assertEqual(f["outgoing_unexpected"], [])
        self.assertEqual(f["outgoing_twice_queued"], [])
        self.assertEqual(f["outgoing_arrived"], f["outgoing_expected"])
        self.assertEqual(f["reports_unanswered"], [])
        # Duplicates share a Message-ID by construction (counted per Message-ID above); only
        # a kill between SMTP acceptance and the commit can make one, at most one per kill.
        self.assertLessEqual(f["outgoing_duplicated"], k)
        self.assertEqual(f["reports_answered_twice"], [])


if __name__ == "__main__":
    unittest.main()
