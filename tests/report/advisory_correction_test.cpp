#include "cvdbot/report/advisory_correction.hpp"

#include <catch2/catch.hpp>

using namespace cvd::report;

TEST_CASE("a filled-in correction form is read in either language", "[report][advisory]") {
    auto c = parse_advisory_correction(
        "Thank you, here are our corrections.\r\n"
        "\r\n"
        "Statement (en) / ベンダのコメント (英語): Fixed in firmware 1.3.1.\r\n"
        "Statement (ja) / ベンダのコメント (日本語)：ファームウェア 1.3.1 で修正しました。\r\n"
        "Advisory status / 公表文の状況: fixed\r\n"
        "Versions for the advisory / 公表文に記載するバージョン: <= 1.3.0\r\n"
        "Other corrections / その他の修正:\r\n");
    REQUIRE(c);
    CHECK(c->statement_en == "Fixed in firmware 1.3.1.");
    CHECK(c->statement_ja == "ファームウェア 1.3.1 で修正しました。");
    CHECK(c->status == AdvisoryStatus::fixed);
    CHECK(c->affected_versions == "<= 1.3.0");
    CHECK(c->other.empty());
}

TEST_CASE("the quoted form, the details form and plain mail are no correction",
          "[report][advisory]") {
    CHECK_FALSE(
        parse_advisory_correction("> Statement (en) / ベンダのコメント (英語): old text\n"));
    CHECK_FALSE(parse_advisory_correction(
        "Fix status / 修正状況: fixed\nAffected versions / 影響を受けるバージョン: 1.2\n"));
    CHECK_FALSE(parse_advisory_correction("Statement (en) / ベンダのコメント (英語):\n"));
    CHECK_FALSE(parse_advisory_correction("Status: fixed\nWe will publish on Monday.\n"));
}

TEST_CASE("an unknown status is unclear, not guessed", "[report][advisory]") {
    auto c = parse_advisory_correction(
        "公表文の状況: たぶん修正済み\nその他の修正: 製品名は Example Router Pro です\n");
    REQUIRE(c);
    CHECK_FALSE(c->status);
    CHECK(c->status_unclear);
    CHECK(c->other == "製品名は Example Router Pro です");
}

TEST_CASE("a hostile correction is bounded", "[report][advisory]") {
    std::string big = "Other corrections: " + std::string(200000, 'x') + "\n";
    auto c = parse_advisory_correction(big);
    REQUIRE(c);
    CHECK(c->other.size() < 70000);
}
