"""The database locked by another process, or its disk full: the daemon stops fetching, says so
in its log, stays up, and once the database can be written again processes every message that
arrived meanwhile exactly once (the mail waits unflagged on the IMAP server until then)."""

import os
import sqlite3
import subprocess
import time
import unittest

from mailtest import DaemonTestCase, fetch_all, imap, report, send, wait_count, wait_for

REPORTERS = ["discoverer", "discoverer2", "operator"]


class Storage(DaemonTestCase):
    def setUp(self):
        super().setUp()
        self.mount = None

    def tearDown(self):
        self.stop_daemon_and_agent()  # nothing may hold the file system before it is unmounted
        if self.mount:
            subprocess.run(["umount", self.mount], check=False)
        super().tearDown()

    def wait_log(self, text, timeout=30.0):
        wait_for(lambda: text in self.log(), timeout, f"'{text}' in the daemon's log")

    def inbound(self):
        return self.query("SELECT count(*) FROM messages WHERE direction = 'inbound' AND status = 'processed'")[0][0]

    def acknowledgments(self):
        return {user: len(fetch_all(user)) for user in REPORTERS}

    def assert_every_report_handled_once(self, expected_inbound):
        """Each reporter gets its one acknowledgment, no more, and nothing is stored twice."""
        for user in REPORTERS:
            wait_count(user, 1, timeout=40)
        self.assertEqual(self.acknowledgments(), {user: 1 for user in REPORTERS})
        wait_for(lambda: self.inbound() == expected_inbound, 20, f"{expected_inbound} processed messages")
        self.assertEqual(self.query("SELECT count(*) FROM messages WHERE direction = 'inbound'")[0][0],
                         expected_inbound)
        self.assertEqual(self.query("SELECT count(*) FROM cases")[0][0], expected_inbound)
        self.assertEqual(self.query("SELECT state, count(*) FROM outbox GROUP BY state"), [("sent", expected_inbound)])
        self.assertEqual(self.query("PRAGMA integrity_check"), [("ok",)])

    # --- the scenarios ---------------------------------------------------------------------
    def test_a_database_locked_by_another_process_pauses_the_daemon_and_loses_nothing(self):
        self.start()
        wait_for(lambda: os.path.exists(self.db_path), 10, "the database")
        self.wait_log("cvdbot running")
        locker = sqlite3.connect(self.db_path, isolation_level=None, timeout=10)
        locker.execute("BEGIN EXCLUSIVE")
        for user in REPORTERS:
            send(report(subject=f"Report from {user}", sender=user))
        wait_count("bot", len(REPORTERS))
        # The store waits busy_timeout (5 s) for the lock, then gives up the cycle and says why.
        self.wait_log("database is locked", timeout=30)
        self.assertIn("not fetching until it succeeds", self.log())
        time.sleep(3)
        self.assertIsNone(self.proc.poll(), "the daemon must stay up while the database is locked")
        self.assertEqual(locker.execute("SELECT count(*) FROM messages").fetchall(), [(0,)])
        self.assertEqual(self.acknowledgments(), {user: 0 for user in REPORTERS})
        locker.execute("ROLLBACK")
        locker.close()
        self.assert_every_report_handled_once(len(REPORTERS))
        self.stop()

    def test_a_damaged_sent_journal_stops_sending_until_it_is_moved_aside(self):
        """The journal of replies already sent cannot be read: processing goes on, nothing is
        sent (it could repeat replies), the log says what to do, and moving it aside resumes."""
        journal = self.db_path + ".sent"
        with open(journal, "wb") as f:
            f.write(b"not a database " * 300)
        self.start()
        send(report(subject="Report while the journal is damaged", sender="discoverer"))
        self.wait_log("move it aside to send again")
        self.assertIn(journal, self.log())
        wait_for(lambda: self.inbound() == 1, 20, "the report processed")
        time.sleep(2)
        self.assertIsNone(self.proc.poll(), "the daemon must stay up")
        self.assertEqual(len(fetch_all("discoverer")), 0)
        self.assertEqual(self.query("SELECT state, count(*) FROM outbox GROUP BY state"), [("queued", 1)])
        os.rename(journal, journal + ".damaged")
        wait_count("discoverer", 1, timeout=40)
        wait_for(lambda: self.query("SELECT state, count(*) FROM outbox GROUP BY state") == [("sent", 1)],
                 20, "the acknowledgment recorded as sent")
        self.stop()

    def test_a_full_disk_pauses_the_daemon_and_it_resumes_when_space_is_freed(self):
        # A real full file system: a small tmpfs for the database directory (needs CAP_SYS_ADMIN).
        self.mount = os.path.join(self.work, "dbdir")
        os.mkdir(self.mount)
        mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", self.mount], capture_output=True)
        if mounted.returncode != 0:
            self.mount = None
            self.skipTest(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
        self.db_path = os.path.join(self.mount, "cvdbot.db")
        with open(self.config) as f:
            text = f.read()
        with open(self.config, "w") as f:
            f.write(text.replace(os.path.join(self.work, "cvdbot.db"), self.db_path))
            # The keys stay off the small file system (they live beside the database by default).
            f.write(f'[crypto]\ngnupg_home = "{os.path.join(self.work, "gnupg")}"\n')
        self.start()
        # One report first, so the database and its WAL exist before the disk fills.
        send(report(subject="Before the disk filled", sender="discoverer"))
        def first_processed():
            try:
                return os.path.exists(self.db_path) and self.inbound() == 1
            except sqlite3.OperationalError:  # the file is there before its tables are
                return False
        wait_for(first_processed, 30, "the first report processed")
        wait_count("discoverer", 1)
        self.clear_user("discoverer")

        filler = os.path.join(self.mount, "filler")
        with open(filler, "wb") as f:
            chunk = b"\0" * 65536
            try:
                while True:
                    f.write(chunk)
                    f.flush()
            except OSError:
                pass
        # The reports are large enough that storing any of them needs new pages.
        big = "A long proof of concept.\n" + "x" * 76 + "\n"
        for user in REPORTERS:
            send(report(subject=f"Report from {user}", sender=user, body=big * 4000))
        wait_count("bot", len(REPORTERS) + 1)
        self.wait_log("the disk is full", timeout=40)
        self.assertIn("not fetching until it succeeds", self.log())
        time.sleep(3)
        self.assertIsNone(self.proc.poll(), "the daemon must stay up while the disk is full")
        self.assertEqual(self.inbound(), 1)
        self.assertEqual(self.acknowledgments(), {user: 0 for user in REPORTERS})

        os.unlink(filler)
        self.assert_every_report_handled_once(len(REPORTERS) + 1)
        self.stop()

    @staticmethod
    def clear_user(user):
        conn = imap(user)
        try:
            conn.store("1:*", "+FLAGS", "\\Deleted")
            conn.expunge()
        finally:
            conn.logout()


if __name__ == "__main__":
    unittest.main()
