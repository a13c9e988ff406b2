"""Issue 10, vendors' review by mail: `advisory review` sends each vendor of a two-vendor case
its own section of the draft advisory only, encrypted to its key; a vendor's reply with the
correction form is recorded (statement into the advisory, other corrections kept for the
coordinators), audited as advisory_correction, and the coordinators are told."""

import email
import email.policy
import os
import time

from mailtest import addr, messages, report, send, text_of, wait_count, wait_for
from test_advisory import FORM, T0, AdvisoryCase
from test_workflow import CASE
from test_openpgp import Gpg

NOW = "2027-01-10T01:00:00Z"
VENDORS = {"vendor": ("Example Corp", "Example Router"), "vendor2": ("Other Corp", "Other Router")}


class AdvisoryReview(AdvisoryCase):
    def setUp(self):
        super().setUp()
        self.gpg = {user: Gpg(user) for user in VENDORS}

    def tearDown(self):
        for g in self.gpg.values():
            g.close()
        super().tearDown()

    def decrypt(self, user, msg):
        self.assertEqual(msg.get_content_type(), "multipart/encrypted", msg["Subject"])
        armored = [p for p in msg.walk() if p.get_content_type() == "application/octet-stream"][0].get_payload()
        out = self.gpg[user].run("--decrypt", data=armored.encode())
        return text_of(email.message_from_bytes(out.stdout, policy=email.policy.default))

    def encrypted(self, user):
        """The one review a vendor got: every mail to it is encrypted, the review has the form."""
        def readable(m):
            try:
                return self.decrypt(user, m)
            except AssertionError:
                return ""

        def found():
            return [m for m in messages(user) if m.get_content_type() == "multipart/encrypted"
                    and "Advisory status / 公表文の状況" in readable(m)]
        wait_for(lambda: found(), what=f"{user}: the encrypted review")
        time.sleep(0.3)
        got = found()
        self.assertEqual(len(got), 1, user)
        return got[0]

    def mail_with(self, user, text, subject=True):
        def found():
            return [m for m in messages(user) if text in (str(m["Subject"]) if subject else text_of(m))]
        wait_for(lambda: found(), what=f"{user}: mail with {text}")
        time.sleep(0.3)  # nothing more should come
        got = found()
        self.assertEqual(len(got), 1, user)
        return got[0]

    def test_each_vendor_reviews_its_own_section_and_corrects_its_statement(self):
        for user, (name, _) in VENDORS.items():
            key = os.path.join(self.work, f"{user}.key")
            with open(key, "wb") as f:
                f.write(self.gpg[user].export())
            self.cvdbot("key", "import", key, "--for", addr(user))
            self.cvdbot("vendor", "add", name, "--to", addr(user))
            # The bot's signature must verify, or gpg reports the decryption as failed.
            self.gpg[user].run("--import", data=self.cvdbot("key", "export-bot").stdout.encode())
        send(report(subject="OS command injection in Example Router", body=FORM + "Credit: no\n"))
        wait_count("bot", 1)
        self.run_at(T0)
        self.do(T0, "accept", ";", "track", "product", ";", "contact", "vendor", "Example Corp", ";",
                "contact", "vendor", "Other Corp")
        self.set_facts()
        out = self.do(NOW, "advisory", "overview", "en", "Routers of two vendors contain an OS command injection.", ";",
                      "advisory", "overview", "ja", "複数のルータに OS コマンドインジェクションの脆弱性が存在します。", ";",
                      "affected", "Other Corp", "|", "Other Router", "|", "<", "2.0", ";",
                      "vendor-statement", "Other Corp", "|", "affected", "|", "ja", "他社ルータは 2.0 で修正予定です。").stdout
        self.assertNotIn("REFUSED", out)

        out = self.do(NOW, "advisory", "review").stdout
        self.assertIn("advisory review: Example Corp", out)
        self.assertIn("Other Corp", out)
        self.run_at(NOW)
        # The review is encrypted (its subject too may be hidden): the one encrypted mail each gets.
        reviews = {user: self.encrypted(user) for user in VENDORS}
        texts = {user: self.decrypt(user, reviews[user]) for user in VENDORS}
        ours, theirs = texts["vendor"], texts["vendor2"]
        self.assertIn("Example Router <= 1.2", ours)
        self.assertIn("fixed", ours)  # its status; its statement is in English, the section in Japanese
        self.assertIn("Advisory status / 公表文の状況", ours)  # the correction form
        for other in ("Other Corp", "Other Router", "他社ルータ"):
            self.assertNotIn(other, ours)
        self.assertIn("Other Router < 2.0", theirs)
        self.assertIn("他社ルータは 2.0 で修正予定です。", theirs)
        for other in ("Example Corp", "Example Router <= 1.2", "Fixed in firmware 1.3."):
            self.assertNotIn(other, theirs)
        for text in texts.values():
            self.assertNotIn("Test Discoverer", text)
            self.assertNotIn(addr("discoverer"), text)
        self.assertEqual(len(self.db("SELECT id FROM audit_log WHERE action = 'advisory_review'")), 2)

        # Example Corp corrects its statement and the versions by reply.
        review = reviews["vendor"]
        reply = report(subject="Re: " + str(review["Subject"]), sender="vendor", In_Reply_To=review["Message-ID"],
                       body="Please correct our part.\n\n"
                            "Statement (en) / ベンダのコメント (英語): Fixed in firmware 1.3.1 and later.\n"
                            "Versions for the advisory / 公表文に記載するバージョン: <= 1.2.9\n")
        reply.replace_header("To", str(review["Reply-To"] or addr("bot")))
        bot_before = len(messages("bot"))
        send(reply)
        wait_count("bot", bot_before + 1)
        self.run_at("2027-01-11T01:00:00Z")
        audit = self.db("SELECT detail FROM audit_log WHERE action = 'advisory_correction'")
        self.assertEqual(len(audit), 1)
        self.assertIn("Fixed in firmware 1.3.1 and later.", audit[0][0])
        notice = text_of(self.mail_with("coordinator", "<= 1.2.9", subject=False))
        self.assertIn("Example Corp", notice)
        self.assertIn("<= 1.2.9", notice)
        self.assertIn("vendor correction: Example Corp | versions | <= 1.2.9", self.advisory("show", CASE).stdout)

        # No publication date was agreed in this short case: the coordinator gives the day.
        self.do("2027-01-11T01:00:00Z", "cve", "CVE-2027-12345", ";", "advisory", "published", "2027-01-15")
        en = self.export("text", "en", "advisory-en.txt")
        self.assertIn("Fixed in firmware 1.3.1 and later.", en)
        self.assertNotIn("Fixed in firmware 1.3.\n", en)

