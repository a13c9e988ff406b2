#include "cvdbot/mail/encoded_words.hpp"

#include <catch2/catch.hpp>

using cvd::mail::decode_header_value;
using cvd::mail::encode_words;

TEST_CASE("encoded words decode, adjacent ones joined") {
    CHECK(decode_header_value("=?UTF-8?B?44OG44K544OI?=") == "テスト");
    CHECK(decode_header_value("=?utf-8?q?caf=C3=A9_bar?=") == "café bar");
    CHECK(decode_header_value("=?utf-8?q?a?= =?utf-8?q?b?=") == "ab");
    CHECK(decode_header_value("=?utf-8?q?a?=\r\n =?utf-8?q?b?=") == "ab");
    CHECK(decode_header_value("x =?utf-8?q?a?= y") == "x a y");
    CHECK(decode_header_value("Re: [CVD#2026-0042] =?utf-8?B?44OG44K544OI?=") ==
          "Re: [CVD#2026-0042] テスト");
}

TEST_CASE("a UTF-8 character split across two words survives") {
    // "テ" = E3 83 86 split as E3 | 83 86
    CHECK(decode_header_value("=?utf-8?B?44M=?= =?utf-8?B?hg==?=") == "テ");
}

TEST_CASE("ISO-2022-JP words whose escape state spans words") {
    // Word 1 switches to JIS X 0208 and never switches back; word 2 continues.
    CHECK(decode_header_value("=?ISO-2022-JP?B?GyRCRnxLXA==?= =?ISO-2022-JP?B?OGwbKEI=?=") ==
          "日本語");
}

TEST_CASE("broken encoded words are best effort") {
    std::vector<std::string> w;
    CHECK(decode_header_value("=?utf-8?B?44OG44K544OI?=tail", &w) == "テストtail");
    CHECK(decode_header_value("=?utf-8?X?abc?=", &w) == "=?utf-8?X?abc?=");
    CHECK(decode_header_value("What=? is this", &w) == "What=? is this");
    CHECK(decode_header_value("=?unknown-cs?Q?abc?=", &w) == "abc");
    CHECK(decode_header_value("=?utf-8?B?!!!44OG44K544OI?=", &w) == "テスト");
    CHECK_FALSE(w.empty());
}

TEST_CASE("raw 8-bit header bytes are detected, controls neutralized") {
    CHECK(decode_header_value("caf\xC3\xA9") == "café");
    std::vector<std::string> w;
    CHECK(decode_header_value("\x82\xb1\x82\xf1\x82\xc9\x82\xbf\x82\xcd", &w) == "こんにちは");
    CHECK(decode_header_value("=?utf-8?Q?a=0D=0AInjected:_x?=") == "a  Injected: x");
    CHECK(decode_header_value(std::string("a\0b", 3), &w) == "a b");
}

TEST_CASE("encode_words splits on characters and stays within 75 columns") {
    std::string text;
    for (int i = 0; i < 40; ++i) text += "脆弱性";
    auto words = encode_words(text, 60);
    REQUIRE(words.size() > 2);
    CHECK(words.front().size() <= 60);
    std::string joined;
    for (const auto& w : words) {
        CHECK(w.size() <= 75);
        joined += w + " ";
    }
    CHECK(decode_header_value(joined) == text);
}
