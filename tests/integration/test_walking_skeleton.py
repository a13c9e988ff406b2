"""End to end through Dovecot and Postfix: a report becomes a case, the discoverer gets an
acknowledgment, replies thread onto the case, nothing is processed or sent twice."""

import base64
import datetime
import os
import signal
import subprocess
import time
import unittest
from email.utils import make_msgid, parsedate_to_datetime

from mailtest import (CVDBOT, DOMAIN, text_of, CvdbotTestCase, addr, append_raw, fetch_all, mailstack, messages, report,
                      send, send_raw, wait_count, wait_for)


class Intake(CvdbotTestCase):
    def deliver_report(self, msg, user="bot", count=1):
        send(msg)
        wait_count(user, count)

    def test_report_opens_case_and_is_acknowledged(self):
        msg = report(subject="XSS in product X / 製品Xの脆弱性")
        self.deliver_report(msg)
        self.run_once()

        ack = wait_count("discoverer", 1)
        acks = messages("discoverer")
        self.assertEqual(len(acks), 1)
        ack = acks[0]
        year = datetime.datetime.now(datetime.timezone.utc).year
        tag = f"[CVD#{year}-0001]"
        self.assertIn(tag, ack["Subject"])
        self.assertIn("受付", ack["Subject"])
        self.assertEqual(ack["Auto-Submitted"], "auto-replied")
        self.assertEqual(ack["In-Reply-To"].strip(), msg["Message-ID"].strip())
        self.assertIn(msg["Message-ID"].strip(), ack["References"])
        self.assertTrue(ack["Message-ID"].strip().endswith(f"@{DOMAIN}>"))
        self.assertNotEqual(ack["Message-ID"], msg["Message-ID"])
        self.assertEqual(ack["To"].addresses[0].addr_spec, addr("discoverer"))
        self.assertEqual(ack["From"].addresses[0].addr_spec, addr("bot"))
        # Replies go to the discoverer's own thread address, whose token is not guessable.
        self.assertRegex(ack["Reply-To"].addresses[0].addr_spec, rf"^bot\+[0-9a-f]{{20}}@{DOMAIN}$")
        sent = parsedate_to_datetime(ack["Date"])
        self.assertLess(abs((datetime.datetime.now(datetime.timezone.utc) - sent).total_seconds()), 300)
        # Signed by the bot (PGP/MIME); the discoverer has no key yet, so not encrypted.
        self.assertEqual(ack.get_content_type(), "multipart/signed")
        self.assertEqual(ack.get_param("protocol"), "application/pgp-signature")
        text_part = [p for p in ack.walk() if p.get_content_type() == "text/plain"][0]
        self.assertEqual(text_part.get_content_charset(), "utf-8")
        body = text_of(ack)
        self.assertIn(f"CVD#{year}-0001", body)
        self.assertIn("受け付けました", body)
        # One language per recipient: a Japanese report is answered in Japanese only.
        self.assertNotIn("Thank you for your vulnerability report", body)

        listing = self.cvdbot("case", "list").stdout
        self.assertIn(f"CVD#{year}-0001", listing)
        self.assertIn(addr("discoverer"), listing)
        self.assertIn("received", listing)
        show = self.cvdbot("case", "show", f"CVD#{year}-0001").stdout
        self.assertIn("discoverer", show)
        self.assertIn(f"<- from {addr('discoverer')} [discoverer]", show)
        self.assertIn(f"-> to {addr('discoverer')} [discoverer]: [CVD#{year}-0001]", show)
        self.assertIn("case_opened", show)
        # The report is flagged \Seen on the server once its effects are committed.
        self.assertEqual(self.db("SELECT count(*) FROM messages WHERE server_done = 1")[0][0], 1)

    def test_replies_join_the_same_case_by_tag_references_and_reply_address(self):
        self.deliver_report(report())
        self.run_once()
        wait_count("discoverer", 1)
        ack = messages("discoverer")[0]
        year = datetime.datetime.now(datetime.timezone.utc).year
        case = f"CVD#{year}-0001"

        by_tag = report(subject="Re: " + str(ack["Subject"]), body="More details.\n",
                        In_Reply_To=ack["Message-ID"], References=ack["Message-ID"])
        by_references = report(subject="another subject without the tag", body="Even more.\n",
                               In_Reply_To=ack["Message-ID"], References=ack["Message-ID"])
        by_address = report(subject="no tag, no references", body="Via the case address.\n")
        by_address.replace_header("To", ack["Reply-To"])
        for count, msg in enumerate([by_tag, by_references, by_address], start=2):
            self.deliver_report(msg, count=count)
        self.run_once()

        self.assertEqual(self.db("SELECT count(*) FROM cases")[0][0], 1)
        rows = self.db("SELECT status, status_reason FROM messages m JOIN cases c ON c.id = m.case_id "
                       "WHERE m.direction = 'inbound' ORDER BY m.id")
        self.assertEqual([r[0] for r in rows], ["processed"] * 4)
        self.assertEqual([r[1] for r in rows], ["opened a new case", "threaded by subject tag",
                                                "threaded by references", "threaded by reply address"])
        listing = self.cvdbot("case", "list").stdout
        self.assertNotIn(f"CVD#{year}-0002", listing)
        self.assertIn(case, listing)
        # Replies are correspondence: no second acknowledgment.
        time.sleep(0.5)
        self.assertEqual(len(fetch_all("discoverer")), 1)

    def test_running_again_processes_and_sends_nothing_twice(self):
        self.deliver_report(report())
        self.run_once()
        wait_count("discoverer", 1)
        for _ in range(2):
            out = self.run_once()
            self.assertIn("fetched 0", out.stderr)
        time.sleep(0.5)
        self.assertEqual(len(fetch_all("discoverer")), 1)
        self.assertEqual(self.db("SELECT count(*) FROM messages WHERE direction = 'inbound'")[0][0], 1)
        self.assertEqual(self.db("SELECT count(*) FROM outbox")[0][0], 1)

    def test_uidvalidity_change_resyncs_without_processing_twice(self):
        self.deliver_report(report())
        self.run_once()
        wait_count("discoverer", 1)
        # Pretend the server announced a new UIDVALIDITY: every UID is fetched again.
        self.db_exec("UPDATE mailbox_state SET uidvalidity = uidvalidity + 1")
        out = self.run_once()
        self.assertIn("fetched 1 (duplicates 1)", out.stderr)
        self.assertIn("UIDVALIDITY changed", out.stderr)
        time.sleep(0.5)
        self.assertEqual(len(fetch_all("discoverer")), 1)
        self.assertEqual(self.db("SELECT count(*) FROM cases")[0][0], 1)

    def db_exec(self, sql):
        import sqlite3
        conn = sqlite3.connect(self.db_path)
        conn.execute(sql)
        conn.commit()
        conn.close()

    def test_smtp_outage_delays_the_acknowledgment_and_delivers_it_once(self):
        self.deliver_report(report(sender="discoverer2"))
        mailstack("stop-smtp")
        try:
            out = self.run_once()
            self.assertIn("deferred 1", out.stderr)
            self.assertEqual(self.db("SELECT state, attempts FROM outbox"), [("queued", 1)])
            self.assertIn("stays queued", out.stderr)
        finally:
            mailstack("start-smtp")
        time.sleep(self.retry_seconds + 0.2)
        out = self.run_once()
        self.assertIn("sent 1", out.stderr)
        wait_count("discoverer2", 1)
        self.run_once()
        time.sleep(0.5)
        self.assertEqual(len(fetch_all("discoverer2")), 1)
        self.assertEqual(self.db("SELECT state FROM outbox"), [("sent",)])

    def test_automatic_mail_opens_no_case_and_gets_no_reply(self):
        self.deliver_report(report(subject="Out of office", Auto_Submitted="auto-replied"))
        self.run_once()
        self.assertEqual(self.db("SELECT count(*) FROM cases")[0][0], 0)
        self.assertEqual(self.db("SELECT status FROM messages"), [("ignored",)])
        time.sleep(0.5)
        self.assertEqual(len(fetch_all("discoverer")), 0)


def encode_cp50221(text):
    """ISO-2022-JP with the Microsoft extensions (NEC row 13: ①, ㈱), as Outlook writes it.
    Python has no CP50221 codec: encode each character as CP932 and shift it to JIS."""
    out, in_jis = bytearray(), False
    for ch in text:
        if ord(ch) < 0x80:
            if in_jis:
                out += b"\x1b(B"
                in_jis = False
            out += ch.encode("ascii")
            continue
        b1, b2 = ch.encode("cp932")
        row = (b1 - (0x81 if b1 < 0xA0 else 0xC1)) * 2 + 0x21
        if b2 >= 0x9F:
            row, col = row + 1, b2 - 0x7E
        else:
            col = b2 - (0x1F if b2 < 0x7F else 0x20)
        if not in_jis:
            out += b"\x1b$B"
            in_jis = True
        out += bytes([row, col])
    if in_jis:
        out += b"\x1b(B"
    return bytes(out)


class Japanese(CvdbotTestCase):
    def test_iso_2022_jp_report_is_stored_as_utf8_and_the_ack_reads_right(self):
        subject = "脆弱性の届出：①㈱～テスト"
        body = "製品Ｘにクロスサイト・スクリプティングの脆弱性があります。\n再現手順：①ログイン ②件名に～を入力\n"
        # Written the way Japanese mailers do: ISO-2022-JP (CP50221 for ①, ㈱ and ～),
        # RFC 2047 B-encoded subject, 7bit body.
        encoded_subject = "=?ISO-2022-JP?B?" + base64.b64encode(encode_cp50221(subject)).decode() + "?="
        raw = (f"From: =?ISO-2022-JP?B?{base64.b64encode(encode_cp50221('山田 太郎')).decode()}?= "
               f"<{addr('discoverer')}>\r\n"
               f"To: {addr('bot')}\r\nSubject: {encoded_subject}\r\n"
               f"Message-ID: <jp-report-1@{DOMAIN}>\r\nMIME-Version: 1.0\r\n"
               "Content-Type: text/plain; charset=ISO-2022-JP\r\nContent-Transfer-Encoding: 7bit\r\n\r\n"
               ).encode("ascii") + encode_cp50221(body.replace("\n", "\r\n"))
        send_raw(raw, addr("discoverer"), [addr("bot")])
        wait_count("bot", 1)
        self.run_once()
        stored = self.db("SELECT subject, text_body, language FROM messages WHERE direction = 'inbound'")
        self.assertEqual(stored[0][0], subject)
        self.assertEqual(stored[0][1].replace("\r\n", "\n"), body)
        self.assertEqual(stored[0][2], "ja")
        self.assertEqual(self.db("SELECT title FROM cases"), [(subject,)])
        # Python's email package is a second, independent reader of what the bot wrote.
        wait_count("discoverer", 1)
        ack = messages("discoverer")[0]
        self.assertIn("脆弱性関連情報の受付のお知らせ", str(ack["Subject"]))
        self.assertIn("山田 太郎 様", text_of(ack))
        self.assertIn(f"「{subject}」", text_of(ack))


class BadInput(CvdbotTestCase):
    def test_bad_messages_are_kept_logged_and_processing_goes_on(self):
        bad = [
            b"",
            b"Subject: no sender at all\r\n\r\nbody\r\n",
            bytes(range(256)) * 8,
            b"From: \x00\xff\xfe garbage\r\nSubject: \x80\x81\r\n\r\n\x00\x00\x00",
        ]
        for raw in bad:
            append_raw("bot", raw if raw else b"\r\n")
        good = report(subject="a real report after the garbage")
        send(good)
        wait_count("bot", len(bad) + 1)
        out = self.run_once()
        self.assertIn("no usable sender address", out.stderr)
        statuses = self.db("SELECT status FROM messages WHERE direction = 'inbound' ORDER BY id")
        self.assertEqual([s[0] for s in statuses], ["failed"] * len(bad) + ["processed"])
        # Every raw message is kept.
        self.assertEqual(self.db("SELECT count(*) FROM raw_messages r JOIN messages m ON m.id = r.message_id "
                                 "WHERE m.direction = 'inbound'")[0][0], len(bad) + 1)
        self.assertEqual(self.db("SELECT count(*) FROM cases")[0][0], 1)
        wait_count("discoverer", 1)


class Daemon(CvdbotTestCase):
    def test_daemon_polls_and_stops_cleanly_on_sigterm(self):
        proc = subprocess.Popen([CVDBOT, "--config", self.config, "run"], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        try:
            send(report())
            wait_count("discoverer", 1, timeout=15)
        finally:
            proc.send_signal(signal.SIGTERM)
            out, err = proc.communicate(timeout=15)
        self.assertEqual(proc.returncode, 0, err)
        self.assertIn("cvdbot stopping", err)

    def test_daemon_rides_out_an_imap_outage_and_loses_nothing(self):
        send(report(subject="before the outage"))
        wait_count("bot", 1)
        log_path = os.path.join(self.work, "daemon.log")
        with open(log_path, "wb") as log:
            proc = subprocess.Popen([CVDBOT, "--config", self.config, "run"], stdout=log, stderr=log)
        try:
            wait_count("discoverer", 1, timeout=15)
            mailstack("stop-imap")
            try:
                # Mail sent now waits in Postfix's queue; the daemon keeps polling and says why.
                send(report(subject="during the outage", sender="discoverer2"))
                wait_for(lambda: "will try again next cycle" in open(log_path).read(), timeout=15,
                         what="the daemon to report the IMAP outage")
                self.assertIsNone(proc.poll())
            finally:
                mailstack("start-imap")
            wait_count("discoverer2", 1, timeout=60)
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=15)
        self.assertEqual(proc.returncode, 0)
        self.assertEqual(self.db("SELECT count(*), sum(status = 'processed') FROM messages "
                                 "WHERE direction = 'inbound'"), [(2, 2)])
        self.assertEqual(len(fetch_all("discoverer")), 1)
        self.assertEqual(len(fetch_all("discoverer2")), 1)

    @unittest.skipUnless(os.geteuid() == 0, "needs root")
    def test_run_as_root_is_refused_unless_allowed(self):
        env = {k: v for k, v in os.environ.items() if k != "CVDBOT_ALLOW_ROOT"}
        for args in (["run", "--once"], ["run"]):
            proc = subprocess.run([CVDBOT, "--config", self.config, *args], capture_output=True, text=True,
                                  timeout=30, env=env)
            self.assertEqual(proc.returncode, 78, proc.stderr)
            self.assertIn("refusing to run as root", proc.stderr)
        self.assertEqual(self.db("SELECT count(*) FROM sqlite_master") if os.path.exists(self.db_path) else [(0,)],
                         [(0,)])
        proc = subprocess.run([CVDBOT, "--config", self.config, "run", "--once", "--allow-root"],
                              capture_output=True, text=True, timeout=60, env=env)
        self.assertEqual(proc.returncode, 0, proc.stderr)

    def test_mail_inspect_shows_how_a_message_is_read(self):
        import json
        corpus = os.path.join(os.environ["CVDBOT_SOURCE_DIR"], "tests", "data", "mail")
        path = os.path.join(corpus, "autoreply_ja_fuzai.eml")
        text = self.cvdbot("mail", "inspect", path).stdout
        self.assertIn("Automatic:", text)
        model = json.loads(self.cvdbot("mail", "inspect", path, "--json").stdout)
        self.assertEqual(model["automatic"], "auto_reply")
        proc = self.cvdbot("mail", "inspect", os.path.join(self.work, "missing.eml"), check=False)
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn("cannot read", proc.stderr)

    def test_bad_configuration_stops_start_up_with_file_line_and_key(self):
        with open(self.config, "a") as f:
            f.write("bogus_key = 1\n")
        proc = self.cvdbot("run", "--once", check=False)
        self.assertEqual(proc.returncode, 78)
        self.assertRegex(proc.stderr, r"cvdbot\.toml:\d+: daemon\.bogus_key: unknown key")


if __name__ == "__main__":
    unittest.main()
