"""The case file through the real mail stack: per-vendor threads, strangers quarantined,
vendor contact changes by mail, coordinator views."""

import datetime
import json
import mailbox
import os
import re
import time
import unittest

from mailtest import (CvdbotTestCase, text_of, addr, fetch_all, messages, report, send, wait_count)


class CaseFile(CvdbotTestCase):
    def open_case(self):
        send(report())
        wait_count("bot", 1)
        self.run_once()
        wait_count("discoverer", 1)
        year = datetime.datetime.now(datetime.timezone.utc).year
        return f"CVD#{year}-0001"

    def add_vendor(self, case, user, org):
        out = self.cvdbot("case", "add-participant", case, "--role", "vendor", "--address", addr(user),
                          "--organisation", org).stdout
        match = re.search(r"thread address is (\S+)", out)
        self.assertIsNotNone(match, out)
        return match.group(1)

    def bot_count(self):
        return len(fetch_all("bot"))

    def test_vendor_reply_without_references_or_tag_lands_on_its_own_thread(self):
        case = self.open_case()
        thread_a = self.add_vendor(case, "vendor", "Vendor A")
        thread_b = self.add_vendor(case, "vendor2", "Vendor B")
        self.assertNotEqual(thread_a, thread_b)
        # Vendor B's client drops References and rewrites the subject; only the thread
        # address it replied to is left.
        reply = report(subject="RE: your inquiry (our ticket PSIRT-20417)", body="We are verifying.\n",
                       sender="vendor2")
        reply.replace_header("To", thread_b)
        count = self.bot_count()
        send(reply)
        wait_count("bot", count + 1)
        self.run_once()
        rows = self.db("SELECT m.status, m.status_reason, p.organisation FROM messages m "
                       "JOIN participants p ON p.id = m.participant_id WHERE m.sender = ?", addr("vendor2"))
        self.assertEqual(rows, [("processed", "threaded by reply address", "Vendor B")])
        # Its ticket number is remembered: a later mail with only the ticket still finds the thread.
        later = report(subject="[PSIRT-20417] fix ready", body="Fixed in 3.2.2.\n", sender="vendor2")
        send(later)
        wait_count("bot", count + 2)
        self.run_once()
        rows = self.db("SELECT m.status_reason, p.organisation FROM messages m JOIN participants p "
                       "ON p.id = m.participant_id WHERE m.sender = ? ORDER BY m.id", addr("vendor2"))
        self.assertEqual(rows[-1], ("threaded by ticket number", "Vendor B"))
        self.assertEqual(self.db("SELECT count(*) FROM cases")[0][0], 1)
        show = self.cvdbot("case", "show", case).stdout
        self.assertIn("[vendor Vendor B]: RE: your inquiry", show)
        view = json.loads(self.cvdbot("case", "show", case, "--json").stdout)
        self.assertEqual(len(view["participants"]), 3)
        self.assertEqual(len([m for m in view["messages"] if m["sender"] == addr("vendor2")]), 2)
        listing = json.loads(self.cvdbot("case", "list", "--vendor", "vendor b", "--json").stdout)
        self.assertEqual([c["id"] for c in listing], [case])
        self.assertEqual(json.loads(self.cvdbot("case", "list", "--vendor", "nobody", "--json").stdout), [])

    def test_stranger_naming_a_case_is_quarantined_and_learns_nothing(self):
        case = self.open_case()
        count = self.bot_count()
        probe = report(subject=f"Re: [{case}] what is this about?", body="Tell me the details.\n",
                       sender="operator")
        send(probe)
        wait_count("bot", count + 1)
        self.run_once()
        self.assertEqual(self.db("SELECT status, case_id IS NULL, named_case_id IS NOT NULL FROM messages "
                                 "WHERE sender = ?", addr("operator")), [("quarantined", 1, 1)])
        time.sleep(0.5)
        self.assertEqual(len(fetch_all("operator")), 0)
        held = self.cvdbot("case", "quarantine").stdout
        self.assertIn(addr("operator"), held)
        self.assertIn("QUARANTINED", self.cvdbot("case", "show", case).stdout)
        # The discoverer's own reply with the same tag is filed normally.
        send(report(subject=f"Re: [{case}] more", body="More.\n"))
        wait_count("bot", count + 2)
        self.run_once()
        self.assertEqual(self.db("SELECT status FROM messages WHERE sender = ? AND direction = 'inbound' "
                                 "ORDER BY id", addr("discoverer"))[-1], ("processed",))

    def test_case_export_writes_every_message_as_mbox(self):
        case = self.open_case()
        path = os.path.join(self.work, "case.mbox")
        self.cvdbot("case", "export", case, "-o", path)
        box = mailbox.mbox(path)
        subjects = [m["Subject"] for m in box]
        self.assertEqual(len(subjects), 2)
        self.assertIn(case, str(subjects[1]))


class VendorDirectory(CvdbotTestCase):
    def test_contact_change_by_mail_waits_for_a_coordinator(self):
        self.cvdbot("vendor", "add", "Example Software", "--to", addr("vendor"), "--product", "Example WebMail")
        request = report(subject="連絡窓口変更のお願い / contact change", sender="vendor",
                         body=f"Please change our contact point.\n\nTo: {addr('vendor2')}\nRemove: {addr('vendor')}\n")
        send(request)
        wait_count("bot", 1)
        self.run_once()
        self.assertEqual(self.db("SELECT count(*) FROM cases")[0][0], 0)
        ack = wait_count("vendor", 1) and messages("vendor")[0]
        self.assertIn("連絡窓口変更のご依頼", str(ack["Subject"]))  # answered in the request's language
        self.assertIn(addr("vendor2"), text_of(ack))
        pending = self.cvdbot("vendor", "changes").stdout
        self.assertIn("Example Software", pending)
        # Nothing changed yet.
        shown = self.cvdbot("vendor", "show", "Example Software", "--json").stdout
        self.assertNotIn(addr("vendor2"), shown)
        change_id = self.db("SELECT id FROM vendor_changes WHERE state = 'pending'")[0][0]
        self.cvdbot("vendor", "approve", str(change_id), "--by", addr("coordinator"))
        shown = json.loads(self.cvdbot("vendor", "show", "Example Software", "--json").stdout)
        self.assertIn(addr("vendor2"), json.dumps(shown))
        self.assertNotIn(addr("vendor") + '"', json.dumps(shown))

    def test_a_directory_vendor_joins_a_case_with_all_its_contacts(self):
        send(report())
        wait_count("bot", 1)
        self.run_once()
        year = datetime.datetime.now(datetime.timezone.utc).year
        case = f"CVD#{year}-0001"
        self.cvdbot("vendor", "add", "Example Software", "--to", addr("vendor"), "--cc", addr("vendor2"),
                    "--lang", "ja")
        out = self.cvdbot("case", "add-participant", case, "--vendor", "Example Software").stdout
        self.assertIn("thread address is bot+", out)
        view = json.loads(self.cvdbot("case", "show", case, "--json").stdout)
        vendor = [p for p in view["participants"] if p["role"] == "vendor"][0]
        self.assertEqual(vendor["address"], addr("vendor"))
        self.assertEqual(vendor["other_addresses"], [addr("vendor2")])
        self.assertEqual(vendor["organisation"], "Example Software")
        self.assertEqual(vendor["language"], "ja")
        self.assertIsNotNone(vendor["vendor_row_id"])

    def test_import_with_a_bad_row_imports_nothing(self):
        path = os.path.join(self.work, "vendors.csv")
        with open(path, "w") as f:
            f.write("name,to\nGood Vendor,psirt@good.test\nBad Vendor,not-an-address\n")
        proc = self.cvdbot("vendor", "import", path, check=False)
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn("vendors.csv:3", proc.stderr + proc.stdout)
        self.assertNotIn("Good Vendor", self.cvdbot("vendor", "list").stdout)


if __name__ == "__main__":
    unittest.main()
