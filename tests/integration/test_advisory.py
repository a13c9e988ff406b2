"""Issue 10 end to end: a product case through the real mail stack gathers its advisory facts
by coordinator commands and ends in an advisory whose text (ja, en), CSAF 2.0 documents and
CVE JSON 5.1 record carry the right facts, credit only as the discoverer wished, and pass the
ecosystem's own validators (BSI csaf-validator-lib, the official CVE schema with ajv)."""

import json
import os
import subprocess

from mailtest import SOURCE_DIR, CvdbotTestCase, addr, messages, report, send, text_of, wait_count
from test_workflow import CASE

T0 = "2026-12-01T01:00:00Z"
FORM = ("Product: Example Router\nVersion: 1.2\nDeveloper: Example Corp\n"
        "Vulnerability type: OS command injection (CWE-78)\n"
        "Steps to reproduce: send ;id in the ping form of the admin page\n")
FACTS = [
    ["advisory-id", "JVN#12345678"],
    ["advisory", "title", "ja", "Example Router における OS コマンドインジェクションの脆弱性"],
    ["advisory", "title", "en", "Example Router vulnerable to OS command injection"],
    ["advisory", "overview", "ja", "Example Corp が提供する Example Router には OS コマンドインジェクションの脆弱性が存在します。"],
    ["advisory", "overview", "en", "Example Router provided by Example Corp contains an OS command injection vulnerability."],
    ["advisory", "description", "ja", "管理画面の ping 機能に OS コマンドインジェクションの脆弱性が存在します。"],
    ["advisory", "description", "en", "The ping feature of the administrative page contains an OS command injection vulnerability."],
    ["impact", "ja", "管理者権限を持つ攻撃者によって任意の OS コマンドを実行される可能性があります。"],
    ["impact", "en", "An attacker with administrative privileges may execute arbitrary OS commands."],
    ["solution", "ja", "開発者が提供する情報をもとに、最新版へアップデートしてください。"],
    ["solution", "en", "Update the firmware to the latest version according to the information provided by the developer."],
    ["cwe", "CWE-78"],
    ["cvss", "3.1", "CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H"],
    ["affected", "Example Corp", "|", "Example Router", "|", "<=", "1.2", "|", "1.3"],
    ["reference", "https://www.example.com/security/2027-001", "Example Corp security notice"],
    ["vendor-statement", "Example Corp", "|", "fixed", "|", "en", "Fixed in firmware 1.3."],
]


class AdvisoryCase(CvdbotTestCase):
    """A product case with coordinators and a CNA configured, and the helpers the tests share."""

    def setUp(self):
        super().setUp()
        with open(self.config, "a") as f:
            f.write(f'[coordinators]\naddresses = ["{addr("coordinator")}"]\n'
                    '[advisory]\ncna_org_id = "00000000-0000-4000-8000-000000000001"  # a test UUID\n')

    def tearDown(self):
        subprocess.run(["gpgconf", "--homedir", os.path.join(self.work, "gnupg"), "--kill", "gpg-agent"],
                       capture_output=True)
        super().tearDown()

    def run_at(self, now):
        return self.cvdbot("run", "--once", "--now", now)

    def do(self, now, *words, check=True):
        return self.cvdbot("case", "do", CASE, *words, "--now", now, check=check)

    def state(self):
        return self.db("SELECT state FROM cases")[0][0]

    def advisory(self, *args, check=True):
        return self.cvdbot("advisory", *args, check=check)

    def export(self, fmt, lang, name):
        path = os.path.join(self.work, name)
        self.advisory("export", CASE, "--format", fmt, "--lang", lang, "-o", path)
        with open(path, encoding="utf-8") as f:
            return f.read()

    def validate(self, *kinds_and_files):
        modules = os.environ["CVDBOT_ADVISORY_VALIDATORS"]
        proc = subprocess.run(["node", os.path.join(SOURCE_DIR, "tests/advisory/validators/validate.mjs"), modules,
                               os.path.join(SOURCE_DIR, "tests/data/advisory/CVE_Record_Format_bundled.json"),
                               *kinds_and_files], capture_output=True, text=True, timeout=120)
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)

    def case_to_date_agreed(self, form):
        send(report(subject="OS command injection in Example Router", body=form))
        wait_count("bot", 1)
        self.run_at(T0)
        self.do(T0, "accept", ";", "track", "product", ";", "contact", "vendor", addr("vendor"))
        self.do("2026-12-02T02:00:00Z", "send", "details", addr("vendor"))
        self.do("2026-12-10T01:00:00Z", "vendor-status", addr("vendor"), "fixing")
        self.do("2026-12-20T01:00:00Z", "set", "publication-date", "2027-01-15", "10:00")

    def set_facts(self, now="2027-01-10T01:00:00Z"):
        words = []
        for fact in FACTS:
            words += fact + [";"]
        out = self.do(now, *words[:-1]).stdout
        self.assertNotIn("REFUSED", out)
        self.assertIn("cvss 3.1 set: CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H (base score 7.2 HIGH)", out)



class Advisory(AdvisoryCase):
    def test_product_case_ends_in_validated_advisory_records_with_credit(self):
        self.case_to_date_agreed(FORM + "Credit: yes\nCredit name: Taro Yamada\n")
        # Before the facts are in, the exporter refuses and names what is missing.
        refused = self.advisory("export", CASE, "--format", "cve", check=False)
        self.assertNotEqual(refused.returncode, 0)
        self.assertIn("cve", refused.stderr + refused.stdout)
        refused = self.advisory("export", CASE, "--format", "csaf", "--lang", "en", check=False)
        self.assertIn("title.en", refused.stderr + refused.stdout)
        # A wrong value is refused with the reason, and changes nothing.
        bad = self.do("2027-01-10T01:00:00Z", "cvss", "CVSS:3.1/AV:N/AC:L", check=False)
        self.assertIn("REFUSED", bad.stdout)
        self.assertEqual(self.db("SELECT count(*) FROM advisory_facts WHERE name = 'cvss31'"), [(0,)])

        self.set_facts()
        self.assertIn("cve needs", self.do("2027-01-10T01:00:00Z", "cve", check=False).stdout)
        self.do("2027-01-10T01:00:00Z", "cve", "CVE-2027-12345")
        self.assertIn("ready", self.advisory("show", CASE).stdout)
        # The draft in both languages goes to the coordinators for review.
        self.assertIn("advisory draft sent", self.do("2027-01-10T02:00:00Z", "advisory", "draft").stdout)
        self.run_at("2027-01-10T02:00:00Z")
        wait_count("coordinator", 1)
        draft_mail = messages("coordinator")[-1]
        self.assertIn("公表文案 JVN#12345678", draft_mail["Subject"])  # the advisory_draft template
        draft = text_of(draft_mail)
        for fact in ["JVN#12345678", "===== ja =====", "===== en =====", "基本値 7.2", "Taro Yamada",
                     "(none: text, CSAF and CVE records can be exported)"]:
            self.assertIn(fact, draft)

        self.run_at("2027-01-15T01:00:00Z")
        self.assertEqual(self.state(), "published")

        ja = self.export("text", "ja", "advisory-ja.txt")
        for fact in ["JVN#12345678", "Example Router における OS コマンドインジェクションの脆弱性", "公表日: 2027-01-15",
                     "Example Corp Example Router <= 1.2", "CWE-78", "基本値 7.2", "CVE-2027-12345", "対策済み",
                     "謝辞", "Taro Yamada"]:
            self.assertIn(fact, ja)
        en = self.export("text", "en", "advisory-en.txt")
        for fact in ["Example Router vulnerable to OS command injection", "fixed in 1.3", "Base Score 7.2",
                     "Fixed in firmware 1.3.", "Taro Yamada", "https://www.example.com/security/2027-001"]:
            self.assertIn(fact, en)
        self.assertNotIn("Test Discoverer", ja + en)

        csaf = {lang: json.loads(self.export("csaf", lang, f"csaf-{lang}.json")) for lang in ("ja", "en")}
        self.assertEqual(csaf["en"]["document"]["tracking"]["id"], "JVN#12345678")
        self.assertEqual(csaf["en"]["document"]["lang"], "en")
        vuln = csaf["en"]["vulnerabilities"][0]
        self.assertEqual(vuln["cve"], "CVE-2027-12345")
        self.assertEqual(vuln["cwe"]["id"], "CWE-78")
        self.assertEqual(vuln["scores"][0]["cvss_v3"]["baseScore"], 7.2)
        self.assertEqual(vuln["acknowledgments"][0]["names"], ["Taro Yamada"])
        cve = json.loads(self.export("cve", "en", "cve.json"))
        self.assertEqual(cve["cveMetadata"]["cveId"], "CVE-2027-12345")
        self.assertEqual(cve["containers"]["cna"]["affected"][0]["versions"][0]["lessThanOrEqual"], "1.2")
        self.assertEqual(cve["containers"]["cna"]["credits"][0]["value"], "Taro Yamada")

        w = self.work
        self.validate("--csaf", f"{w}/csaf-ja.json", "--csaf", f"{w}/csaf-en.json", "--cve", f"{w}/cve.json")

    def test_no_credit_without_consent(self):
        self.case_to_date_agreed(FORM + "Credit: no\n")
        self.set_facts()
        self.do("2027-01-10T01:00:00Z", "cve", "CVE-2027-12345")
        self.run_at("2027-01-15T01:00:00Z")
        texts = self.export("text", "ja", "a-ja.txt") + self.export("text", "en", "a-en.txt")
        self.assertNotIn("謝辞", texts)
        self.assertNotIn("Test Discoverer", texts)
        csaf = self.export("csaf", "en", "csaf-en.json")
        cve = self.export("cve", "en", "cve.json")
        self.assertNotIn("acknowledgments", csaf)
        self.assertNotIn("credits", cve)
        self.assertNotIn("Test Discoverer", csaf + cve)
        self.validate("--csaf", f"{self.work}/csaf-en.json", "--cve", f"{self.work}/cve.json")


    def test_two_cves_of_different_weaknesses_export_two_records(self):
        self.case_to_date_agreed(FORM + "Credit: no\n")
        self.set_facts()
        now = "2027-01-10T01:00:00Z"
        self.do(now, "cve", "CVE-2027-12345", ";", "cve", "CVE-2027-12346")
        # A fact for a CVE not on the case is refused.
        self.assertIn("REFUSED", self.do(now, "cve", "CVE-2027-99999", "cwe", "CWE-352", check=False).stdout)
        out = self.do(now, "cve", "CVE-2027-12346", "cwe", "CWE-352", ";",
                      "cve", "CVE-2027-12346", "cvss", "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:A/VC:N/VI:H/VA:N/SC:N/SI:N/SA:N", ";",
                      "cve", "CVE-2027-12346", "description", "en",
                      "The settings page of Example Router contains a cross-site request forgery vulnerability.", ";",
                      "cve", "CVE-2027-12346", "description", "ja",
                      "Example Router の設定画面にはクロスサイトリクエストフォージェリの脆弱性が存在します。").stdout
        self.assertNotIn("REFUSED", out)
        self.assertIn("CVE-2027-12346 cvss 4.0 set", out)
        self.assertIn("cve CVE-2027-12346 cwe: CWE-352", self.advisory("show", CASE).stdout)
        self.run_at("2027-01-15T01:00:00Z")
        w = self.work
        records = {}
        for cve in ("CVE-2027-12345", "CVE-2027-12346"):
            self.advisory("export", CASE, "--format", "cve", "--cve", cve, "-o", f"{w}/{cve}.json")
            with open(f"{w}/{cve}.json", encoding="utf-8") as f:
                records[cve] = json.load(f)["containers"]["cna"]
        first, second = records["CVE-2027-12345"], records["CVE-2027-12346"]
        self.assertEqual(first["problemTypes"][0]["descriptions"][0]["cweId"], "CWE-78")
        self.assertEqual(second["problemTypes"][0]["descriptions"][0]["cweId"], "CWE-352")
        self.assertIn("cross-site request forgery", second["descriptions"][0]["value"])
        self.assertIn("OS command injection", first["descriptions"][0]["value"])
        self.assertEqual(second["metrics"][0]["cvssV4_0"]["version"], "4.0")
        self.assertEqual(first["metrics"][0]["cvssV3_1"]["baseScore"], 7.2)
        csaf = json.loads(self.export("csaf", "en", "csaf-en.json"))
        self.assertEqual([v["cwe"]["id"] for v in csaf["vulnerabilities"]], ["CWE-78", "CWE-352"])
        self.assertIn("CVE-2027-12346", self.export("text", "ja", "a-ja.txt"))
        self.validate("--csaf", f"{w}/csaf-en.json", "--cve", f"{w}/CVE-2027-12345.json",
                      "--cve", f"{w}/CVE-2027-12346.json")
