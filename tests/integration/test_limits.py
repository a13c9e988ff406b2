"""Loops and floods: the bot's own replies (acknowledgments, missing-field lists) are bounded
per sender, a flood from one address neither fills the outbox nor starves other senders, and
every suppressed reply is in the audit log."""

import os
import unittest

from mailtest import CvdbotTestCase, fetch_all, report, send, wait_count

LIMIT = 3


class Limits(CvdbotTestCase):
    def setUp(self):
        super().setUp()
        rules = os.path.join(self.work, "rules", "workflow.toml")
        with open(rules) as f:
            text = f.read()
        self.assertIn("replies_per_sender = 10", text)
        with open(rules, "w") as f:
            f.write(text.replace("replies_per_sender = 10", f"replies_per_sender = {LIMIT}"))

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


if __name__ == "__main__":
    unittest.main()
