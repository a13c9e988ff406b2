"""Loops and floods: the bot's own replies (acknowledgments, missing-field lists) are bounded
per sender, a flood from one address neither fills the outbox nor starves other senders, and
every suppressed reply is in the audit log."""

import os
import unittest

from mailtest import CvdbotTestCase, addr, fetch_all, report, send, wait_count

LIMIT = 3
TAG = "[CVD#2026-0001]"


class Limits(CvdbotTestCase):
    def setUp(self):
        super().setUp()
        rules = os.path.join(self.work, "rules", "workflow.toml")
        with open(rules) as f:
            text = f.read()
        self.assertIn("replies_per_sender = 10", text)
        with open(rules, "w") as f:
            f.write(text.replace("replies_per_sender = 10", f"replies_per_sender = {LIMIT}"))
        with open(self.config, "a") as f:
            f.write(f'[coordinators]\naddresses = ["{addr("coordinator")}"]\n')

    def open_case(self):
        send(report(subject="XSS in Example CMS"))
        wait_count("bot", 1)
        self.run_once()
        self.assertEqual(self.db("SELECT count(*) FROM cases"), [(1,)])

    def test_a_flood_from_one_address_gets_a_bounded_number_of_replies(self):
        flood = 15
        # An auto-responder that does not say it is one: every message looks like a new report.
        for i in range(flood):
            send(report(subject=f"Re: your message {i}", body=f"I am away until Monday ({i}).\n"))
        send(report(subject="A real report", sender="discoverer2"))
        wait_count("bot", flood + 1)
        self.run_once()

        # Nothing is lost: every message is processed (a case each), only the replies stop.
        self.assertEqual(self.db("SELECT status, count(*) FROM messages WHERE direction = 'inbound' GROUP BY status"),
                         [("processed", flood + 1)])
        to_flooder = self.db("SELECT count(*) FROM outbox WHERE recipients LIKE 'discoverer@%'")[0][0]
        self.assertEqual(to_flooder, LIMIT)
        suppressed = self.db("SELECT detail FROM audit_log WHERE action = 'reply_suppressed'")
        self.assertGreaterEqual(len(suppressed), flood - LIMIT)
        self.assertTrue(all("discoverer@" in d and "limit 3" in d for (d,) in suppressed), suppressed)
        # The other sender is answered as usual.
        wait_count("discoverer2", 1)
        wait_count("discoverer", LIMIT)
        self.assertEqual(len(fetch_all("discoverer")), LIMIT)

        # A second run within the window sends no more to the flooder.
        send(report(subject="Re: your message again", body="Still away.\n"))
        wait_count("bot", flood + 2)
        self.run_once()
        self.assertEqual(self.db("SELECT count(*) FROM outbox WHERE recipients LIKE 'discoverer@%'")[0][0], LIMIT)

    def test_two_auto_responders_answering_each_other_stop(self):
        # The discoverer's mailbox answers every message it gets with an away notice that neither
        # says it is automatic nor keeps the thread: to the bot, each looks like a new report.
        responder_sent = 1
        send(report(subject="Away notice", body="I am away until Monday.\n"))
        seen = 0
        for _ in range(20):
            wait_count("bot", responder_sent)
            self.run_once()
            to_responder = self.db("SELECT count(*) FROM outbox WHERE recipients LIKE 'discoverer@%'")[0][0]
            if to_responder:
                wait_count("discoverer", to_responder)
            new = len(fetch_all("discoverer")) - seen
            seen += new
            if new == 0:
                break
            for _ in range(new):
                send(report(subject="Away notice", body="I am away until Monday.\n"))
                responder_sent += 1
        else:
            self.fail("the two responders were still answering each other after 20 rounds")
        # The bot stopped at its per-sender limit; the responder's mail is all kept and processed.
        self.assertEqual(seen, LIMIT)
        self.assertEqual(self.db("SELECT count(*) FROM messages WHERE direction = 'inbound' AND status = 'processed'"),
                         [(responder_sent,)])
        self.assertGreaterEqual(self.db("SELECT count(*) FROM audit_log WHERE action = 'reply_suppressed'")[0][0], 1)

    def test_a_burst_of_status_inquiries_in_one_case_gets_bounded_replies(self):
        self.open_case()  # the acknowledgment is the first reply to the discoverer
        burst = 8
        for i in range(burst):
            send(report(subject=f"Re: {TAG} XSS in Example CMS", body=f"Any update on this? ({i})\n"))
        wait_count("bot", burst + 1)
        self.run_once()
        self.assertEqual(self.db("SELECT count(*) FROM audit_log WHERE action = 'status_inquiry'"), [(burst,)])
        self.assertEqual(self.db("SELECT count(*) FROM outbox WHERE recipients LIKE 'discoverer@%'"), [(LIMIT,)])
        suppressed = self.db("SELECT detail FROM audit_log WHERE action = 'reply_suppressed'")
        self.assertEqual(len(suppressed), burst + 1 - LIMIT)
        self.assertTrue(all(d.startswith("status_reply to discoverer@") for (d,) in suppressed), suppressed)
        self.assertEqual(self.db("SELECT status, count(*) FROM messages WHERE direction = 'inbound' GROUP BY status"),
                         [("processed", burst + 1)])
        wait_count("discoverer", LIMIT)
        self.assertEqual(len(fetch_all("discoverer")), LIMIT)

    def test_unsigned_orders_in_a_burst_get_bounded_transcripts(self):
        self.open_case()
        before = self.db("SELECT count(*) FROM outbox WHERE recipients LIKE 'coordinator@%'")[0][0]
        burst = 6
        for i in range(burst):
            send(report(subject=f"{TAG} orders {i}", body="accept\n", sender="coordinator"))
        wait_count("bot", burst + 1)
        self.run_once()
        self.assertEqual(self.db("SELECT state FROM cases"), [("received",)])
        self.assertEqual(self.db("SELECT count(*) FROM audit_log WHERE action = 'command_mail'"), [(burst,)])
        self.assertEqual(self.db("SELECT count(*) FROM outbox WHERE recipients LIKE 'coordinator@%'"),
                         [(before + LIMIT,)])
        suppressed = self.db("SELECT detail FROM audit_log WHERE action = 'reply_suppressed'")
        self.assertEqual(len(suppressed), burst - LIMIT)
        self.assertTrue(all(d.startswith("coordinator_transcript to coordinator@") for (d,) in suppressed), suppressed)


if __name__ == "__main__":
    unittest.main()
