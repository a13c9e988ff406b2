// Broken and hostile input: each case is named after what it tries. Nothing may throw, every
// value must be valid UTF-8 and within the limits.

#include <catch2/catch.hpp>
#include <random>

#include "cvdbot/core/text.hpp"
#include "cvdbot/report/report_form.hpp"
#include "cvdbot/report/vendor_reply.hpp"

using namespace cvd::report;

namespace {

void check_sane(const ReportForm& form, const ReportLimits& limits) {
    for (const auto& value : form.values) {
        CHECK(cvd::core::is_valid_utf8(value));
        CHECK(value.size() <= limits.max_value_bytes);
    }
    CHECK(form.warnings.size() <= limits.max_warnings);
    CHECK(cvd::core::is_valid_utf8(form.cwe));
}

std::string repeat(std::string_view piece, std::size_t times) {
    std::string out;
    out.reserve(piece.size() * times);
    for (std::size_t i = 0; i < times; ++i) out += piece;
    return out;
}

}  // namespace

TEST_CASE("Hostile report forms") {
    const ReportLimits limits;
    const std::vector<std::pair<std::string, std::string>> cases{
        {"empty", ""},
        {"only newlines", repeat("\n", 10000)},
        {"only CRs", repeat("\r", 10000)},
        {"NUL bytes", std::string("製品名：A") + '\0' + "B\n開発者：" + '\0' + "\n"},
        {"invalid UTF-8 in label and value", "\xE8\xA3\xBD品名：\xFF\xFE\n\xC0\xAF: x\n"},
        {"label cut in the middle of a character", "製品名\xEF\xBC"},
        {"unterminated bracket", "【製品名\nFoo\n"},
        {"bracket without label", "【】\nFoo\n"},
        {"nested brackets", "【【【製品名】】】\nFoo\n"},
        {"colon only", ":\n：\n::::\n"},
        {"label with nothing after", "製品名："},
        {"thousands of labels", repeat("Product: x\nVendor: y\n", 5000)},
        {"one huge value", "Steps to reproduce:\n" + repeat("A", 400 * 1024)},
        {"one huge line with a label", "Product: " + repeat("日本語", 100000)},
        {"many parentheses", "Product" + repeat("(", 10000) + ": x\n"},
        {"many slashes", repeat("/", 10000) + ": x\n" + repeat("Product/", 100) + ": x\n"},
        {"deep list markers", repeat("・", 2000) + "製品名：x\n"},
        {"checkbox storm", "謝辞：" + repeat("■□[x][ ]", 5000) + "\n"},
        {"cwe storm", "脆弱性の種類：" + repeat("CWE-CWE-cwe", 20000) + "\n"},
        {"many addresses", "連絡先：" + repeat("a@b@c@ ", 20000) + "\n"},
        {"signature first", "-- \nProduct: x\n"},
    };
    for (const auto& [name, text] : cases) {
        INFO(name);
        ReportForm form;
        REQUIRE_NOTHROW(form = parse_report(text, limits));
        check_sane(form, limits);
    }
}

TEST_CASE("Limits are applied and reported") {
    ReportLimits limits;
    limits.max_input_bytes = 1000;
    limits.max_line_bytes = 100;
    limits.max_value_bytes = 200;
    limits.max_warnings = 3;
    const std::string text = "Product: " + repeat("x", 500) + "\nSteps to reproduce:\n" +
                             repeat("step\n", 100) + "Vendor: never read\n";
    const ReportForm form = parse_report(text, limits);
    check_sane(form, limits);
    CHECK(form.value(Field::product_name).size() == 100 - std::string("Product: ").size());
    CHECK(form.value(Field::reproduction_steps).size() <= 200);
    CHECK(form.value(Field::developer).empty());  // beyond the bytes looked at
    CHECK(form.warnings.size() == 3);
    // A cut never splits a character.
    limits.max_line_bytes = 10;
    const ReportForm japanese = parse_report("製品名：日本語の製品名\n", limits);
    CHECK(cvd::core::is_valid_utf8(japanese.value(Field::product_name)));
}

TEST_CASE("Control characters never reach a value") {
    const ReportForm form = parse_report(std::string("Product: A\x01\x1b[31mB\x7f\n", 19));
    CHECK(form.value(Field::product_name) == "A  [31mB");
}

TEST_CASE("Hostile vendor replies") {
    const std::vector<std::pair<std::string, std::string>> cases{
        {"empty", ""},
        {"only quotes", repeat("> 検証結果：影響あり\n", 1000)},
        {"date storm", "公表希望日：" + repeat("2027-01-01 ", 20000)},
        {"many different dates", "We wish publication on " + repeat("2027-01-01 2027-01-02 ", 100)},
        {"digits", repeat("9", 100000)},
        {"kanji date fragments", repeat("2027年年月月日日時時分分", 5000)},
        {"weekday without end", "公表希望日：2027-01-15 (" + repeat("x", 5000)},
        {"invalid UTF-8", "\xFF\xFE検証結果\xEF\xBC：\xE5\xBD"},
        {"huge line", "Verification result: " + repeat("affected not affected ", 20000)},
        {"separator storm", repeat("-----Original Message-----\n", 1000)},
        {"From lines", repeat("From: a\n", 5000)},
    };
    for (const auto& [name, text] : cases) {
        INFO(name);
        VendorReply reply;
        REQUIRE_NOTHROW(reply = parse_vendor_reply(text));
        for (const auto& note : reply.notes) CHECK(cvd::core::is_valid_utf8(note));
    }
    // Many different dates: never a guess.
    const auto many = parse_vendor_reply("We wish publication on 2027-01-01, or 2027-01-02.\n");
    CHECK_FALSE(many.publication_date);
    CHECK(many.publication_date_unclear);
}

TEST_CASE("Random bytes and random mixes of form pieces") {
    std::mt19937 random(20261126);
    const std::vector<std::string> pieces{"【",
                                          "】",
                                          "製品名",
                                          "：",
                                          ":",
                                          "\n",
                                          "\r\n",
                                          "・",
                                          "- ",
                                          "(",
                                          ")",
                                          "（",
                                          "）",
                                          "■",
                                          "□",
                                          "[x]",
                                          "Product",
                                          "Vendor",
                                          "Steps to reproduce",
                                          "CWE-",
                                          "79",
                                          "謝辞",
                                          "希望する",
                                          "不可",
                                          "@",
                                          "> ",
                                          "検証結果",
                                          "影響あり",
                                          "影響なし",
                                          "2027",
                                          "-",
                                          "/",
                                          "年",
                                          "月",
                                          "日",
                                          "\xE3\x80\x80",
                                          "\xFF",
                                          "\xE3"};
    for (int round = 0; round < 300; ++round) {
        std::string text;
        const int length = static_cast<int>(random() % 200);
        for (int i = 0; i < length; ++i) {
            if (random() % 8 == 0)
                text.push_back(static_cast<char>(random() % 256));
            else
                text += pieces[random() % pieces.size()];
        }
        INFO(text);
        ReportForm form;
        REQUIRE_NOTHROW(form = parse_report(text));
        check_sane(form, ReportLimits{});
        REQUIRE_NOTHROW(parse_vendor_reply(text));
        REQUIRE_NOTHROW(parse_wished_date(text));
    }
}
