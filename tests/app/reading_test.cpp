#include "reading.hpp"

#include <catch2/catch.hpp>

using namespace cvd;
using Catch::Matchers::Contains;

TEST_CASE("A vendor's filled reply form becomes a clear reading") {
    auto r = app::read_reply("Verification result / 検証結果: affected\nFix status / 修正状況: fixing\n"
                             "Wished publication date / 公表希望日: 2027-01-15 10:00\n",
                             domain::Role::vendor);
    REQUIRE(r);
    CHECK(r->vendor_state == domain::VendorState::fixing);
    CHECK(r->wished_publication == "2027-01-15T10:00 (JST)");
    CHECK(r->unclear.empty());

    auto not_affected = app::read_reply("検証結果: 影響なし\n", domain::Role::vendor);
    REQUIRE(not_affected);
    CHECK(not_affected->vendor_state == domain::VendorState::not_affected);
}

TEST_CASE("Ordinary mail says nothing; doubtful forms go to a person with nothing taken") {
    CHECK_FALSE(app::read_reply("Thank you, please send the details.\n", domain::Role::vendor));
    auto both = app::read_reply("Verification result: affected\n検証結果: 影響なし\n", domain::Role::vendor);
    REQUIRE(both);
    CHECK_FALSE(both->vendor_state);
    CHECK_FALSE(both->unclear.empty());
}

TEST_CASE("An operator's fixed report; report forms give kind, missing fields and consent") {
    auto fixed = app::read_reply("Fix status / 修正状況: fixed\n", domain::Role::site_operator);
    REQUIRE(fixed);
    CHECK(fixed->operator_fixed);
    CHECK_FALSE(fixed->vendor_state);

    auto web = app::read_report("Site URL: https://shop.example/\nVulnerability type: XSS (CWE-79)\n", {});
    CHECK(web.classified == domain::Track::web);
    REQUIRE(web.missing_fields.size() == 1);
    CHECK_THAT(web.missing_fields[0], Contains("/"));  // "English / 日本語"
    CHECK(app::read_report("hello, I found a bug, call me\n", {}).free_form);

    const auto consent = app::consent_from_report("Credit: yes\nCredit name: Taro\n", {});
    CHECK(consent.credit);
}

TEST_CASE("Own words: quotes and signature dropped, bounded, valid UTF-8") {
    CHECK(app::own_words("Yes, both pages.\r\n\r\n> On Monday you wrote:\r\n> details\r\n-- \r\nPSIRT\r\n") ==
          "Yes, both pages.");
    CHECK(app::own_words(std::string(40000, 'a')).size() == 16 * 1024);
    CHECK(app::own_words("bad \xff byte") != "bad \xff byte");
    CHECK(app::own_words("> only a quote\n").empty());
}
