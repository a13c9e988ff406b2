"""The partnership workflow end to end through the real mail stack: reports, coordinator
commands (signed mail and `case do`), vendors' and operators' replies, and timers with the
clock moved forward (`run --once --now`). Every message a party receives is checked for its
recipient, case tag, language and the facts it must and must not carry."""

import email
import email.policy
import os
import re
import shutil
import signal
import subprocess
import unittest
from email.message import EmailMessage
from email.utils import make_msgid

from mailtest import (DOMAIN, CvdbotTestCase, addr, fetch_all, messages, report, send, send_raw, text_of,
                      wait_count, wait_for)
from test_openpgp import Gpg

T0 = "2026-12-01T01:00:00Z"  # 10:00 JST
CASE = "CVD#2026-0001"
TAG = f"[{CASE}]"
REPORT_TEXT = ("Product: Example Router\nVersion: 1.2\nDeveloper: Example Corp\n"
               "Vulnerability type: OS command injection (CWE-78)\n"
               "Steps to reproduce: send ;id in the ping form of the admin page\n")
JAPANESE = re.compile("[\u3040-\u30ff\u4e00-\u9fff]")


def has_japanese(text):
    return bool(JAPANESE.search(text))


class ScenarioCase(CvdbotTestCase):
    """Helpers for scenarios; no tests of its own."""

    def setUp(self):
        super().setUp()
        with open(self.config, "a") as f:
            f.write(f'[coordinators]\naddresses = ["{addr("coordinator")}"]\n')
        # These parties have no OpenPGP keys: the rules let details go to them in plaintext
        # (ConfidentialHold tests the default, which holds them until a key arrives).
        rules = os.path.join(self.work, "rules", "workflow.toml")
        with open(rules) as f:
            text = f.read()
        with open(rules, "w") as f:
            f.write(text.replace("plaintext_roles = []", 'plaintext_roles = ["vendor", "site_operator"]'))
        self.seen = {}

    def tearDown(self):
        gnupg = os.path.join(self.work, "gnupg")
        subprocess.run(["gpgconf", "--homedir", gnupg, "--kill", "gpg-agent"], capture_output=True)
        super().tearDown()

    # --- helpers -------------------------------------------------------------------------
    def run_at(self, now):
        return self.cvdbot("run", "--once", "--now", now)

    def do(self, now, *words, check=True):
        return self.cvdbot("case", "do", CASE, *words, "--now", now, check=check)

    def new_mail(self, user, count=None):
        """The messages `user` got since the last call, oldest first."""
        if count is not None:
            wait_count(user, self.seen.get(user, 0) + count)
        all_msgs = messages(user)
        fresh = all_msgs[self.seen.get(user, 0):]
        self.seen[user] = len(all_msgs)
        return fresh

    def expect_one(self, user, *, subject_has=(), body_has=(), body_lacks=(), japanese=None):
        got = self.new_mail(user, 1)
        self.assertEqual(len(got), 1, f"{user} got {[str(m['Subject']) for m in got]}")
        msg = got[0]
        self.assertIn(addr(user), str(msg["To"]))
        self.assertIn(TAG, str(msg["Subject"]))
        body = text_of(msg)
        for fact in subject_has:
            self.assertIn(fact, str(msg["Subject"]))
        for fact in body_has:
            self.assertIn(fact, body, f"{user}: '{fact}' missing in:\n{body}")
        for fact in body_lacks:
            self.assertNotIn(fact, body, f"{user}: '{fact}' must not be in:\n{body}")
        if japanese is not None:
            self.assertEqual(has_japanese(body), japanese, f"language of mail to {user}:\n{body}")
        return msg

    def expect_none(self, user):
        self.assertEqual([str(m["Subject"]) for m in self.new_mail(user)], [])

    def state(self):
        return self.db("SELECT state FROM cases")[0][0]

    def reply(self, user, to_msg, body, display="Example PSIRT"):
        msg = EmailMessage()
        msg["From"] = f"{display} <{addr(user)}>"
        msg["To"] = str(to_msg["Reply-To"] or addr("bot"))
        msg["Subject"] = "Re: " + str(to_msg["Subject"])
        msg["Message-ID"] = make_msgid(domain=DOMAIN)
        msg["In-Reply-To"] = to_msg["Message-ID"]
        msg["References"] = to_msg["Message-ID"]
        msg.set_content(body)
        send(msg)

    def open_case(self, body=REPORT_TEXT):
        send(report(subject="OS command injection in Example Router", body=body))
        wait_count("bot", 1)
        self.run_at(T0)
        self.expect_one("discoverer", japanese=False)
        self.assertEqual(self.state(), "received")

    def contact_vendor(self, vendor="vendor", now=T0):
        self.do(now, "contact", "vendor", addr(vendor))
        self.run_at(now)
        return self.expect_one(vendor, body_lacks=["Test Discoverer", addr("discoverer"), "ping form"])


class Workflow(ScenarioCase):
    def test_product_happy_path_from_report_to_publication(self):
        self.open_case()
        out = self.do(T0, "accept", ";", "track", "product").stdout
        self.assertIn("done", out)
        self.run_at(T0)
        self.expect_one("discoverer", japanese=False)
        self.assertEqual(self.state(), "accepted")

        first = self.contact_vendor()
        self.assertEqual(self.state(), "vendor_contacted")
        # The coordinator previews what the vendor will get, exactly, before sending details.
        preview = self.cvdbot("templates", "preview", "vendor_details", "--to", "vendor", "--case", CASE).stdout
        self.assertIn("# language ja (default)", preview)
        self.assertIn(f"To: {addr('vendor')}", preview)
        self.assertIn(f"Subject: {TAG} =?utf-8?", preview)  # the Japanese subject, encoded as it will be sent
        self.assertIn("Message-ID:", preview)
        self.assertIn("ping form", preview)  # the body as the vendor will read it
        self.assertIn("検証結果", preview)
        self.assertEqual(self.db("SELECT start_date FROM cases")[0][0], 1796086800)  # 起算日 = first contact, T0
        # The vendor answers the first contact: reminders stop.
        self.reply("vendor", first, "Please send the details.")
        self.run_at("2026-12-02T01:00:00Z")
        self.assertEqual(self.db("SELECT count(*) FROM timers WHERE name LIKE 'vendor_reminder%' "
                                 "AND state = 'armed'"), [(0,)])

        self.do("2026-12-02T02:00:00Z", "send", "details", addr("vendor"))
        self.run_at("2026-12-02T02:00:00Z")
        details = self.expect_one("vendor", body_has=["ping form", "Example Router"],
                                  body_lacks=["Test Discoverer", addr("discoverer")], japanese=True)
        # The vendor fills in the reply form (our form quoted below it): the bot reads it.
        quoted = "".join("> " + line + "\n" for line in text_of(details).splitlines())
        self.reply("vendor", details, "Verification result / 検証結果: affected\n"
                                      "Fix status / 修正状況: fixing\n"
                                      "Wished publication date / 公表希望日: 2027-01-15 10:00\n\n" + quoted)
        self.run_at("2026-12-10T01:00:00Z")
        self.assertEqual(self.db("SELECT vendor_status FROM participants WHERE role = 'vendor'"), [("fixing",)])
        self.assertEqual(self.state(), "fixing")
        # Agreeing the date stays the coordinator's: they are told what the vendor wishes.
        notices = [text_of(m) for m in self.new_mail("coordinator", 1)]
        self.assertTrue(any("2027-01-15" in n for n in notices), notices)
        self.assertEqual(self.db("SELECT publication_date FROM cases"), [(None,)])
        self.do("2026-12-20T01:00:00Z", "set", "publication-date", "2027-01-15", "10:00")
        self.run_at("2026-12-20T01:00:00Z")
        self.expect_one("discoverer", body_has=["2027-01-15"], japanese=False)
        self.expect_one("vendor", body_has=["2027-01-15"], body_lacks=["Test Discoverer"])
        self.assertEqual(self.state(), "date_agreed")

        # One minute before the agreed time (10:00 JST) nothing happens; at the time, everyone is told.
        self.run_at("2027-01-15T00:59:00Z")
        self.expect_none("discoverer")
        self.run_at("2027-01-15T01:00:00Z")
        self.assertEqual(self.state(), "published")
        self.expect_one("discoverer", japanese=False)
        self.expect_one("vendor", body_lacks=["Test Discoverer"])
        # Exactly once: later cycles (a restart) do not repeat the notices.
        self.run_at("2027-01-16T01:00:00Z")
        self.expect_none("discoverer")
        self.expect_none("vendor")

    def test_multi_vendor_case_where_one_vendor_is_not_affected(self):
        self.open_case()
        self.do(T0, "accept", ";", "track", "product")
        self.run_at(T0)
        self.new_mail("discoverer", 1)
        self.contact_vendor("vendor")
        self.contact_vendor("vendor2")
        for v in ("vendor", "vendor2"):
            self.do(T0, "send", "details", addr(v))
        self.run_at(T0)
        self.expect_one("vendor", body_has=["ping form"])
        self.expect_one("vendor2", body_has=["ping form"])
        self.do("2026-12-05T01:00:00Z", "vendor-status", addr("vendor2"), "not-affected")
        self.do("2026-12-05T01:00:00Z", "vendor-status", addr("vendor"), "fixing")
        self.assertEqual(self.db("SELECT address, vendor_status FROM participants WHERE role = 'vendor' "
                                 "ORDER BY address"),
                         [(addr("vendor2"), "not_affected"), (addr("vendor"), "fixing")])
        self.assertEqual(self.state(), "fixing")
        self.do("2026-12-06T01:00:00Z", "set", "publication-date", "2027-01-15", "10:00")
        self.run_at("2026-12-06T01:00:00Z")
        self.new_mail("discoverer")
        self.expect_one("vendor", body_has=["2027-01-15"])
        self.expect_none("vendor2")  # not affected: not part of the publication
        self.run_at("2027-01-15T01:00:00Z")
        self.expect_one("vendor")
        self.expect_none("vendor2")
        self.assertEqual(self.state(), "published")

    def test_unreachable_vendor_through_reminders_to_the_listing_steps(self):
        self.open_case()
        self.do(T0, "accept", ";", "track", "product")
        self.run_at(T0)
        self.new_mail("discoverer", 1)
        self.contact_vendor()
        reminders = []
        for day in ("2026-12-08", "2026-12-15", "2026-12-31"):
            self.run_at(f"{day}T02:00:00Z")
            reminders.append(self.expect_one("vendor", body_lacks=["ping form", "Test Discoverer"]))
            self.run_at(f"{day}T03:00:00Z")  # the same day again: no second reminder
            self.expect_none("vendor")
        self.assertEqual(len({str(m["Subject"]) for m in reminders}), 3)  # first, second, final
        # 14 days after the final reminder the vendor is unreachable (and the 45-day target passes).
        self.run_at("2027-01-15T02:00:00Z")
        got = self.new_mail("discoverer", 2)
        self.assertEqual(len(got), 2, [str(m["Subject"]) for m in got])
        self.assertTrue(all(not has_japanese(text_of(m)) for m in got))
        self.new_mail("vendor")
        self.assertEqual(self.db("SELECT vendor_status FROM participants WHERE role = 'vendor'"),
                         [("unreachable",)])
        self.assertEqual(self.state(), "unreachable")
        notice = self.new_mail("coordinator", 1)
        self.assertTrue(any("unreachable" in text_of(m) for m in notice))
        # The next quarter: the name is listed; three months later the product too.
        self.run_at("2027-04-01T00:00:00Z")
        self.assertEqual(self.db("SELECT vendor_status FROM participants WHERE role = 'vendor'"),
                         [("name_listed",)])
        self.run_at("2027-07-02T00:00:00Z")
        self.assertEqual(self.db("SELECT vendor_status FROM participants WHERE role = 'vendor'"),
                         [("product_listed",)])

    def test_no_agreement_goes_to_the_committee_which_decides_to_publish(self):
        self.open_case()
        self.do(T0, "accept", ";", "track", "product")
        self.run_at(T0)
        self.new_mail("discoverer", 1)
        self.contact_vendor()
        self.do(T0, "send", "details", addr("vendor"), ";", "vendor-status", addr("vendor"), "fixing")
        self.run_at(T0)
        self.new_mail("vendor", 1)
        # The 45-day target passes first: both sides are reminded of it.
        self.run_at("2027-01-15T02:00:00Z")
        self.expect_one("discoverer", japanese=False)
        self.expect_one("vendor", body_has=["2027-01-15"])
        self.do("2027-02-01T01:00:00Z", "no-agreement", addr("vendor"))
        self.run_at("2027-02-01T01:00:00Z")
        self.expect_one("vendor", body_lacks=["Test Discoverer"])  # invited to state its opinion
        self.assertEqual(self.state(), "no_agreement")
        self.do("2027-02-10T01:00:00Z", "committee", "refer")
        self.assertEqual(self.state(), "committee")
        self.run_at("2027-02-10T01:00:00Z")
        self.expect_one("discoverer", japanese=False)
        self.do("2027-03-01T01:00:00Z", "committee", "publish")
        self.run_at("2027-03-01T01:00:00Z")
        # The decision, and the publication it orders, to both sides.
        for user in ("discoverer", "vendor"):
            got = self.new_mail(user, 2)
            self.assertEqual(len(got), 2, [str(m["Subject"]) for m in got])
            self.assertTrue(all(TAG in str(m["Subject"]) for m in got))
            self.assertTrue(all("Test Discoverer" not in text_of(m) for m in got if user == "vendor"))
        self.assertIn(self.state(), ("published", "date_agreed"))

    def test_web_case_through_the_fix_report(self):
        self.open_case("Site URL: https://shop.example.test/\nVulnerability type: Reflected XSS (CWE-79)\n"
                       "Steps to reproduce: search for <script>alert(1)</script>, parameter q.\n")
        self.do(T0, "accept", ";", "track", "web", ";", "contact", "operator", addr("operator"),
                "https://shop.example.test/")
        self.run_at(T0)
        self.new_mail("discoverer", 1)
        self.expect_one("operator", body_lacks=["parameter q", "Test Discoverer"])
        self.assertEqual(self.state(), "operator_contacted")
        self.do("2026-12-02T01:00:00Z", "send", "details")
        self.run_at("2026-12-02T01:00:00Z")
        self.expect_one("operator", body_has=["parameter q"], body_lacks=["Test Discoverer", addr("discoverer")])
        self.assertEqual(self.state(), "web_details_sent")
        self.do("2027-01-10T01:00:00Z", "operator-status", "fixed")
        self.run_at("2027-01-10T01:00:00Z")
        self.expect_one("discoverer", japanese=False)
        self.assertEqual(self.state(), "fix_reported")

    def test_relaying_between_discoverer_and_vendor_once_both_agreed(self):
        self.open_case()
        self.do(T0, "accept", ";", "track", "product")
        self.run_at(T0)
        acceptance = self.new_mail("discoverer", 1)[0]
        self.contact_vendor()
        self.do(T0, "send", "details", addr("vendor"), ";", "relay", "on", addr("vendor"))
        self.run_at(T0)
        self.new_mail("vendor", 2)  # the details and the notice that relaying is on
        self.new_mail("discoverer", 1)
        self.reply("discoverer", acceptance, "Does the fix cover the admin page too?\n\n-- \nTaro\n",
                   display="Test Discoverer")
        self.run_at("2026-12-02T01:00:00Z")
        passed = self.expect_one("vendor", body_has=["Does the fix cover the admin page too?"],
                                 body_lacks=[addr("discoverer"), "Taro"])
        self.reply("vendor", passed, "Yes, both pages are fixed in 1.3.\n")
        self.run_at("2026-12-03T01:00:00Z")
        self.expect_one("discoverer", body_has=["Yes, both pages are fixed in 1.3."], body_lacks=[addr("vendor")])
        self.do("2026-12-04T01:00:00Z", "relay", "off", addr("vendor"))
        self.reply("discoverer", acceptance, "Thanks!\n", display="Test Discoverer")
        self.run_at("2026-12-04T01:00:00Z")
        self.expect_none("vendor")

    def test_rejected_report(self):
        self.open_case()
        self.do(T0, "reject", "this is expected behaviour, not a vulnerability")
        self.run_at(T0)
        self.expect_one("discoverer", body_has=["this is expected behaviour, not a vulnerability"], japanese=False)
        self.assertEqual(self.state(), "rejected")
        # A closed case refuses further orders, saying why.
        proc = self.do(T0, "accept", check=False)
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn("REFUSED", proc.stdout)

    def test_handling_stopped_tells_discoverer_and_contacted_vendor(self):
        self.open_case()
        self.do(T0, "accept", ";", "track", "product")
        self.run_at(T0)
        self.new_mail("discoverer", 1)
        self.contact_vendor()
        self.do("2026-12-03T01:00:00Z", "stop", "already published by the vendor (known issue)")
        self.run_at("2026-12-03T01:00:00Z")
        self.expect_one("discoverer", body_has=["already published by the vendor"], japanese=False)
        self.expect_one("vendor")
        self.assertEqual(self.state(), "stopped")
        self.assertEqual(self.db("SELECT count(*) FROM timers WHERE state = 'armed'"), [(0,)])
        self.run_at("2027-01-31T01:00:00Z")  # no reminders for a stopped case
        self.expect_none("vendor")


class CommandMail(CvdbotTestCase):
    """Orders by mail: only a good signature from a registered coordinator key counts."""

    def setUp(self):
        super().setUp()
        with open(self.config, "a") as f:
            f.write(f'[coordinators]\naddresses = ["{addr("coordinator")}"]\n')
        self.coordinator = Gpg("coordinator")
        keyfile = os.path.join(self.work, "coordinator.asc")
        with open(keyfile, "wb") as f:
            f.write(self.coordinator.export())
        self.cvdbot("key", "import", keyfile, "--for", addr("coordinator"))
        self.coordinator.run("--import", data=self.cvdbot("key", "export-bot").stdout.encode())

    def tearDown(self):
        self.coordinator.close()
        subprocess.run(["gpgconf", "--homedir", os.path.join(self.work, "gnupg"), "--kill", "gpg-agent"],
                       capture_output=True)
        super().tearDown()

    def transcript(self, index):
        """The coordinator's transcript number `index`, decrypted with the coordinator's key."""
        wait_count("coordinator", index + 1)
        msg = messages("coordinator")[index]
        self.assertEqual(msg.get_content_type(), "multipart/encrypted")  # to the registered key
        armored = [p for p in msg.walk() if p.get_content_type() == "application/octet-stream"][0].get_payload()
        out = self.coordinator.run("--decrypt", data=armored.encode())
        self.assertIn(b"GOODSIG", out.stderr)  # signed by the bot
        return text_of(email.message_from_bytes(out.stdout, policy=email.policy.default))

    def command_mail(self, body, sign):
        text = body
        if sign:
            text = self.coordinator.run("--clearsign", data=body.encode()).stdout.decode()
        msg = EmailMessage()
        msg["From"] = f"Coordinator <{addr('coordinator')}>"
        msg["To"] = addr("bot")
        msg["Subject"] = f"{TAG} orders"
        msg["Message-ID"] = make_msgid(domain=DOMAIN)
        msg.set_content(text)
        return msg

    def test_signed_orders_are_obeyed_unsigned_and_replayed_ones_refused(self):
        send(report(subject="XSS in Example CMS", body=REPORT_TEXT))
        wait_count("bot", 1)
        self.cvdbot("run", "--once", "--now", T0)
        wait_count("discoverer", 1)

        # Unsigned, with a coordinator's From: refused, nothing changes, the coordinator is told.
        send(self.command_mail("accept\n", sign=False))
        wait_count("bot", 2)
        self.cvdbot("run", "--once", "--now", T0)
        self.assertEqual(self.db("SELECT state FROM cases"), [("received",)])
        transcript = self.transcript(0)
        self.assertIn("REFUSED", transcript)
        self.assertIn("only signed mail from a registered coordinator", transcript)
        self.assertEqual(len(messages("discoverer")), 1)

        # Signed by the registered key: obeyed, and the transcript says what was done.
        signed = self.command_mail("accept\ntrack product\nfrobnicate now\n", sign=True)
        send(signed)
        wait_count("bot", 3)
        self.cvdbot("run", "--once", "--now", T0)
        self.assertEqual(self.db("SELECT state, track FROM cases"), [("accepted", "product")])
        transcript = self.transcript(1)
        self.assertIn("done", transcript)
        self.assertIn("line 3", transcript)  # the unknown command is refused by line number
        wait_count("discoverer", 2)

        # The same signed text again (a replay, even in a new envelope) is refused.
        replay = EmailMessage()
        replay["From"] = signed["From"]
        replay["To"] = signed["To"]
        replay["Subject"] = signed["Subject"]
        replay["Message-ID"] = make_msgid(domain=DOMAIN)
        replay.set_content(signed.get_content())
        send(replay)
        wait_count("bot", 4)
        self.cvdbot("run", "--once", "--now", T0)
        self.assertIn("replay", self.transcript(2))
        self.assertEqual(self.db("SELECT count(*) FROM audit_log WHERE action = 'accepted'"), [(1,)])

    def test_reload_takes_a_changed_timer_and_refuses_a_broken_edit(self):
        """An administrator changes the reminder schedule and a template, reloads the running
        daemon, and sees the change; a broken edit is refused with file and line, and the
        daemon keeps working with the set it had."""
        templates = os.path.join(self.work, "templates")
        shutil.copytree(os.path.join(os.environ["CVDBOT_SOURCE_DIR"], "templates"), templates)
        with open(self.config) as f:
            text = f.read()
        with open(self.config, "w") as f:
            f.write(re.sub(r'templates = "[^"]*"', f'templates = "{templates}"', text))
        rules = os.path.join(self.work, "rules", "workflow.toml")
        log = open(os.path.join(self.work, "daemon.log"), "w+")
        daemon = subprocess.Popen([os.environ["CVDBOT_BIN"], "--config", self.config, "run", "--now", T0],
                                  stdout=log, stderr=log)
        try:
            send(report(subject="XSS in Example CMS", body=REPORT_TEXT))
            wait_count("discoverer", 1, timeout=20)

            # The edit: the first reminder after 3 days instead of 7, and new acknowledgment wording.
            with open(rules) as f:
                good_rules = f.read()
            with open(rules, "w") as f:
                f.write(good_rules.replace("vendor_reminder_days = [7, 14, 30]", "vendor_reminder_days = [3, 14, 30]"))
            ack = os.path.join(templates, "en", "acknowledgment.txt")
            with open(ack) as f:
                ack_text = f.read()
            with open(ack, "w") as f:
                f.write(ack_text.replace("Subject: {{case_tag}}", "Subject: {{case_tag}} [edited]", 1))
            self.cvdbot("reload")
            wait_for_text(log, "reloaded rules")

            send(self.command_mail(f"accept\ntrack product\ncontact vendor {addr('vendor')}\n", sign=True))
            wait_count("vendor", 1, timeout=20)
            due = self.db("SELECT due_at FROM timers WHERE name = 'vendor_reminder_1' AND state = 'armed'")
            self.assertEqual(due, [(1796086800 + 3 * 86400,)])  # T0 + 3 days: the new schedule
            send(report(subject="Second report", body=REPORT_TEXT, sender="discoverer2"))
            wait_count("discoverer2", 1, timeout=20)
            self.assertIn("[edited]", str(messages("discoverer2")[0]["Subject"]))

            # A broken edit: `cvdbot reload` names the file and line and does not signal.
            with open(rules, "w") as f:
                f.write(good_rules.replace("vendor_reminder_days = [7, 14, 30]", 'vendor_reminder_days = "soon"'))
            proc = self.cvdbot("reload", check=False)
            self.assertEqual(proc.returncode, 78)
            self.assertRegex(proc.stderr, r"workflow\.toml:\d+")
            # Signalled anyway (e.g. by a package script), the daemon keeps its working set.
            with open(ack, "w") as f:
                f.write(ack_text.replace("{{case_tag}}", "{{no_such_variable}}", 1))
            daemon.send_signal(signal.SIGHUP)
            wait_for_text(log, "reload refused")
            log.seek(0)
            self.assertRegex(log.read(), r"reload refused.*workflow\.toml:\d+")
            send(report(subject="Third report", body=REPORT_TEXT, sender="discoverer2"))
            wait_count("discoverer2", 2, timeout=20)
            self.assertIn("[edited]", str(messages("discoverer2")[1]["Subject"]))
        finally:
            daemon.send_signal(signal.SIGTERM)
            daemon.wait(timeout=20)
            log.close()


class ConfidentialHold(ScenarioCase):
    """The default policy: details never go out in plaintext. A vendor without a key gets a
    key request with the bot's key; the details wait and go out encrypted once its key comes."""

    def setUp(self):
        super().setUp()
        rules = os.path.join(self.work, "rules", "workflow.toml")
        with open(rules) as f:
            text = f.read()
        with open(rules, "w") as f:
            f.write(text.replace('plaintext_roles = ["vendor", "site_operator"]', "plaintext_roles = []"))
        self.vendor = Gpg("vendor")

    def tearDown(self):
        self.vendor.close()
        super().tearDown()

    def test_details_wait_for_the_vendors_key_and_go_out_encrypted(self):
        self.open_case()
        self.do(T0, "accept", ";", "track", "product")
        self.run_at(T0)
        self.new_mail("discoverer", 1)
        first = self.contact_vendor()
        self.do(T0, "send", "details", addr("vendor"))
        self.run_at(T0)
        request = self.expect_one("vendor", body_lacks=["ping form", "Example Router"])
        self.assertIn("公開鍵", text_of(request))  # the vendor's language: Japanese by default
        keys = [p for p in request.walk() if p.get_content_type() == "application/pgp-keys"]
        self.assertEqual(len(keys), 1)  # the bot's key, to encrypt the answer with
        self.assertEqual(self.db("SELECT count(*) FROM held_messages WHERE released_at IS NULL"), [(1,)])
        # Nothing confidential left the bot in plaintext, in any message.
        for msg in messages("vendor"):
            self.assertNotIn("ping form", text_of(msg))

        # The vendor answers with its key: the details go out, encrypted to it.
        self.vendor.run("--import", data=keys[0].get_payload(decode=True))
        msg = EmailMessage()
        msg["From"] = f"Example PSIRT <{addr('vendor')}>"
        msg["To"] = str(request["Reply-To"])
        msg["Subject"] = "Re: " + str(request["Subject"])
        msg["Message-ID"] = make_msgid(domain=DOMAIN)
        msg.set_content("Here is our key.\n")
        msg.add_attachment(self.vendor.export(), maintype="application", subtype="pgp-keys", filename="psirt.asc")
        send(msg)
        self.run_at("2026-12-02T01:00:00Z")
        details = self.new_mail("vendor", 1)[0]
        self.assertEqual(details.get_content_type(), "multipart/encrypted")
        armored = [p for p in details.walk() if p.get_content_type() == "application/octet-stream"][0].get_payload()
        out = self.vendor.run("--decrypt", data=armored.encode())
        self.assertIn(b"GOODSIG", out.stderr)
        inner = email.message_from_bytes(out.stdout, policy=email.policy.default)
        self.assertIn("ping form", text_of(inner))
        self.assertNotIn("Test Discoverer", text_of(inner))
        self.assertEqual(self.db("SELECT count(*) FROM held_messages WHERE released_at IS NULL"), [(0,)])
        self.run_at("2026-12-03T01:00:00Z")  # released once: nothing more
        self.expect_none("vendor")


def wait_for_text(log, text, timeout=20.0):
    def seen():
        log.flush()
        with open(log.name) as f:
            return text in f.read()
    wait_for(seen, timeout, f"'{text}' in the daemon's log")


if __name__ == "__main__":
    unittest.main()
