"""SMTP refusing for good (5xx): the message is recorded as a delivery failure on that
contact, and the coordinators are told in the case's thread; nothing is retried or lost."""

import unittest

from mailtest import CvdbotTestCase, addr, messages, report, send, text_of, wait_count

T0 = "2026-12-01T01:00:00Z"
CASE = "CVD#2026-0001"


class Refusals(CvdbotTestCase):
    def setUp(self):
        super().setUp()
        with open(self.config, "a") as f:
            f.write(f'[coordinators]\naddresses = ["{addr("coordinator")}"]\n')

    def test_a_refused_vendor_address_is_a_delivery_failure_the_coordinator_hears_of(self):
        send(report(subject="XSS in Example CMS"))
        wait_count("bot", 1)
        self.cvdbot("run", "--once", "--now", T0)
        # Postfix knows no such mailbox: RCPT TO is answered 550.
        self.cvdbot("case", "do", CASE, "accept", ";", "track", "product", ";", "contact", "vendor",
                    addr("nosuchvendor"), "--now", T0)
        out = self.cvdbot("run", "--once", "--now", T0)
        self.assertIn("failed 1", out.stderr)
        self.assertEqual(self.db("SELECT o.state, o.attempts FROM outbox o JOIN messages m ON m.id = o.message_id "
                                 f"WHERE o.recipients LIKE '{addr('nosuchvendor')}'"), [("failed", 1)])
        failures = self.db("SELECT detail FROM audit_log WHERE action = 'delivery_failed'")
        self.assertEqual(len(failures), 1)
        self.assertIn(addr("nosuchvendor"), failures[0][0])
        self.assertIn("550", failures[0][0])
        # The notice is queued in the same cycle's transaction and goes out on the next drain.
        self.cvdbot("run", "--once", "--now", T0)
        wait_count("coordinator", 1)
        notices = [m for m in messages("coordinator") if "delivery failed" in text_of(m)]
        self.assertEqual(len(notices), 1)
        self.assertIn(f"[{CASE}]", str(notices[0]["Subject"]))
        self.assertIn(addr("nosuchvendor"), text_of(notices[0]))
        # Given up for good: a later run neither retries nor tells again.
        self.cvdbot("run", "--once", "--now", T0)
        self.assertEqual(len(self.db("SELECT detail FROM audit_log WHERE action = 'delivery_failed'")), 1)


if __name__ == "__main__":
    unittest.main()
