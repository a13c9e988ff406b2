#pragma once
// A realistic single-vendor advisory (stored XSS in a web product), shared by the tests and by
// the sample exporter whose records the ecosystem's validators check.

#include "cvdbot/advisory/facts.hpp"

namespace cvd::advisory::testing {

inline AdvisoryFacts sample_facts() {
    AdvisoryFacts f;
    f.advisory_id = "JVN#12345678";
    f.title = {"Example CMS におけるクロスサイトスクリプティングの脆弱性",
               "Example CMS vulnerable to cross-site scripting"};
    f.overview = {
        "Example Software 株式会社が提供する Example CMS "
        "には、クロスサイトスクリプティングの脆弱性が存在します。",
        "Example CMS provided by Example Software Co., Ltd. contains a cross-site scripting "
        "vulnerability."};
    f.description = {
        "Example CMS "
        "のコメント表示機能には、格納型クロスサイトスクリプティングの脆弱性が存在します。",
        "Example CMS contains a stored cross-site scripting vulnerability in the comment view."};
    f.impact = {
        "当該製品にログインしたユーザのウェブブラウザ上で、任意のスクリプトを実行される可能性があり"
        "ます。",
        "An arbitrary script may be executed on the web browser of the user who is logged in."};
    f.solution = {"開発者が提供する情報をもとに、最新版へアップデートしてください。",
                  "Update the software to the latest version according to the information provided "
                  "by the developer."};
    f.workaround = {"コメント機能を無効にしてください。", "Disable the comment feature."};
    f.cve_ids = {"CVE-2027-12345"};
    f.cwe = "CWE-79";
    f.cvss31 = "CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:C/C:L/I:L/A:N";
    f.cvss40 = "CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:P/VC:N/VI:N/VA:N/SC:L/SI:L/SA:N";
    f.affected = {{"Example Software Co., Ltd.", "Example CMS", {"2.0", "2.3.1", true}, "2.3.2"}};
    f.vendor_statements = {
        {"Example Software Co., Ltd.",
         VendorStatus::fixed,
         {"本脆弱性は 2.3.2 で修正しました。", "This issue is fixed in version 2.3.2."},
         "2027-01-10"}};
    f.references = {
        {"https://www.example.com/security/2027-001", "Example Software Security Notice"}};
    f.credit = {true, {"山田 太郎 氏", "Taro Yamada"}};
    f.revisions = {{"2027-01-15", {"公開", "Initial release"}}};
    f.published = "2027-01-15";
    // A test UUID, not any real CNA's.
    f.publisher.cna_org_id = "00000000-0000-4000-8000-000000000001";
    return f;
}

// The sample with a second CVE of another weakness (CSRF in the same product): its own
// description, CWE and CVSS; the first CVE keeps the case-level facts.
inline AdvisoryFacts two_cve_facts() {
    AdvisoryFacts f = sample_facts();
    f.cve_ids = {"CVE-2027-12345", "CVE-2027-12346"};
    f.per_cve = {
        {"CVE-2027-12346",
         {"Example CMS の設定画面には、クロスサイトリクエストフォージェリの脆弱性が存在します。",
          "Example CMS contains a cross-site request forgery vulnerability in the settings page."},
         "CWE-352",
         "",
         "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:N/I:H/A:N",
         "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:A/VC:N/VI:H/VA:N/SC:N/SI:N/SA:N"}};
    return f;
}

}  // namespace cvd::advisory::testing
