#include "cvdbot/report/report_form.hpp"

#include <algorithm>
#include <catch2/catch.hpp>

#include "test_util.hpp"

using namespace cvd::report;
using cvd::report::test::load;

namespace {
bool missing(const ReportForm& form, Field field) {
    return std::find(form.missing.begin(), form.missing.end(), field) != form.missing.end();
}
}  // namespace

TEST_CASE("IPA software-product form with 【】 labels, in Japanese") {
    const ReportForm form = parse_report(load("product_ja_bracket.txt"));
    CHECK_FALSE(form.free_form);
    CHECK(form.kind == ReportKind::product);
    CHECK(form.missing.empty());
    CHECK(form.value(Field::discoverer_name) == "山田 太郎");
    CHECK(form.value(Field::organisation) == "株式会社サンプルセキュリティ");
    CHECK(form.value(Field::contact) == "taro.yamada@example.jp\n03-1234-5678");
    CHECK(form.contact_email == "taro.yamada@example.jp");
    CHECK(form.wants_credit == true);
    CHECK(form.value(Field::credit_name) == "Taro Yamada (Sample Security Inc.)");
    CHECK(form.contact_to_vendor_allowed == false);
    CHECK(form.value(Field::product_name) == "サンプル文書管理システム");
    CHECK(form.value(Field::product_version) == "3.2.1 およびそれ以前");
    CHECK(form.value(Field::developer) == "株式会社サンプルソフト");
    CHECK(form.value(Field::vulnerability_type) == "クロスサイト・スクリプティング（CWE-79）");
    CHECK(form.cwe == "CWE-79");
    CHECK(form.value(Field::reproduction_steps).rfind("1. 管理者としてログインする\n2. ", 0) == 0);
    CHECK(form.value(Field::reproduction_steps).find("3. 検索結果画面でスクリプトが実行される") !=
          std::string::npos);
    CHECK(form.value(Field::impact) == "管理者のセッション情報が窃取される可能性があります。");
    CHECK(form.value(Field::proof_of_concept) == "\"><script>alert(document.cookie)</script>");
    // The signature after "-- " is not part of the last field.
    CHECK(form.value(Field::others_informed) == "なし");
    CHECK(form.warnings.empty());
}

TEST_CASE("Form with 項目：値 lines, bullets, numbering and full-width text") {
    const ReportForm form = parse_report(load("product_ja_colon.txt"));
    CHECK(form.kind == ReportKind::product);
    CHECK(form.missing.empty());
    CHECK(form.value(Field::discoverer_name) == "佐藤 花子");
    CHECK(form.value(Field::organisation) == "個人");
    CHECK(form.contact_email == "hanako.sato@example.org");
    CHECK(form.wants_credit == false);
    // "■脆弱性情報" is a section heading: it ends the answer before it.
    CHECK(form.value(Field::contact_to_vendor_ok) == "可");
    CHECK(form.contact_to_vendor_allowed == true);
    CHECK(form.value(Field::product_name) == "ExampleCMS");
    CHECK(form.value(Field::product_version) == "5.0.0〜5.2.3");
    CHECK(form.value(Field::developer) == "Example Project");
    CHECK(form.cwe == "CWE-78");
    CHECK(form.value(Field::reproduction_steps).find("; id を含める。") != std::string::npos);
    CHECK(form.value(Field::reproduction_steps).find("id コマンドが実行される") !=
          std::string::npos);
    CHECK(form.value(Field::impact) == "遠隔の第三者が任意のOSコマンドを実行できる");
    CHECK(form.value(Field::others_informed) == "開発者にはまだ連絡していません");
}

TEST_CASE("IPA web-application form") {
    const ReportForm form = parse_report(load("web_ja.txt"));
    CHECK(form.kind == ReportKind::web);
    CHECK(form.missing.empty());
    // The page URL is kept with the site URL.
    CHECK(form.value(Field::site_url) ==
          "https://shop.example.co.jp/\nhttps://shop.example.co.jp/search?q=");
    CHECK(form.value(Field::developer) == "株式会社エグザンプル商店");  // the site operator
    CHECK(form.value(Field::vulnerability_type) == "SQLインジェクション");
    CHECK(form.cwe.empty());
    CHECK(form.value(Field::discoverer_name) == "鈴木 一郎");
    CHECK(form.wants_credit == false);
}

TEST_CASE("English Field: value form with values over several lines") {
    const ReportForm form = parse_report(load("product_en.txt"));
    CHECK(form.kind == ReportKind::product);
    CHECK(form.missing.empty());
    CHECK(form.value(Field::discoverer_name) == "Alice Example");
    CHECK(form.value(Field::organisation) == "Example Research Lab");
    CHECK(form.contact_email == "alice@research.example");
    CHECK(form.wants_credit == true);
    CHECK(form.contact_to_vendor_allowed == true);
    CHECK(form.value(Field::product_name) == "WidgetServer");
    CHECK(form.value(Field::product_version) == "2.4.0 - 2.4.7");
    CHECK(form.value(Field::developer) == "Widget Corp.");
    CHECK(form.cwe == "CWE-22");
    const std::string& steps = form.value(Field::reproduction_steps);
    CHECK(steps.rfind("1. Start WidgetServer", 0) == 0);
    // "Version:" among the steps, after the version was given, stays in the steps.
    CHECK(steps.find("Version: 2.4.7 is the one I tested.") != std::string::npos);
    CHECK(steps.find("Note: the version: 2.4.8 is not affected.") != std::string::npos);
    CHECK(form.value(Field::impact) ==
          "An unauthenticated remote attacker can read arbitrary files.");
    CHECK(form.value(Field::proof_of_concept) ==
          "curl -s 'http://target:8080/static/..%2f..%2fetc/passwd'");
    // "Best regards," ends the last answer: the signature is not part of it.
    CHECK(form.value(Field::others_informed) == "none");
    CHECK(form.warnings.size() == 1);  // the repeated "Version:" label
}

TEST_CASE("English web form with a site operator") {
    const ReportForm form = parse_report(load("web_en.txt"));
    CHECK(form.kind == ReportKind::web);
    CHECK(form.missing.empty());
    CHECK(form.value(Field::site_url) == "https://portal.example.com/login");
    CHECK(form.value(Field::developer) == "Example Portal Ltd.");
    CHECK(form.value(Field::reproduction_steps) ==
          "Visit https://portal.example.com/login?next=https://evil.example/ and log in;\n"
          "the browser is sent to evil.example.");
    CHECK(form.wants_credit == false);
}

TEST_CASE("A free-form report is accepted and flagged") {
    const ReportForm form = parse_report(load("free_form_en.txt"));
    CHECK(form.free_form);
    CHECK(form.kind == ReportKind::unknown);
    CHECK(form.missing.empty());
    for (const auto& value : form.values) CHECK(value.empty());
}

TEST_CASE("Missing required fields are listed with their labels") {
    const ReportForm form = parse_report(load("incomplete_ja.txt"));
    CHECK_FALSE(form.free_form);
    CHECK(form.kind == ReportKind::product);
    CHECK(form.missing == std::vector<Field>{Field::developer, Field::reproduction_steps});
    CHECK_FALSE(missing(form, Field::product_name));
    CHECK(field_label(Field::developer).ja == "製品開発者");
    CHECK(field_label(Field::developer).en == "Developer (vendor)");
    CHECK(field_label(Field::reproduction_steps).en == "Steps to reproduce");
}

TEST_CASE("A blank template sent back has every required field missing") {
    const ReportForm form = parse_report(load("blank_template_ja.txt"));
    CHECK_FALSE(form.free_form);
    // Instructions in parentheses are no answer.
    CHECK(form.value(Field::product_name).empty());
    CHECK(form.value(Field::vulnerability_type).empty());
    CHECK(form.kind == ReportKind::unknown);
    CHECK(form.missing == required_fields(ReportKind::unknown));
    CHECK_FALSE(form.wants_credit.has_value());  // neither box ticked
}

TEST_CASE("Classification and the coordinator's override") {
    ReportForm form;
    CHECK(classify(form) == ReportKind::unknown);
    form.values[static_cast<std::size_t>(Field::site_url)] = "https://example.org";
    CHECK(classify(form) == ReportKind::web);
    form.values[static_cast<std::size_t>(Field::developer)] = "Operator Inc.";
    CHECK(classify(form) == ReportKind::web);  // with a site URL, the developer is the operator
    form.values[static_cast<std::size_t>(Field::product_name)] = "CMS";
    CHECK(classify(form) == ReportKind::product);  // a product running on a site
    CHECK(missing_fields(form, ReportKind::web) ==
          std::vector<Field>{Field::vulnerability_type, Field::reproduction_steps});
    CHECK(missing_fields(form, ReportKind::product) ==
          std::vector<Field>{Field::vulnerability_type, Field::reproduction_steps});
}

TEST_CASE("Label variants") {
    auto field_of = [](const std::string& line) {
        const ReportForm form = parse_report(line + "\n");
        for (std::size_t i = 0; i < kFieldCount; ++i)
            if (!form.values[i].empty()) return std::string(to_string(static_cast<Field>(i)));
        return std::string("none");
    };
    CHECK(field_of("ソフトウエア製品名：X") == "product_name");
    CHECK(field_of("ソフトウェア製品名: X") == "product_name");
    CHECK(field_of("Product name: X") == "product_name");
    CHECK(field_of("製品開発者：X") == "developer");
    CHECK(field_of("Developer: X") == "developer");
    CHECK(field_of("届出者氏名：X") == "discoverer_name");
    CHECK(field_of("氏名　：　X") == "discoverer_name");
    CHECK(field_of("Your name: X") == "discoverer_name");
    CHECK(field_of("クレジット：希望する") == "credit_wish");
    CHECK(field_of("謝辞への記載を希望しますか：はい") == "credit_wish");
    CHECK(field_of("謝辞に記載する名前：X") == "credit_name");
    CHECK(field_of("Credit (yes/no): yes") == "credit_wish");
    CHECK(field_of("ウェブサイトのURL：https://x.example") == "site_url");
    CHECK(field_of("Site URL: https://x.example") == "site_url");
    CHECK(field_of("脆弱性の種類：XSS") == "vulnerability_type");
    CHECK(field_of("Vulnerability type: XSS") == "vulnerability_type");
    CHECK(field_of("再現手順：X") == "reproduction_steps");
    CHECK(field_of("Steps to reproduce: X") == "reproduction_steps");
    CHECK(field_of("影響：X") == "impact");
    CHECK(field_of("Impact: X") == "impact");
    CHECK(field_of("他者への連絡：なし") == "others_informed");
    CHECK(field_of("Other parties informed: none") == "others_informed");
    CHECK(field_of("Product / 製品名: X") == "product_name");
    CHECK(field_of("製品名 (Product name): X") == "product_name");
    CHECK(field_of("連絡先（電話/メール）：x@example.org") == "contact");
    CHECK(field_of("- Vendor: X") == "developer");
    CHECK(field_of("* Vendor: X") == "developer");
    CHECK(field_of("(3) 製品名：X") == "product_name");
    CHECK(field_of("①製品名：X") == "product_name");
    CHECK(field_of("１．製品名：X") == "product_name");
    CHECK(field_of("【製品名】X") == "product_name");
    CHECK(field_of("[Product] X") == "none");             // ASCII brackets are too common in prose
    CHECK(field_of("Check the version: 1.2") == "none");  // prose, not a label
    CHECK(field_of("https://example.org/a:b") == "none");
    CHECK(field_of("Would you like to be credited?: yes") == "credit_wish");
    CHECK(field_of("製品開発者への連絡先の開示：可") == "contact_to_vendor_ok");
    CHECK(field_of("製品開発者に連絡先を伝えてもよいですか：はい") == "contact_to_vendor_ok");
}

TEST_CASE("Yes and no answers") {
    auto credit = [](const std::string& value) {
        return parse_report("謝辞：" + value + "\n").wants_credit;
    };
    CHECK(credit("希望する") == true);
    CHECK(credit("希望しない") == false);
    CHECK(credit("不要") == false);
    CHECK(credit("はい") == true);
    CHECK(credit("いいえ") == false);
    CHECK(credit("Yes") == true);
    CHECK(credit("No thanks") == false);
    CHECK(credit("■希望する　□希望しない") == true);
    CHECK(credit("□希望する　■希望しない") == false);
    CHECK(credit("[x] yes [ ] no") == true);
    CHECK(credit("[ ] yes [x] no") == false);
    CHECK_FALSE(credit("■希望する　■希望しない").has_value());  // both ticked
    CHECK_FALSE(credit("希望する / 希望しない").has_value());   // not chosen
    CHECK_FALSE(credit("maybe later").has_value());
    auto share = [](const std::string& value) {
        return parse_report("製品開発者への連絡先の開示：" + value + "\n")
            .contact_to_vendor_allowed;
    };
    CHECK(share("可") == true);
    CHECK(share("不可") == false);
    CHECK(share("同意しない") == false);
    CHECK(share("匿名を希望") == false);
}

TEST_CASE("A description is read ahead of the steps; a CWE line fills the type") {
    const ReportForm form = parse_report(
        "Product: P\nVendor: V\nCWE: CWE-352\nDescription: The settings form has no CSRF token.\n"
        "Steps to reproduce:\nOpen attack.html while logged in.\n");
    CHECK(form.value(Field::vulnerability_type) == "CWE-352");
    CHECK(form.cwe == "CWE-352");
    CHECK(form.value(Field::reproduction_steps) ==
          "The settings form has no CSRF token.\n\nOpen attack.html while logged in.");
    CHECK(form.missing.empty());
}

TEST_CASE("CRLF, lone CR, full-width spaces and a BOM") {
    const ReportForm form = parse_report(
        "\xEF\xBB\xBF\xE3\x80\x80製品名：\xE3\x80\x80"
        "Foo\xE3\x80\x80\r\n開発者：Bar\rVulnerability type: XSS\r\n"
        "再現手順：\r\n手順1\r\n手順2\r\n");
    CHECK(form.value(Field::product_name) == "Foo");
    CHECK(form.value(Field::developer) == "Bar");
    CHECK(form.value(Field::vulnerability_type) == "XSS");
    CHECK(form.value(Field::reproduction_steps) == "手順1\n手順2");
    CHECK(form.missing.empty());
}

TEST_CASE("Parentheses are an answer unless they hold the form's instruction") {
    CHECK(parse_report("製品名：（製品の名称を記入）\n").value(Field::product_name).empty());
    CHECK(parse_report("Product: (please fill in)\n").value(Field::product_name).empty());
    const ReportForm form = parse_report("Vulnerability type: (CWE-79)\n");
    CHECK(form.value(Field::vulnerability_type) == "(CWE-79)");
    CHECK(form.cwe == "CWE-79");
}

TEST_CASE("Closing words end the last answer") {
    const ReportForm form = parse_report("影響：情報漏えい\n以上\n山田\n");
    CHECK(form.value(Field::impact) == "情報漏えい");
    CHECK(parse_report("Impact: data loss\nThanks!\nBob\n").value(Field::impact) == "data loss");
    // Inside a value, only a line of its own counts.
    CHECK(parse_report("Impact: thanks to a bug, data loss\n").value(Field::impact) ==
          "thanks to a bug, data loss");
}

TEST_CASE("Names of fields and kinds") {
    CHECK(to_string(Field::contact_to_vendor_ok) == "contact_to_vendor_ok");
    CHECK(to_string(Field::others_informed) == "others_informed");
    CHECK(to_string(ReportKind::web) == "web");
    for (std::size_t i = 0; i < kFieldCount; ++i) {
        CHECK_FALSE(field_label(static_cast<Field>(i)).en.empty());
        CHECK_FALSE(field_label(static_cast<Field>(i)).ja.empty());
    }
}
