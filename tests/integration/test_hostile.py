"""Hostile input in every field of a report, end to end: SQL fragments, CR/LF in the display
name and subject, template syntax in the text, path separators in attachment names, a huge
header. Each is stored as plain data, and nothing of it acts: no header is injected into the
acknowledgment, no template is expanded, no file is written, the database stays whole.
Zip-bomb-like mail (a thousand nesting levels, tens of thousands of parts, a large base64
part, encryption inside encryption) costs bounded time and memory, is kept, and is answered."""

import email.policy
import os
import resource
import subprocess
import time
import unittest
from email.message import EmailMessage
from email.utils import make_msgid

from mailtest import (DOMAIN, CvdbotTestCase, addr, append_raw, fetch_all, messages, report, send, text_of,
                      wait_count)
from test_openpgp import Gpg, pgp_mime_encrypted


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

    def test_zip_bomb_like_nesting_is_bounded_kept_and_answered(self):
        head = f"From: Eve <{addr('discoverer')}>\r\nTo: {addr('bot')}\r\nMIME-Version: 1.0\r\n"

        def bomb(subject, rest):
            return (head + f"Subject: {subject}\r\nMessage-ID: {make_msgid(domain=DOMAIN)}\r\n" + rest).encode()

        deep_multipart = "".join(f"Content-Type: multipart/mixed; boundary=b{i}\r\n\r\n--b{i}\r\n"
                                 for i in range(1000)) + "Content-Type: text/plain\r\n\r\nProduct: X\r\n"
        deep_forward = "".join(f"Content-Type: message/rfc822\r\n\r\nSubject: level {i}\r\n"
                               for i in range(1000)) + "\r\nProduct: X\r\n"
        many_parts = ("Content-Type: multipart/mixed; boundary=z\r\n\r\n"
                      "--z\r\nContent-Type: text/plain\r\n\r\nProduct: X\r\n" +
                      "".join(f"--z\r\nContent-Type: application/octet-stream\r\n"
                              f"Content-Disposition: attachment; filename=p{i}\r\n\r\nx\r\n" for i in range(30000)) +
                      "--z--\r\n")
        big_base64 = ("Content-Type: multipart/mixed; boundary=z\r\n\r\n"
                      "--z\r\nContent-Type: text/plain\r\n\r\nProduct: X\r\n"
                      "--z\r\nContent-Type: application/gzip\r\nContent-Transfer-Encoding: base64\r\n"
                      "Content-Disposition: attachment; filename=bomb.gz\r\n\r\n" +
                      ("A" * 76 + "\r\n") * 100000 + "--z--\r\n")
        bombs = [("deep multipart", deep_multipart), ("deep forward", deep_forward),
                 ("thirty thousand parts", many_parts), ("big base64", big_base64)]
        for subject, rest in bombs:
            append_raw("bot", bomb(subject, rest))
        # Encryption inside encryption, five layers, each to the bot's key.
        gpg = Gpg("discoverer")
        try:
            gpg.run("--import", data=self.cvdbot("key", "export-bot").stdout.encode())
            bot_fpr = [l for l in gpg.run("--with-colons", "--list-keys", addr("bot")).stdout.decode().splitlines()
                       if l.startswith("fpr:")][0].split(":")[9]
            layer = report(subject="innermost", body="Product: X\n")
            for i in range(5):
                layer = pgp_mime_encrypted("discoverer", bot_fpr, gpg, layer, f"layer {i}", sign=False)
            append_raw("bot", layer.as_bytes(policy=email.policy.SMTP))
        finally:
            gpg.close()
        # A real report after them all is not held up.
        send(report(subject="A real report", sender="discoverer2"))
        wait_count("bot", len(bombs) + 2)

        started = time.monotonic()
        self.run_once()
        elapsed = time.monotonic() - started
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"\nzip-bomb-like mail: {len(bombs) + 2} messages in {elapsed:.1f} s, peak RSS {peak_mb:.0f} MB")
        subprocess.run(["gpgconf", "--homedir", os.path.join(self.work, "gnupg"), "--kill", "gpg-agent"],
                       capture_output=True)
        self.assertLess(elapsed, 120)
        self.assertLess(peak_mb, 1500)
        # Every message kept and processed: a case each, the raw bytes stored whole.
        self.assertEqual(self.db("SELECT status, count(*) FROM messages WHERE direction = 'inbound' GROUP BY status"),
                         [("processed", len(bombs) + 2)])
        self.assertEqual(self.db("SELECT count(*) FROM cases"), [(len(bombs) + 2,)])
        self.assertEqual(self.db("PRAGMA integrity_check"), [("ok",)])
        # Each sender is acknowledged: the bombs' sender within the reply limit, the real one once.
        wait_count("discoverer2", 1)
        wait_count("discoverer", len(bombs) + 1, timeout=30)
        self.assertLessEqual(len(fetch_all("discoverer")), 10)  # [limits] replies_per_sender


if __name__ == "__main__":
    unittest.main()
