"""Hostile input in every field of a report, end to end: SQL fragments, CR/LF in the display
name and subject, template syntax in the text, path separators in attachment names, a huge
header. Each is stored as plain data, and nothing of it acts: no header is injected into the
acknowledgment, no template is expanded, no file is written, the database stays whole."""

import email.policy
import os
import unittest
from email.message import EmailMessage
from email.utils import make_msgid

from mailtest import DOMAIN, CvdbotTestCase, addr, append_raw, fetch_all, messages, text_of, wait_count


class Hostile(CvdbotTestCase):
    def test_hostile_fields_are_data_and_nothing_more(self):
        sql = "x'); DROP TABLE cases; --"
        msg = EmailMessage()
        msg["To"] = addr("bot")
        msg["Message-ID"] = make_msgid(domain=DOMAIN)
        msg.set_content("Product: {{bot_fingerprint}} {{#case_id}}loop{{/case_id}} {{{transcript}}}\n"
                        f"Steps: {sql}\n")
        msg.add_attachment(b"payload", maintype="application", subtype="octet-stream",
                           filename="../../../../tmp/cvdbot-pwned")
        msg.add_attachment(b"payload", maintype="application", subtype="octet-stream",
                           filename="..\\..\\windows\\cvdbot-pwned.exe")
        # Written by hand: an encoded CR/LF in the display name and subject must not become a
        # header of ours; a 60 kB header (folded) must not hurt. APPEND: no MTA would pass it.
        q_sql = sql.replace(" ", "_").replace("'", "=27").replace(")", "=29").replace(";", "=3B")
        huge = "X-Huge: " + "\r\n ".join(["a" * 70] * 850)
        raw = (f"From: =?utf-8?q?Eve=0D=0ABcc=3A_victim=40{DOMAIN}?= <{addr('discoverer')}>\r\n"
               f"Subject: =?utf-8?q?{q_sql}=0D=0ABcc=3A_x=40{DOMAIN}?=\r\n{huge}\r\n").encode()
        append_raw("bot", raw + msg.as_bytes(policy=email.policy.SMTP))
        wait_count("bot", 1)
        self.run_once()

        self.assertEqual(self.db("PRAGMA integrity_check"), [("ok",)])
        self.assertEqual(self.db("SELECT status FROM messages WHERE direction = 'inbound'"), [("processed",)])
        title = self.db("SELECT title FROM cases")[0][0]
        self.assertIn("DROP TABLE cases", title)  # kept as text, not run
        self.assertNotIn("\r", title)
        self.assertNotIn("\n", title)
        self.assertFalse(os.path.exists("/tmp/cvdbot-pwned"))
        self.assertFalse(any("pwned" in name for name in os.listdir(self.work)))

        # The acknowledgment and the list of missing fields, each once, each harmless.
        wait_count("discoverer", 2)
        replies = messages("discoverer")
        self.assertEqual(len(replies), 2)
        for _, raw in fetch_all("discoverer"):
            self.assertNotRegex(raw, rb"(?mi)^bcc:")
        for reply in replies:
            self.assertIsNone(reply["Bcc"])
            # The CR/LF is gone; what is left of the name stays a quoted display name.
            self.assertEqual([a.addr_spec for a in reply["To"].addresses], [addr("discoverer")])
            self.assertNotIn("\n", str(reply["Subject"]))
            # Template syntax from the sender is never expanded.
            self.assertNotIn("loop", text_of(reply).replace("{{#case_id}}loop", ""))


if __name__ == "__main__":
    unittest.main()
