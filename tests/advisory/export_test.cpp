#include "cvdbot/advisory/export.hpp"
#include "cvdbot/advisory/review.hpp"
#include "sample.hpp"

#include <catch2/catch.hpp>

using namespace cvd::advisory;
using cvd::advisory::testing::sample_facts;

namespace {
bool names(const std::vector<Problem>& problems, const std::string& fact) {
    for (const auto& p : problems)
        if (p.fact == fact) return true;
    return false;
}
}  // namespace

TEST_CASE("version ranges read as JVN writes them", "[advisory]") {
    auto single = parse_version_range("2.3.1");
    REQUIRE(single);
    CHECK(single->single());
    auto upto = parse_version_range("<= 2.3.1");
    REQUIRE(upto);
    CHECK(upto->from.empty());
    CHECK(upto->to_inclusive);
    auto before = parse_version_range("<2.4.0");
    REQUIRE(before);
    CHECK_FALSE(before->to_inclusive);
    auto span = parse_version_range("2.0 - 2.3.1");
    REQUIRE(span);
    CHECK(span->from == "2.0");
    CHECK(format_version_range(*span) == "2.0 - 2.3.1");
    CHECK_FALSE(parse_version_range(""));
    CHECK_FALSE(parse_version_range("all versions"));
}

TEST_CASE("the sample advisory has every fact", "[advisory]") {
    CHECK(describe(validate(sample_facts())) == "");
}

TEST_CASE("validate names each missing or invalid fact", "[advisory]") {
    AdvisoryFacts empty;
    auto problems = validate(empty);
    for (const char* fact : {"advisory-id", "affected", "published", "title.ja", "title.en", "cve",
                             "description.en", "cna-org-id"}) {
        INFO(fact);
        CHECK(names(problems, fact));
    }
    auto f = sample_facts();
    f.advisory_id = "JVN#1234";
    f.cvss31 = "CVSS:3.1/AV:N";
    f.cwe = "79";
    f.cve_ids.push_back("CVE-27-1");
    f.references.push_back({"ftp:/nowhere", ""});
    problems = validate(f);
    for (const char* fact : {"advisory-id", "cvss", "cwe", "cve", "reference"}) {
        INFO(fact);
        CHECK(names(problems, fact));
    }
}

TEST_CASE("a configured advisory id scheme is obeyed", "[advisory]") {
    auto f = sample_facts();
    f.publisher.id_pattern = "^CVD-[0-9]{4}-[0-9]{3}$";
    f.advisory_id = "CVD-2027-001";
    CHECK_FALSE(names(validate(f), "advisory-id"));
    f.advisory_id = "JVN#12345678";
    CHECK(names(validate(f), "advisory-id"));
}

TEST_CASE("the exporters refuse what they know is invalid, naming the fact", "[advisory]") {
    auto f = sample_facts();
    f.title.en.clear();
    auto text = render_text(f, Lang::en);
    REQUIRE_FALSE(text.ok());
    CHECK(text.error().message.find("title.en") != std::string::npos);
    CHECK(render_text(f, Lang::ja).ok());
    CHECK_FALSE(to_csaf(f, Lang::en, "2027-01-15T00:00:00Z", "0.1").ok());

    f = sample_facts();
    f.cve_ids.clear();
    auto cve = to_cve(f, "CVE-2027-12345");
    REQUIRE_FALSE(cve.ok());
    CHECK(cve.error().message.find("cve") != std::string::npos);
    CHECK_FALSE(to_cve(sample_facts(), "CVE-2027-99999").ok());

    f = sample_facts();
    f.cwe = "CWE-99999";
    auto csaf = to_csaf(f, Lang::ja, "2027-01-15T00:00:00Z", "0.1");
    REQUIRE_FALSE(csaf.ok());
    CHECK(csaf.error().message.find("cwe") != std::string::npos);
    f.cwe_name = "Some Weakness";
    CHECK(to_csaf(f, Lang::ja, "2027-01-15T00:00:00Z", "0.1").ok());
}

TEST_CASE("the advisory text carries the facts in each language", "[advisory]") {
    auto ja = render_text(sample_facts(), Lang::ja);
    REQUIRE(ja.ok());
    for (const char* s : {"JVN#12345678", "影響を受けるシステム", "Example CMS 2.0 - 2.3.1", "CWE-79",
                          "CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:C/C:L/I:L/A:N (基本値 5.4)", "CVE-2027-12345",
                          "対策済み", "山田 太郎 氏", "2027-01-15 公開"}) {
        INFO(s);
        CHECK(ja->find(s) != std::string::npos);
    }
    auto en = render_text(sample_facts(), Lang::en);
    REQUIRE(en.ok());
    for (const char* s : {"Products Affected", "fixed in 2.3.2", "Base Score 5.4", "Taro Yamada",
                          "Fixed (2027-01-10)", "https://www.example.com/security/2027-001"}) {
        INFO(s);
        CHECK(en->find(s) != std::string::npos);
    }
}

TEST_CASE("credit appears only when the discoverer consented", "[advisory]") {
    auto f = sample_facts();
    f.credit.consented = false;
    auto text = render_text(f, Lang::ja);
    REQUIRE(text.ok());
    CHECK(text->find("山田") == std::string::npos);
    CHECK(text->find("謝辞") == std::string::npos);
    auto csaf = to_csaf(f, Lang::en, "2027-01-15T00:00:00Z", "0.1");
    REQUIRE(csaf.ok());
    CHECK(csaf->dump().find("Yamada") == std::string::npos);
    auto cve = to_cve(f, "CVE-2027-12345");
    REQUIRE(cve.ok());
    CHECK_FALSE(cve->at("containers").at("cna").contains("credits"));
}

TEST_CASE("CSAF document has the security advisory profile's parts", "[advisory][csaf]") {
    auto csaf = to_csaf(sample_facts(), Lang::en, "2027-01-15T00:00:00Z", "0.1");
    REQUIRE(csaf.ok());
    const auto& doc = *csaf;
    CHECK(doc["document"]["category"] == "csaf_security_advisory");
    CHECK(doc["document"]["csaf_version"] == "2.0");
    CHECK(doc["document"]["tracking"]["id"] == "JVN#12345678");
    CHECK(doc["document"]["tracking"]["version"] == "1");
    CHECK(doc["document"]["tracking"]["initial_release_date"] == "2027-01-15T00:00:00+09:00");
    CHECK(doc["document"]["references"][0]["url"] == "https://jvn.jp/en/jp/JVN12345678/");
    const auto& vendor = doc["product_tree"]["branches"][0];
    CHECK(vendor["category"] == "vendor");
    CHECK(vendor["branches"][0]["category"] == "product_name");
    CHECK(vendor["branches"][0]["branches"][0]["name"] == "vers:generic/>=2.0|<=2.3.1");
    CHECK(vendor["branches"][0]["branches"][1]["name"] == "2.3.2");
    const auto& vuln = doc["vulnerabilities"][0];
    CHECK(vuln["cve"] == "CVE-2027-12345");
    CHECK(vuln["cwe"]["name"] == "Improper Neutralization of Input During Web Page Generation ('Cross-site Scripting')");
    CHECK(vuln["product_status"]["known_affected"][0] == "CSAFPID-0001");
    CHECK(vuln["product_status"]["fixed"][0] == "CSAFPID-0002");
    CHECK(vuln["scores"][0]["cvss_v3"]["baseScore"] == 5.4);
    CHECK(vuln["remediations"][0]["category"] == "vendor_fix");
    CHECK(vuln["acknowledgments"][0]["names"][0] == "Taro Yamada");
}

TEST_CASE("a vendor that is not affected lists its products as known_not_affected", "[advisory][csaf]") {
    auto f = sample_facts();
    f.affected.push_back({"Other Corp.", "Other Router", {"", "1.0", true}, ""});
    f.vendor_statements.push_back({"Other Corp.", VendorStatus::not_affected, {}, "2027-01-12"});
    auto csaf = to_csaf(f, Lang::ja, "2027-01-15T00:00:00Z", "0.1");
    REQUIRE(csaf.ok());
    CHECK((*csaf)["vulnerabilities"][0]["product_status"]["known_not_affected"].size() == 1);
    auto cve = to_cve(f, "CVE-2027-12345");
    REQUIRE(cve.ok());
    CHECK((*cve)["containers"]["cna"]["affected"][1]["versions"][0]["status"] == "unaffected");
}

TEST_CASE("CVE record carries the CNA container", "[advisory][cve]") {
    auto cve = to_cve(sample_facts(), "CVE-2027-12345");
    REQUIRE(cve.ok());
    const auto& r = *cve;
    CHECK(r["dataType"] == "CVE_RECORD");
    CHECK(r["dataVersion"] == "5.1");
    CHECK(r["cveMetadata"]["cveId"] == "CVE-2027-12345");
    const auto& cna = r["containers"]["cna"];
    CHECK(cna["descriptions"][0]["lang"] == "en");
    CHECK(cna["affected"][0]["versions"][0]["version"] == "2.0");
    CHECK(cna["affected"][0]["versions"][0]["lessThanOrEqual"] == "2.3.1");
    CHECK(cna["problemTypes"][0]["descriptions"][0]["cweId"] == "CWE-79");
    CHECK(cna["metrics"][0]["cvssV4_0"]["baseScore"] == 5.1);
    CHECK(cna["metrics"][0]["cvssV4_0"]["baseSeverity"] == "MEDIUM");
    CHECK(cna["metrics"][0]["cvssV4_0"]["version"] == "4.0");
    CHECK(cna["metrics"][1]["cvssV3_1"]["baseScore"] == 5.4);
    CHECK(cna["credits"][0]["value"] == "Taro Yamada");
    CHECK(cna["references"][0]["url"] == "https://jvn.jp/en/jp/JVN12345678/");
}

TEST_CASE("two CVEs of different weaknesses: one record each, one CSAF with both", "[advisory][cve]") {
    const auto f = testing::two_cve_facts();
    auto first = to_cve(f, "CVE-2027-12345");
    auto second = to_cve(f, "CVE-2027-12346");
    REQUIRE(first.ok());
    REQUIRE(second.ok());
    const auto& a = (*first)["containers"]["cna"];
    const auto& b = (*second)["containers"]["cna"];
    CHECK(a["problemTypes"][0]["descriptions"][0]["cweId"] == "CWE-79");
    CHECK(b["problemTypes"][0]["descriptions"][0]["cweId"] == "CWE-352");
    CHECK(b["problemTypes"][0]["descriptions"][0]["description"] == "CWE-352 Cross-Site Request Forgery (CSRF)");
    CHECK(b["descriptions"][0]["value"].get<std::string>().find("cross-site request forgery") != std::string::npos);
    CHECK(a["descriptions"][0]["value"].get<std::string>().find("stored cross-site scripting") != std::string::npos);
    CHECK(b["metrics"][1]["cvssV3_1"]["baseScore"] == 6.5);
    CHECK(a["metrics"][1]["cvssV3_1"]["baseScore"] == 5.4);

    auto csaf = to_csaf(f, Lang::en, "2027-01-15T00:00:00.000Z", "0.1.0");
    REQUIRE(csaf.ok());
    const auto& vulns = (*csaf)["vulnerabilities"];
    REQUIRE(vulns.size() == 2);
    CHECK(vulns[0]["cve"] == "CVE-2027-12345");
    CHECK(vulns[0]["cwe"]["id"] == "CWE-79");
    CHECK(vulns[1]["cve"] == "CVE-2027-12346");
    CHECK(vulns[1]["cwe"]["id"] == "CWE-352");
    CHECK(vulns[1]["notes"][0]["text"].get<std::string>().find("cross-site request forgery") != std::string::npos);

    auto text = render_text(f, Lang::en);
    REQUIRE(text.ok());
    CHECK(text->find("CVE-2027-12346\nExample CMS contains a cross-site request forgery") != std::string::npos);
    CHECK(text->find("CWE-352") != std::string::npos);
}

TEST_CASE("a CVE's own facts are checked as it will be written", "[advisory][cve]") {
    auto f = testing::two_cve_facts();
    f.per_cve[0].cwe = "CWE-99999";  // not on the built-in list and no name given
    auto problems = validate(f, Output::csaf, Lang::en);
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].fact == "CVE-2027-12346 cwe");
    f.per_cve[0].cvss31 = "CVSS:3.1/AV:N";
    CHECK_FALSE(to_cve(f, "CVE-2027-12346").ok());
    CHECK(to_cve(f, "CVE-2027-12345").ok());  // the other CVE is unaffected
}

TEST_CASE("a vendor's review section holds its own products and statement only", "[advisory][review]") {
    auto f = sample_facts();
    f.affected.push_back({"Other Vendor Inc.", "Other Product", {"", "5.0", true}, ""});
    f.vendor_statements.push_back({"Other Vendor Inc.", VendorStatus::affected, {"他社コメント", "Other statement"}, ""});
    const auto section = vendor_section(f, "example software co., ltd.");
    REQUIRE(section.affected.size() == 1);
    CHECK(section.affected[0].product == "Example CMS");
    REQUIRE(section.vendor_statements.size() == 1);
    CHECK_FALSE(section.credit.consented);
    CHECK(section.references.empty());
    for (auto lang : {Lang::ja, Lang::en}) {
        const auto text = render_vendor_section(section, lang);
        INFO(text);
        CHECK(text.find("Other Vendor") == std::string::npos);
        CHECK(text.find("Other Product") == std::string::npos);
        CHECK(text.find("Other statement") == std::string::npos);
        CHECK(text.find("他社コメント") == std::string::npos);
        CHECK(text.find("Taro Yamada") == std::string::npos);
        CHECK(text.find("山田") == std::string::npos);
        CHECK(text.find("Example CMS 2.0 - 2.3.1") != std::string::npos);
        CHECK(text.find(f.title.in(lang)) != std::string::npos);
    }
    CHECK(render_vendor_section(section, Lang::en).find("This issue is fixed in version 2.3.2.") != std::string::npos);
}
