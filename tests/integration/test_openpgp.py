"""OpenPGP through the real mail stack, with the gpg command line as the other party."""

import base64
import email
import email.policy
import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
import unittest
from email.message import EmailMessage
from email.mime.application import MIMEApplication
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import make_msgid

from mailtest import (DOMAIN, CvdbotTestCase, DaemonTestCase, addr, messages, send_raw, text_of, wait_count,
                      wait_for)


class Gpg:
    """A throwaway GnuPG home for one party (short path: the agent's socket must fit)."""

    def __init__(self, name):
        self.home = tempfile.mkdtemp(prefix=f"g{name[:3]}", dir="/tmp")
        os.chmod(self.home, 0o700)
        self.run("--quick-gen-key", f"{name} <{addr(name)}>", "ed25519", "sign,cert", "never")
        self.fpr = self.fingerprint(addr(name))
        self.run("--quick-add-key", self.fpr, "cv25519", "encr", "never")

    def run(self, *args, data=None):
        proc = subprocess.run(["gpg", "--homedir", self.home, "--batch", "--pinentry-mode", "loopback",
                               "--passphrase", "", "--yes", "--trust-model", "always", "--status-fd", "2", *args],
                              input=data, capture_output=True)
        if proc.returncode != 0:
            raise AssertionError(f"gpg {args} failed: {proc.stderr.decode(errors='replace')}")
        return proc

    def fingerprint(self, uid):
        out = self.run("--with-colons", "--list-keys", uid).stdout.decode()
        return [line.split(":")[9] for line in out.splitlines() if line.startswith("fpr:")][0]

    def export(self):
        return self.run("--export", self.fpr).stdout

    def close(self):
        subprocess.run(["gpgconf", "--homedir", self.home, "--kill", "gpg-agent"], capture_output=True)
        shutil.rmtree(self.home, ignore_errors=True)


def pgp_mime_encrypted(sender, recipient_fpr, gpg, inner, subject, sign=True, extra_headers=None):
    args = ["--armor", "--encrypt", "--recipient", recipient_fpr]
    if sign:
        args += ["--sign", "--local-user", gpg.fpr]
    armored = gpg.run(*args, data=inner.as_bytes()).stdout.decode()
    outer = MIMEMultipart("encrypted", protocol="application/pgp-encrypted")
    control = MIMEApplication("Version: 1\n", "pgp-encrypted", _encoder=lambda p: None)
    data = MIMEApplication(armored, "octet-stream", _encoder=lambda p: None)
    data.add_header("Content-Disposition", "inline", filename="encrypted.asc")
    outer.attach(control)
    outer.attach(data)
    outer["From"] = f"{sender} <{addr(sender)}>"
    outer["To"] = addr("bot")
    outer["Subject"] = subject
    outer["Message-ID"] = make_msgid(domain=DOMAIN)
    for key, value in (extra_headers or {}).items():
        outer[key] = value
    return outer


class OpenPgp(CvdbotTestCase):
    def setUp(self):
        super().setUp()
        self.discoverer = Gpg("discoverer")
        # The bot's key is made on first use; the discoverer imports it as published.
        self.bot_key = self.cvdbot("key", "export-bot").stdout.encode()
        self.discoverer.run("--import", data=self.bot_key)
        self.bot_fpr = [l for l in self.discoverer.run("--with-colons", "--list-keys", addr("bot")).stdout.decode()
                        .splitlines() if l.startswith("fpr:")][0].split(":")[9]

    def tearDown(self):
        self.discoverer.close()
        gnupg = os.path.join(self.work, "gnupg")
        subprocess.run(["gpgconf", "--homedir", gnupg, "--kill", "gpg-agent"], capture_output=True)
        super().tearDown()

    def test_encrypted_signed_report_opens_a_case_and_the_ack_comes_back_encrypted(self):
        inner = MIMEText("Confidential: SQL injection in Example Shop 2.0, parameter id.\n", "plain", "utf-8")
        inner.replace_header("Content-Type", 'text/plain; charset="utf-8"; protected-headers="v1"')
        inner["Subject"] = "Secret report: SQLi in Example Shop"
        keydata = base64.b64encode(self.discoverer.export()).decode()
        msg = pgp_mime_encrypted("discoverer", self.bot_fpr, self.discoverer, inner, "...",
                                 extra_headers={"Autocrypt": f"addr={addr('discoverer')}; keydata={keydata}"})
        send_raw(msg.as_bytes(), addr("discoverer"), [addr("bot")])
        wait_count("bot", 1)
        self.run_once()

        rows = self.db("SELECT text_body, crypto, signer_fingerprint FROM messages WHERE direction = 'inbound'")
        self.assertIn("SQL injection in Example Shop 2.0", rows[0][0])
        self.assertIn("decrypted", rows[0][1])
        self.assertIn("signature good", rows[0][1])
        self.assertEqual(rows[0][2], self.discoverer.fpr)
        self.assertEqual(self.db("SELECT title FROM cases"), [("Secret report: SQLi in Example Shop",)])
        self.assertEqual(self.db("SELECT kind FROM key_bindings WHERE address = ?", addr("discoverer")),
                         [("learned",)])

        wait_count("discoverer", 1)
        ack = messages("discoverer")[0]
        self.assertEqual(ack.get_content_type(), "multipart/encrypted")
        self.assertNotIn("Secret report", str(ack["Subject"]))  # the real subject travels inside
        armored = [p for p in ack.walk() if p.get_content_type() == "application/octet-stream"][0].get_payload()
        # The command line, holding only the discoverer's key, decrypts and verifies it.
        out = self.discoverer.run("--decrypt", data=armored.encode())
        self.assertIn(b"GOODSIG", out.stderr)
        self.assertIn(b"VALIDSIG", out.stderr)
        inner = email.message_from_bytes(out.stdout, policy=email.policy.default)
        # The report was in English, so the acknowledgment is too.
        self.assertIn("registered it as case", text_of(inner))
        # Protected headers: the real subject inside, only the case tag outside.
        self.assertIn("has been received", str(inner["Subject"]))
        self.assertNotIn("received", str(ack["Subject"]))
        self.assertIn("[CVD#", str(ack["Subject"]))

    def test_mail_from_another_address_is_attributed_by_its_signing_key(self):
        from mailtest import report, send
        send(report())
        wait_count("bot", 1)
        self.run_once()
        case = self.db("SELECT prefix || '#' || year || '-' || printf('%04d', number) FROM cases")[0][0]
        key_file = os.path.join(self.work, "discoverer.asc")
        with open(key_file, "wb") as f:
            f.write(self.discoverer.export())
        self.cvdbot("key", "import", key_file, "--for", addr("discoverer"))
        self.assertEqual(self.db("SELECT kind FROM key_bindings WHERE address = ?", addr("discoverer")),
                         [("registered",)])
        # The discoverer writes from a second address, clear-signed with the registered key.
        signed = self.discoverer.run("--clearsign", "--local-user", self.discoverer.fpr,
                                     data=b"Additional details from my other account.\n").stdout
        msg = EmailMessage()
        msg["From"] = addr("discoverer2")
        msg["To"] = addr("bot")
        msg["Subject"] = f"Re: [{case}] more"
        msg["Message-ID"] = make_msgid(domain=DOMAIN)
        msg.set_content(signed.decode())
        send(msg)
        wait_count("bot", 2)
        self.run_once()
        rows = self.db("SELECT m.status, p.address FROM messages m LEFT JOIN participants p ON p.id = m.participant_id "
                       "WHERE m.sender = ?", addr("discoverer2"))
        self.assertEqual(rows, [("processed", addr("discoverer"))])
        # Unsigned mail from that address naming the case is still quarantined.
        send(report(subject=f"Re: [{case}] unsigned", sender="discoverer2"))
        wait_count("bot", 3)
        self.run_once()
        self.assertEqual(self.db("SELECT status FROM messages WHERE sender = ? ORDER BY id",
                                 addr("discoverer2"))[-1], ("quarantined",))

    def test_a_tampered_signed_report_is_read_and_the_sender_told(self):
        keyfile = os.path.join(self.work, "discoverer.asc")
        with open(keyfile, "wb") as f:
            f.write(self.discoverer.export())
        self.cvdbot("key", "import", keyfile, "--for", addr("discoverer"))
        signed = self.discoverer.run("--clearsign", data=b"XSS in Example CMS 3.1, parameter q.\n").stdout.decode()
        tampered = signed.replace("parameter q", "parameter z")
        msg = EmailMessage()
        msg["From"] = f"discoverer <{addr('discoverer')}>"
        msg["To"] = addr("bot")
        msg["Subject"] = "Signed report"
        msg["Message-ID"] = make_msgid(domain=DOMAIN)
        msg.set_content(tampered)
        send_raw(msg.as_bytes(), addr("discoverer"), [addr("bot")])
        wait_count("bot", 1)
        self.run_once()
        self.assertIn("signature bad", self.db("SELECT crypto FROM messages WHERE direction = 'inbound'")[0][0])
        self.assertEqual(self.db("SELECT count(*) FROM cases"), [(1,)])  # the report itself is kept and read
        wait_count("discoverer", 2)
        inner = []
        for m in messages("discoverer"):  # encrypted: the key is registered for the discoverer
            armored = [p for p in m.walk() if p.get_content_type() == "application/octet-stream"][0].get_payload()
            out = self.discoverer.run("--decrypt", data=armored.encode()).stdout
            inner.append(email.message_from_bytes(out, policy=email.policy.default))
        problem = [m for m in inner if "signature" in str(m["Subject"])]
        self.assertEqual(len(problem), 1, [str(m["Subject"]) for m in inner])
        self.assertIn("could not be verified", text_of(problem[0]))
        self.assertTrue(any(p.get_content_type() == "application/pgp-keys" for p in problem[0].walk()))
        self.assertEqual(self.db("SELECT count(*) FROM audit_log WHERE action = 'signature_problem'"), [(1,)])

    def test_report_encrypted_to_the_wrong_key_gets_a_helpful_reply_with_our_key(self):
        stranger = Gpg("stranger")
        try:
            self.discoverer.run("--import", data=stranger.export())
            inner = MIMEText("details\n", "plain", "utf-8")
            msg = pgp_mime_encrypted("discoverer", stranger.fpr, self.discoverer, inner, "encrypted report")
            send_raw(msg.as_bytes(), addr("discoverer"), [addr("bot")])
            wait_count("bot", 1)
            self.run_once()
        finally:
            stranger.close()
        self.assertEqual(self.db("SELECT count(*) FROM cases")[0][0], 0)
        status = self.db("SELECT status, status_reason FROM messages WHERE direction = 'inbound'")[0]
        self.assertEqual(status[0], "failed")
        self.assertIn("not one of ours", status[1])
        # The raw message is kept.
        self.assertEqual(self.db("SELECT count(*) FROM raw_messages")[0][0], 2)
        wait_count("discoverer", 1)
        reply = messages("discoverer")[0]
        text = text_of(reply)
        self.assertIn("could not decrypt", text)
        self.assertIn(self.bot_fpr, text.replace(" ", ""))
        keys = [p for p in reply.walk() if p.get_content_type() == "application/pgp-keys"]
        self.assertEqual(len(keys), 1)
        imported = self.discoverer.run("--import", data=keys[0].get_payload(decode=True))
        self.assertIn(self.bot_fpr.encode(), imported.stderr)


class DecryptingAhead(DaemonTestCase):
    """Catching up, the daemon decrypts PGP/MIME mail on a second thread ahead of processing
    (issue #9), and never uses a decryption made before a key change that matters to it."""

    COUNT = 10

    def setUp(self):
        super().setUp()
        self.discoverer = Gpg("discoverer")
        self.discoverer.run("--import", data=self.cvdbot("key", "export-bot").stdout.encode())
        self.bot_fpr = [l for l in self.discoverer.run("--with-colons", "--list-keys", addr("bot")).stdout.decode()
                        .splitlines() if l.startswith("fpr:")][0].split(":")[9]

    def tearDown(self):
        self.discoverer.close()
        super().tearDown()

    def deliver(self, autocrypt_on_first=False):
        keydata = base64.b64encode(self.discoverer.export()).decode()
        for i in range(self.COUNT):
            inner = MIMEText(f"Report {i}: SQL injection in Example Shop 2.0, parameter id.\n", "plain", "utf-8")
            headers = {"Autocrypt": f"addr={addr('discoverer')}; keydata={keydata}"} if autocrypt_on_first and i == 0 \
                else None
            msg = pgp_mime_encrypted("discoverer", self.bot_fpr, self.discoverer, inner, f"report {i}",
                                     extra_headers=headers)
            send_raw(msg.as_bytes(), addr("discoverer"), [addr("bot")])
        wait_count("bot", self.COUNT)

    def run_until_processed(self):
        self.start()

        def processed():
            try:
                return self.query("SELECT count(*) FROM messages WHERE direction = 'inbound' "
                                  "AND status = 'processed'")[0][0] == self.COUNT or None
            except sqlite3.OperationalError:  # the daemon is still creating the database
                return None
        wait_for(processed, 120, "every report processed")
        self.stop()
        rows = self.db("SELECT crypto, signer_fingerprint FROM messages WHERE direction = 'inbound' ORDER BY id")
        self.assertEqual(len(rows), self.COUNT)
        for crypto, signer in rows:
            self.assertIn("decrypted", crypto)
            self.assertIn("signature good", crypto)
            self.assertEqual(signer, self.discoverer.fpr)
        return sum(int(n) for n in re.findall(r"decrypted ahead (\d+)", self.log()))

    def test_a_backlog_of_encrypted_reports_is_decrypted_ahead_of_processing(self):
        self.cvdbot("key", "import", self.discoverer_key_file(), "--for", addr("discoverer"))
        self.deliver()
        ahead = self.run_until_processed()
        print(f"\n{ahead} of {self.COUNT} decryptions made ahead of processing")
        self.assertEqual(ahead, self.COUNT, self.log()[-4000:])

    def test_a_backlog_longer_than_the_queue_is_decrypted_ahead_in_full(self):
        # The daemon offers the next messages as its processing moves on, so the thread's
        # 64-message queue is no limit, and it waits for a decryption still running rather than
        # running gpg itself: every decryption is made ahead (before, 65 of 80).
        self.COUNT = 80
        self.cvdbot("key", "import", self.discoverer_key_file(), "--for", addr("discoverer"))
        self.deliver()
        ahead = self.run_until_processed()
        self.assertEqual(ahead, self.COUNT, self.log()[-4000:])

    def discoverer_key_file(self):
        key = os.path.join(self.work, "discoverer.asc")
        with open(key, "wb") as f:
            f.write(self.discoverer.run("--armor", "--export", self.discoverer.fpr).stdout)
        return key

    def test_a_key_learned_from_the_first_message_counts_for_the_signatures_of_the_next(self):
        # Decrypted ahead before the first report's Autocrypt key was imported, the later ones
        # would say "no public key": those decryptions must be made again.
        self.deliver(autocrypt_on_first=True)
        ahead = self.run_until_processed()
        print(f"\n{ahead} of {self.COUNT} decryptions made ahead of processing, the first key learned")


if __name__ == "__main__":
    unittest.main()
