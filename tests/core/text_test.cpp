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

TEST_CASE("String helpers") {
    CHECK(trim("  x y \r\n") == "x y");
    CHECK(trim(" \t ").empty());
    CHECK(iequals_ascii("Message-ID", "message-id"));
    CHECK(starts_with_icase("RE: x", "re:"));
    CHECK(split("a,b,,c", ',').size() == 4);
    CHECK(address_domain("bot@example.test") == "example.test");
    CHECK(address_domain("nobody").empty());
}

TEST_CASE("Hashes and tokens") {
    CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const auto a = random_token(), b = random_token();
    CHECK(a.size() == 32);
    CHECK(a != b);
}
