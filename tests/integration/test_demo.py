"""The README's first command: contrib/demo.sh starts a mail stack and the daemon, mails a sample
report and shows the acknowledgment and the new case. Run here with the build's cvdbot
(CVDBOT_BIN: nothing installed or built), in a directory and on ports of its own."""

import os
import shutil
import subprocess
import tempfile
import unittest

SOURCE = os.environ["CVDBOT_SOURCE_DIR"]
DEMO = os.path.join(SOURCE, "contrib", "demo.sh")


class Demo(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="cvdbot-demo-")
        # The mail stack's daemons run as other users: they must traverse into it.
        os.chmod(self.dir, 0o755)
        self.env = dict(os.environ, CVDBOT_DEMO_DIR=self.dir)

    def tearDown(self):
        subprocess.run([DEMO, "stop"], env=self.env, capture_output=True, timeout=60)
        shutil.rmtree(self.dir, ignore_errors=True)

    def test_the_demo_shows_the_acknowledgment_and_the_case(self):
        run = subprocess.run([DEMO], env=self.env, capture_output=True, text=True, timeout=240)
        self.assertEqual(run.returncode, 0, run.stdout + run.stderr)
        out = run.stdout
        self.assertIn("Subject: [CVD#2026-0001] 脆弱性関連情報の受付のお知らせ", out)
        # The acknowledgment's text is shown, not only its headers (it is signed: multipart/signed).
        self.assertIn("受付番号は CVD#2026-0001 です。", out)
        self.assertIn("signed by the bot's OpenPGP key", out)
        self.assertIn("=== cvdbot case show CVD#2026-0001", out)
        self.assertIn("State:    received", out)
        self.assertTrue(os.path.exists(os.path.join(self.dir, "cvdbot.db")))


if __name__ == "__main__":
    unittest.main()
