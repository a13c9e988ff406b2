#include "cvdbot/mail/charset.hpp"

#include <catch2/catch.hpp>

#include "cvdbot/core/text.hpp"

using cvd::mail::detect_charset;
using cvd::mail::normalize_charset_name;
using cvd::mail::to_utf8;

TEST_CASE("to_utf8 passes valid UTF-8 and ASCII through") {
    std::vector<std::string> w;
    CHECK(to_utf8("hello", "us-ascii", &w) == "hello");
    CHECK(to_utf8("caf\xC3\xA9", "utf-8", &w) == "café");
    CHECK(w.empty());
}

TEST_CASE("ISO-2022-JP with Microsoft extensions keeps circled digits, ㈱, ～ and kana") {
    // ESC $ B -! (①) -j (㈱) !A (～) ESC ( I 6 (ｶ) ESC ( B
    std::string jis = "\x1b$B-!-j!A\x1b(I6\x1b(B ok";
    std::vector<std::string> w;
    CHECK(to_utf8(jis, "ISO-2022-JP", &w) == "①㈱～ｶ ok");
    CHECK(w.empty());
}

TEST_CASE("ISO-2022-JP plain kanji and JIS X 0212") {
    CHECK(to_utf8("\x1b$BF|K\\8l\x1b(B", "iso-2022-jp") == "日本語");
    // JIS X 0212 0x3021 is U+4E02 (丂) via EUC-JP-MS.
    CHECK(to_utf8("\x1b$(D0!\x1b(B", "iso-2022-jp") == "丂");
}

TEST_CASE("broken ISO-2022-JP gives replacement characters and a warning") {
    std::vector<std::string> w;
    std::string out = to_utf8("\x1b$BF|\x1b(B\x1b$BK", "iso-2022-jp", &w);
    CHECK(cvd::core::is_valid_utf8(out));
    CHECK(out.find("日") == 0);
    CHECK(out.find("\xEF\xBF\xBD") != std::string::npos);
    CHECK_FALSE(w.empty());
}

TEST_CASE("Shift_JIS is read as CP932 and EUC-JP with NEC extensions") {
    CHECK(to_utf8("\x87\x40\x82\xa0\xfb\xfc", "Shift_JIS") == "①あ髙");
    CHECK(to_utf8("\x87\x40", "x-sjis") == "①");
    CHECK(to_utf8("\xa4\xa2\xad\xa1", "EUC-JP") == "あ①");
}

TEST_CASE("unknown and missing charsets give best effort and a warning") {
    std::vector<std::string> w;
    CHECK(to_utf8("caf\xE9", "x-no-such-charset", &w) == "café");
    CHECK_FALSE(w.empty());
    w.clear();
    CHECK(to_utf8("caf\xC3\xA9", "", &w) == "café");
    CHECK(w.empty());  // unlabeled UTF-8 is legitimate (RFC 6532)
    CHECK(to_utf8("caf\xE9", "us-ascii", &w) == "café");
    CHECK_FALSE(w.empty());
}

TEST_CASE("mislabeled Japanese is detected when unambiguous") {
    std::string sjis = "\x82\xb1\x82\xf1\x82\xc9\x82\xbf\x82\xcd";  // こんにちは
    std::vector<std::string> w;
    CHECK(to_utf8(sjis, "iso-2022-jp", &w) == "こんにちは");
    CHECK_FALSE(w.empty());
    CHECK(detect_charset(sjis) == "shift_jis");
    CHECK(detect_charset("\xa4\xb3\xa4\xf3\xa4\xcb\xa4\xc1\xa4\xcf") == "euc-jp");
    CHECK(detect_charset("\x1b$B$3$s\x1b(B") == "iso-2022-jp");
    CHECK(to_utf8("\x1b$B$3$s\x1b(B", "us-ascii") == "こん");
}

TEST_CASE("invalid UTF-8 is always repaired") {
    std::vector<std::string> w;
    std::string out = to_utf8("a\xff\xfe b", "utf-8", &w);
    CHECK(cvd::core::is_valid_utf8(out));
    CHECK_FALSE(w.empty());
    CHECK(cvd::core::is_valid_utf8(to_utf8("\x80\x81\x82", "windows-1252")));
    CHECK(cvd::core::is_valid_utf8(to_utf8("\xff\xff\xff", "shift_jis")));
}

TEST_CASE("charset names are normalized") {
    CHECK(normalize_charset_name(" \"UTF8\" ") == "utf-8");
    CHECK(normalize_charset_name("windows-31j") == "shift_jis");
    CHECK(normalize_charset_name("us-ascii*en") == "us-ascii");
}
