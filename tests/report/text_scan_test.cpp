#include "text_scan.hpp"

#include <catch2/catch.hpp>

using namespace cvd::report::scan;

TEST_CASE("List markers") {
    CHECK(strip_list_marker("・製品名") == "製品名");
    CHECK(strip_list_marker("- Product") == "Product");
    CHECK(strip_list_marker("1. Product") == "Product");
    CHECK(strip_list_marker("12) Product") == "Product");
    CHECK(strip_list_marker("(3) 製品名") == "製品名");
    CHECK(strip_list_marker("１．製品名") == "製品名");
    CHECK(strip_list_marker("（２）製品名") == "製品名");
    CHECK(strip_list_marker("3、製品名") == "製品名");
    CHECK(strip_list_marker("①製品名") == "製品名");
    CHECK(strip_list_marker("## Impact") == "Impact");
    CHECK(strip_list_marker("1.2.3") == "1.2.3");  // a version
    CHECK(strip_list_marker("-1") == "-1");
    CHECK(strip_list_marker("2027-01-15") == "2027-01-15");
    CHECK(strip_list_marker("") == "");
}

TEST_CASE("Trimming, folding, cutting") {
    CHECK(trim("\xE3\x80\x80 x \xE3\x80\x80") == "x");
    CHECK(fold("  Ｐｒｏｄｕｃｔ\xE3\x80\x80 Name ") == "product name");
    CHECK(cut_utf8("日本", 4) == "日");
    CHECK(cut_utf8("日本", 6) == "日本");
    CHECK(cut_utf8("abc", 0).empty());
    bool cut = false;
    CHECK(prepare("a\r\nb\rc\n", 100, cut) == "a\nb\nc\n");
    CHECK_FALSE(cut);
    CHECK(prepare("\xEF\xBB\xBFx\xFF", 100, cut) == "x\xEF\xBF\xBD");
    CHECK(prepare("日本語", 4, cut) == "日");
    CHECK(cut);
}

TEST_CASE("Phrases respect word boundaries") {
    CHECK(contains_phrase("no thanks", "no"));
    CHECK_FALSE(contains_phrase("note", "no"));
    CHECK_FALSE(contains_phrase("unaffected", "affected"));
    CHECK(contains_phrase("影響なし", "なし"));
    std::string text = "not affected, affected";
    CHECK(erase_phrases(text, {"not affected"}));
    CHECK(text == "            , affected");
    CHECK(find_colon("a：b:c").pos == 1);
    CHECK(find_colon("a:b：c").pos == 1);
    CHECK(find_colon("abc").pos == std::string_view::npos);
}

TEST_CASE("Yes/no answers") {
    CHECK(read_yes_no("yes") == true);
    CHECK(read_yes_no("No.") == false);
    CHECK(read_yes_no("Note") == std::nullopt);
    CHECK(read_yes_no("希望する") == true);
    CHECK(read_yes_no("希望しません") == false);
    CHECK(read_yes_no("☑ はい ☐ いいえ") == true);
    CHECK(read_yes_no("○はい ●いいえ") == false);
    CHECK(read_yes_no("[x] yes [x] no") == std::nullopt);
    CHECK(read_yes_no("") == std::nullopt);
}
