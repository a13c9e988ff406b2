#include <catch2/catch.hpp>

#include "cvdbot/core/hash.hpp"
#include "cvdbot/core/text.hpp"

using namespace cvd::core;

TEST_CASE("UTF-8 validation and repair") {
    CHECK(is_valid_utf8("plain"));
    CHECK(is_valid_utf8("脆弱性"));
    CHECK_FALSE(is_valid_utf8("\xC0\xAF"));          // overlong
    CHECK_FALSE(is_valid_utf8("\xED\xA0\x80"));      // surrogate
    CHECK_FALSE(is_valid_utf8("\xE8\x84"));          // truncated
    CHECK(sanitize_utf8("a\xFF" "b") == "a\xEF\xBF\xBD" "b");
    CHECK(is_valid_utf8(sanitize_utf8("\x80\x81\xE3\x81")));
}

TEST_CASE("ASCII test looks at every byte") {
    CHECK(is_ascii(""));
    CHECK(is_ascii("bot@example.test\x7F"));
    CHECK_FALSE(is_ascii("b\xC3\xB6t@example.test"));
    CHECK_FALSE(is_ascii(std::string_view("a\0\x80", 3)));  // not stopped by a NUL
}

TEST_CASE("String helpers") {
    CHECK(trim("  x y \r\n") == "x y");
    CHECK(trim(" \t ").empty());
    CHECK(iequals_ascii("Message-ID", "message-id"));
    CHECK(starts_with_icase("RE: x", "re:"));
    CHECK(split("a,b,,c", ',').size() == 4);
    CHECK(address_domain("bot@example.test") == "example.test");
    CHECK(address_domain("nobody").empty());
}

TEST_CASE("UTF-8 encoding of code points") {
    std::string out;
    append_utf8(out, U'A');
    append_utf8(out, 0xE9);
    append_utf8(out, 0x8106);    // 脆
    append_utf8(out, 0x1F600);
    CHECK(out == "A\xC3\xA9\xE8\x84\x86\xF0\x9F\x98\x80");
    std::string bad;
    append_utf8(bad, 0xD800);    // a lone surrogate
    append_utf8(bad, 0x110000);  // beyond Unicode
    CHECK(bad == "\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST_CASE("Line ends to LF") {
    CHECK(to_lf("a\r\nb\rc\nd") == "a\nb\nc\nd");
    CHECK(to_lf("\r\r\n") == "\n\n");
    CHECK(to_lf("").empty());
}

TEST_CASE("Width folding") {
    CHECK(fold_width("［ＣＶＤ＃２０２６－０００１］") == "[CVD#2026-0001]");
    CHECK(fold_width("製品名：\xE3\x80\x80Ｆｏｏ") == "製品名: Foo");
    CHECK(fold_width("ｶﾀｶﾅ stays") == "ｶﾀｶﾅ stays");
}

TEST_CASE("Addresses: dot-atoms and plausible addr-specs") {
    CHECK(is_dot_atom("user.name+tag"));
    CHECK_FALSE(is_dot_atom(".lead"));
    CHECK_FALSE(is_dot_atom("a..b"));
    CHECK_FALSE(is_dot_atom("a\x7F" "b"));
    CHECK(is_plausible_addr_spec("user.name+tag@example.co.jp"));
    CHECK(is_plausible_addr_spec("\"odd local\"@example.org"));
    CHECK(is_plausible_addr_spec("x@[192.0.2.1]"));
    CHECK_FALSE(is_plausible_addr_spec("no-at-sign"));
    CHECK_FALSE(is_plausible_addr_spec("a@b@c"));
    CHECK_FALSE(is_plausible_addr_spec("a b@example.org"));
    CHECK_FALSE(is_plausible_addr_spec("a@exa mple.org"));
    CHECK_FALSE(is_plausible_addr_spec("@example.org"));
    CHECK_FALSE(is_plausible_addr_spec("a@"));
    CHECK_FALSE(is_plausible_addr_spec("a@under_score.example"));
    CHECK_FALSE(is_plausible_addr_spec("山田@example.jp"));
    CHECK_FALSE(is_plausible_addr_spec(std::string(65, 'a') + "@example.org"));
}

TEST_CASE("Hashes and tokens") {
    CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const auto a = random_token(), b = random_token();
    CHECK(a.size() == 32);
    CHECK(a != b);
}

TEST_CASE("Hex both ways") {
    CHECK(to_hex(std::string("\x00\xAB\xff\x10", 4)) == "00abff10");
    CHECK(to_hex("") == "");
    CHECK(from_hex("00abFF10") == std::string("\x00\xAB\xff\x10", 4));
    CHECK(from_hex("") == std::string());
    CHECK_FALSE(from_hex("abc"));  // odd length
    CHECK_FALSE(from_hex("0g"));
    CHECK_FALSE(from_hex(" 0"));
    const std::string all = [] {
        std::string s;
        for (int i = 0; i < 256; ++i) s.push_back(static_cast<char>(i));
        return s;
    }();
    CHECK(from_hex(to_hex(all)) == all);
}
