"""Confidentiality matrix on a three-vendor case: for every message the bot sends, the
recipient learns only what it may know. Vendors never see the discoverer's identity (no
consent here), another vendor's address or reply; the vulnerability details reach a vendor
only in the details message; the discoverer never sees a vendor's private reply."""

import os
import subprocess
import unittest
from email.utils import make_msgid

from mailtest import DOMAIN, CvdbotTestCase, addr, fetch_all, messages, report, send, text_of, wait_count

T0 = "2026-12-01T01:00:00Z"
CASE = "CVD#2026-0001"
SECRET_STEPS = "send ;id in the ping form"
REPORT_TEXT = ("Product: Example Router\nVersion: 1.2\nDeveloper: Example Corp\n"
               "Vulnerability type: OS command injection (CWE-78)\n"
               f"Steps to reproduce: {SECRET_STEPS} of the admin page\n")
VENDORS = ["vendor", "vendor2", "operator"]  # three vendors of one product family


class Confidentiality(CvdbotTestCase):
    def setUp(self):
        super().setUp()
        with open(self.config, "a") as f:
            f.write(f'[coordinators]\naddresses = ["{addr("coordinator")}"]\n')
        # These vendors have no OpenPGP keys: the rules let details go to them in plaintext, so
        # that what each message reveals can be read here (the default holds them for a key:
        # test_workflow.ConfidentialHold).
        rules = os.path.join(self.work, "rules", "workflow.toml")
        with open(rules) as f:
            text = f.read()
        with open(rules, "w") as f:
            f.write(text.replace("plaintext_roles = []", 'plaintext_roles = ["vendor", "site_operator"]'))

    def tearDown(self):
        subprocess.run(["gpgconf", "--homedir", os.path.join(self.work, "gnupg"), "--kill", "gpg-agent"],
                       capture_output=True)
        super().tearDown()

    def do(self, *words):
        self.cvdbot("case", "do", CASE, *words, "--now", T0)
        self.cvdbot("run", "--once", "--now", T0)

    def test_every_outgoing_message_reveals_only_what_its_recipient_may_know(self):
        send(report(subject="OS command injection in Example Router", body=REPORT_TEXT))
        wait_count("bot", 1)
        self.cvdbot("run", "--once", "--now", T0)
        self.do("accept", ";", "track", "product")
        for vendor in VENDORS:
            self.do("contact", "vendor", addr(vendor))
        for vendor in VENDORS:
            self.do("send", "details", addr(vendor))
        # Each vendor answers with something private to its own thread.
        for count, vendor in enumerate(VENDORS, start=2):
            first = messages(vendor)[0]
            reply = report(subject="Re: " + str(first["Subject"]), body=f"Private note of {vendor}: PRIV-{vendor}\n",
                           sender=vendor, In_Reply_To=first["Message-ID"])
            reply.replace_header("To", str(first["Reply-To"] or addr("bot")))
            send(reply)
            wait_count("bot", count)
        self.cvdbot("run", "--once", "--now", T0)
        for vendor in VENDORS:
            self.cvdbot("case", "do", CASE, "vendor-status", addr(vendor), "fixing", "--now", T0)
        self.do("set", "publication-date", "2027-01-15", "10:00")

        checked = 0
        for vendor in VENDORS:
            wait_count(vendor, 3)  # delivery through Postfix to Dovecot is asynchronous
            got = messages(vendor)
            self.assertGreaterEqual(len(got), 3, vendor)  # first contact, details, date
            others = [v for v in VENDORS if v != vendor]
            for msg in got:
                raw = msg.as_string()
                text = text_of(msg)
                where = f"{vendor} <- {msg['Subject']}"
                self.assertEqual([a.addr_spec for a in msg["To"].addresses], [addr(vendor)], where)
                self.assertIsNone(msg["Cc"], where)
                self.assertNotIn(addr("discoverer"), raw, where)
                self.assertNotIn("Test Discoverer", raw, where)
                for other in others:
                    self.assertNotIn(addr(other), raw, where)
                    self.assertNotIn(f"PRIV-{other}", raw, where)
                if SECRET_STEPS in text:
                    self.assertIn("ping form", text)
                checked += 1
            # The details arrive exactly once, in their own message.
            self.assertEqual(sum(SECRET_STEPS in text_of(m) for m in got), 1, vendor)
        for msg in messages("discoverer"):
            for vendor in VENDORS:
                self.assertNotIn(f"PRIV-{vendor}", msg.as_string(), str(msg["Subject"]))
                self.assertNotIn(addr(vendor), msg.as_string(), str(msg["Subject"]))
            checked += 1
        self.assertGreaterEqual(checked, 10)
        self.assertEqual(len(fetch_all("discoverer")), len(messages("discoverer")))


if __name__ == "__main__":
    unittest.main()
