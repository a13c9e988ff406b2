"""SMTP refusing for good (5xx): the message is recorded as a delivery failure on that
contact, and the coordinators are told in the case's thread; nothing is retried or lost. Where
the rules say so, a vendor refused at every address skips its reminders toward unreachable."""

import os
import unittest

from mailtest import CvdbotTestCase, addr, messages, report, send, text_of, wait_count, wait_for

T0 = "2026-12-01T01:00:00Z"
CASE = "CVD#2026-0001"


class Refusals(CvdbotTestCase):
    def setUp(self):
        super().setUp()
        with open(self.config, "a") as f:
            f.write(f'[coordinators]\naddresses = ["{addr("coordinator")}"]\n')

    def test_a_refused_vendor_address_is_a_delivery_failure_the_coordinator_hears_of(self):
        self.contact_a_refusing_vendor()
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

    def test_a_vendor_refused_at_every_address_becomes_unreachable_without_reminders(self):
        # rules/workflow.toml: [outbox] permanent_failure_counts_as_unanswered = true, and
        # [timers] vendor_unreachable_after_days = 14.
        self.contact_a_refusing_vendor(run=False)
        self.assertEqual(self.armed(), [("vendor_reminder_1", "2026-12-08")])
        out = self.contact_a_refusing_vendor(report_first=False)
        refused = self.db("SELECT detail FROM audit_log WHERE action = 'vendor_refused'")
        self.assertEqual(len(refused), 1, out.stderr)
        self.assertIn("unreachable on 2026-12-15", refused[0][0])
        # No reminders to an address that refuses: only the unreachable date is armed.
        self.assertEqual(self.armed(), [("vendor_unreachable", "2026-12-15")])
        self.cvdbot("run", "--once", "--now", T0)
        texts = wait_for(lambda: (lambda t: t if any("refuses mail" in x for x in t) else None)(
            [text_of(m) for m in messages("coordinator")]), 10, "the coordinators told of the refusal")
        self.assertEqual(len([t for t in texts if "delivery failed" in t]), 1, texts)
        self.assertEqual(len([t for t in texts if "refuses mail" in t and "2026-12-15" in t]), 1, texts)
        # Fourteen days on the vendor counts as unreachable, as after its last reminder.
        self.cvdbot("run", "--once", "--now", "2026-12-15T02:00:00Z")
        self.assertEqual(self.db("SELECT state FROM cases"), [("unreachable",)])
        self.assertEqual(len(self.db("SELECT id FROM audit_log WHERE action = 'vendor_reminder'")), 0)
        self.assertEqual(len(self.db("SELECT id FROM audit_log WHERE action = 'vendor_unreachable'")), 1)

    def test_without_the_rule_a_refusal_leaves_the_reminders_alone(self):
        rules = os.path.join(self.work, "rules", "workflow.toml")
        with open(rules) as f:
            text = f.read()
        self.assertIn("permanent_failure_counts_as_unanswered = true", text)
        with open(rules, "w") as f:
            f.write(text.replace("permanent_failure_counts_as_unanswered = true",
                                 "permanent_failure_counts_as_unanswered = false"))
        self.contact_a_refusing_vendor()
        self.assertEqual(self.db("SELECT count(*) FROM audit_log WHERE action = 'vendor_refused'"), [(0,)])
        self.assertEqual(self.armed(), [("vendor_reminder_1", "2026-12-08")])

    def contact_a_refusing_vendor(self, run=True, report_first=True):
        """A report, accepted, and a vendor contacted at an address Postfix refuses (RCPT TO: 550);
        with `run`, the daemon's attempt to send, which fails for good."""
        if report_first:
            send(report(subject="XSS in Example CMS"))
            wait_count("bot", 1)
            self.cvdbot("run", "--once", "--now", T0)
            self.cvdbot("case", "do", CASE, "accept", ";", "track", "product", ";", "contact", "vendor",
                        addr("nosuchvendor"), "--now", T0)
        if not run:
            return None
        out = self.cvdbot("run", "--once", "--now", T0)
        self.assertIn("failed 1", out.stderr)
        return out

    def armed(self):
        return self.db("SELECT name, date(due_at, 'unixepoch', '+9 hours') FROM timers WHERE state = 'armed' "
                       "AND participant_id IS NOT NULL ORDER BY name")


if __name__ == "__main__":
    unittest.main()
