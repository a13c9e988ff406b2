"""A flood from one address (10,000 messages; 1,000 in sanitizer builds, FLOOD_MESSAGES) neither
starves other senders nor fills the outbox: senders take turns in processing, the others'
reports delivered after the flood are acknowledged long before the flood is worked off, the
flooder gets at most [limits] replies_per_sender replies, and every message is processed once."""

import os
import re
import sqlite3
import time
import unittest
from email.utils import make_msgid

from mailtest import DOMAIN, STACK, DaemonTestCase, addr, fetch_all, imap, report, send, wait_count, wait_for

FLOOD = int(os.environ.get("FLOOD_MESSAGES", "10000"))
OTHERS = ["discoverer2", "operator", "vendor"]
PER_SENDER = 10  # rules/workflow.toml [limits] replies_per_sender


def deliver_into_maildir(count, distinct_senders=False):
    """`count` away notices from one address (or from discoverer+N, N = 0..count-1), written
    straight into the bot's Maildir (as an LDA would), then indexed by Dovecot. Returns how many
    messages the mailbox holds."""
    maildir = os.path.join(STACK["MAILSTACK_DIR"], "mail", "bot", "Maildir")
    owner = os.stat(maildir)
    tmp, new = os.path.join(maildir, "tmp"), os.path.join(maildir, "new")
    os.makedirs(tmp, exist_ok=True)
    stamp = int(time.time())
    for i in range(count):
        sender = addr(f"discoverer+{i}" if distinct_senders else "discoverer")
        raw = (f"From: Away Robot <{sender}>\r\nTo: {addr('bot')}\r\n"
               f"Subject: Re: your message {i}\r\nMessage-ID: {make_msgid(domain=DOMAIN)}\r\n"
               f"Date: Thu, 26 Nov 2026 10:00:00 +0900\r\n\r\nI am away until Monday ({i}).\r\n").encode()
        name = f"{stamp}.M{i:06d}P{os.getpid()}.flood,S={len(raw)}"
        path = os.path.join(tmp, name)
        with open(path, "wb") as f:
            f.write(raw)
        os.chown(path, owner.st_uid, owner.st_gid)
        os.rename(path, os.path.join(new, name))
    conn = imap("bot")  # SELECT makes Dovecot give them UIDs now, before others arrive
    try:
        typ, data = conn.uid("SEARCH", None, "ALL")
        return len(data[0].split())
    finally:
        conn.logout()


class Flood(DaemonTestCase):
    def deliver_flood(self):
        return deliver_into_maildir(FLOOD)

    def test_a_flood_from_one_address_neither_starves_others_nor_fills_the_outbox(self):
        started = time.monotonic()
        self.assertEqual(self.deliver_flood(), FLOOD)
        delivered = time.monotonic() - started
        self.start()
        t0 = time.monotonic()
        # The others write once the daemon is busy with the flood.
        def fetching():
            try:
                return self.query("SELECT count(*) FROM messages WHERE direction = 'inbound'")[0][0] > 0
            except sqlite3.OperationalError:  # the daemon is still creating the database
                return False
        wait_for(fetching, 300, "the flood being fetched")
        for user in OTHERS:
            send(report(subject=f"Report from {user}", sender=user))
        sent_at = time.monotonic() - t0
        for user in OTHERS:
            wait_count(user, 1, timeout=600)
        others_answered = time.monotonic() - t0
        flood_left = self.query("SELECT count(*) FROM messages WHERE direction = 'inbound' "
                                "AND status = 'pending'")[0][0]
        unfetched = FLOOD + len(OTHERS) - self.query("SELECT count(*) FROM messages WHERE direction = 'inbound'")[0][0]

        def all_processed():
            return self.query("SELECT count(*) FROM messages WHERE direction = 'inbound' AND status = 'processed'"
                              )[0][0] == FLOOD + len(OTHERS)
        wait_for(all_processed, 1500, "every message processed")
        flood_done = time.monotonic() - t0
        print(f"\nflood of {FLOOD}: written to the Maildir in {delivered:.1f} s; others sent at {sent_at:.1f} s, "
              f"answered at {others_answered:.1f} s ({flood_left} flood messages still waiting, {unfetched} not yet "
              f"fetched); all processed at {flood_done:.1f} s")
        self.assertGreater(flood_left + unfetched, 0, "the others must be answered before the flood is worked off")
        self.assertLess(others_answered, flood_done)

        self.stop()
        # Every message once; the flooder's replies bounded; the outbox holds only what the limits allow.
        self.assertEqual(self.query("SELECT count(*) FROM cases")[0][0], FLOOD + len(OTHERS))
        self.assertEqual(self.query("SELECT count(*) FROM outbox WHERE recipients LIKE 'discoverer@%'")[0][0],
                         PER_SENDER)
        self.assertLessEqual(self.query("SELECT count(*) FROM outbox")[0][0], PER_SENDER + 2 * len(OTHERS))
        self.assertEqual(self.query("SELECT count(*) FROM outbox WHERE state != 'sent'")[0][0], 0)
        self.assertEqual(len(fetch_all("discoverer")), PER_SENDER)
        for user in OTHERS:
            self.assertIn(len(fetch_all(user)), (1, 2))  # the acknowledgment (and a missing-fields list)
        self.assertGreaterEqual(self.query("SELECT count(*) FROM audit_log WHERE action = 'reply_suppressed'")[0][0],
                                FLOOD - PER_SENDER)


class GroupCommit(DaemonTestCase):
    """Catching up, fetched messages are stored with one commit per fetched batch and processed
    with one commit per group, not two disk syncs per message (issue #9)."""

    MESSAGES = 64

    def test_a_backlog_costs_far_fewer_commits_than_messages(self):
        self.assertEqual(deliver_into_maildir(self.MESSAGES), self.MESSAGES)
        self.start()

        def all_processed():
            try:
                return self.query("SELECT count(*) FROM messages WHERE direction = 'inbound' "
                                  "AND status = 'processed'")[0][0] == self.MESSAGES or None
            except sqlite3.OperationalError:  # the daemon is still creating the database
                return None
        wait_for(all_processed, 300, "every message processed")
        wait_for(lambda: self.query("SELECT count(*) FROM outbox WHERE state = 'queued'")[0][0] == 0 or None,
                 120, "the outbox drained")
        self.stop()
        cycles = re.findall(r"cycle: fetched (\d+), processed (\d+), .*?sent (\d+), .*?commits (\d+)", self.log())
        self.assertTrue(cycles, self.log())
        fetched, processed, sent, commits = (sum(int(c[i]) for c in cycles) for i in range(4))
        self.assertEqual((fetched, processed), (self.MESSAGES, self.MESSAGES))
        # Each reply sent is recorded by a commit of its own (a crash must not send it twice);
        # storing and processing 64 messages took 128 commits before grouping.
        print(f"\n{self.MESSAGES} messages, {sent} replies sent: {commits} commits in {len(cycles)} cycle(s)")
        self.assertLess(commits - sent, self.MESSAGES // 2, self.log())
        self.assertEqual(self.query("SELECT count(*) FROM cases")[0][0], self.MESSAGES)



class BackgroundSending(DaemonTestCase):
    """Replies go out while a backlog is still being processed, not after it: the outbox is
    sent on a thread of its own, woken by every group commit (issue #9)."""

    MESSAGES = 200

    def test_replies_go_out_while_the_backlog_is_processed_and_each_is_recorded_once(self):
        self.assertEqual(deliver_into_maildir(self.MESSAGES, distinct_senders=True), self.MESSAGES)
        self.start()

        def outbox(state):
            try:
                return self.query(f"SELECT count(*) FROM outbox WHERE state = '{state}'")[0][0]
            except sqlite3.OperationalError:  # the daemon is still creating the database
                return 0
        wait_for(lambda: outbox("sent") >= self.MESSAGES or None, 300, "a reply to every sender sent")
        self.stop()
        log = self.log()
        processed = [m.start() for m in re.finditer(r" info message \d+ from discoverer\+", log)]
        sent = [m.start() for m in re.finditer(r" info sent <", log)]
        self.assertEqual(len(processed), self.MESSAGES, log[-3000:])
        self.assertEqual(len(sent), self.MESSAGES, log[-3000:])
        # Sent at the end of the cycle, the first reply would follow the last message processed.
        self.assertLess(sent[0], processed[-1], "no reply went out before the backlog was done")
        overlapped = sum(1 for position in sent if position < processed[-1])
        print(f"\n{overlapped} of {len(sent)} replies sent while the backlog was processed")
        self.assertEqual((outbox("sent"), outbox("queued"), outbox("failed")), (self.MESSAGES, 0, 0))
        # One SMTP transaction per reply: every recipient got exactly one.
        recipients = self.query("SELECT recipients FROM outbox")
        self.assertEqual(len({r[0] for r in recipients}), self.MESSAGES)


if __name__ == "__main__":
    unittest.main()
