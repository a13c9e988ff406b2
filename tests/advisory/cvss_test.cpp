#include "cvdbot/advisory/cvss.hpp"

#include <catch2/catch.hpp>

using namespace cvd::advisory;

TEST_CASE("CVSS 3.1 base scores match the FIRST calculator", "[advisory][cvss]") {
    struct Case {
        const char* vector;
        double score;
        const char* severity;
    };
    const Case cases[] = {
        {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8, "CRITICAL"},
        {"CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 6.1, "MEDIUM"},
        {"CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", 8.8, "HIGH"},
        {"CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", 7.8, "HIGH"},
        {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 10.0, "CRITICAL"},
        {"CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N", 5.9, "MEDIUM"},
        {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N", 0.0, "NONE"},
        {"CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N", 1.6, "LOW"},
        {"CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N", 6.4, "MEDIUM"},
        {"CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:C/C:L/I:L/A:N", 5.4, "MEDIUM"},
        {"CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:L/I:L/A:N", 3.8, "LOW"},
        {"CVSS:3.1/AV:A/AC:H/PR:L/UI:R/S:C/C:H/I:L/A:L", 6.8, "MEDIUM"},
    };
    for (const auto& c : cases) {
        INFO(c.vector);
        auto parsed = parse_cvss31(c.vector);
        REQUIRE(parsed.ok());
        CHECK(parsed->base_score == Approx(c.score).margin(1e-9));
        CHECK(parsed->severity == c.severity);
    }
}

TEST_CASE("CVSS 3.1 vectors are put in canonical order", "[advisory][cvss]") {
    auto parsed = parse_cvss31("CVSS:3.1/S:U/AV:N/AC:L/PR:N/UI:N/C:H/I:H/A:H");
    REQUIRE(parsed.ok());
    CHECK(parsed->vector == "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H");
}

TEST_CASE("CVSS 3.1 roundup is float-safe", "[advisory][cvss]") {
    CHECK(cvss_roundup(4.02) == Approx(4.1));
    CHECK(cvss_roundup(4.00) == Approx(4.0));
    CHECK(cvss_roundup(4.000000001) == Approx(4.0));
}

TEST_CASE("malformed CVSS 3.1 vectors are refused with the reason", "[advisory][cvss]") {
    const char* bad[] = {
        "",
        "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
        "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H",
        "CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
        "CVSS:3.1/AV:N/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
        "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:P",
        "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/",
        "CVSS:3.1/AV:NN/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
    };
    for (const char* vector : bad) {
        INFO(vector);
        auto parsed = parse_cvss31(vector);
        REQUIRE_FALSE(parsed.ok());
        CHECK_FALSE(parsed.error().message.empty());
    }
}

TEST_CASE("CVSS 4.0 vectors are checked for syntax", "[advisory][cvss]") {
    CHECK(check_cvss40("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N").ok());
    CHECK(check_cvss40("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:A").ok());
    CHECK_FALSE(check_cvss40("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N").ok());
    CHECK_FALSE(check_cvss40("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:R/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N").ok());
    CHECK_FALSE(check_cvss40("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H").ok());
}

TEST_CASE("CVSS 4.0 scores match the specification's examples", "[advisory][cvss]") {
    struct Case {
        const char* vector;
        double score;
        const char* severity;
    };
    // Scores as the FIRST v4.0 calculator shows them.
    const Case cases[] = {
        {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H", 10.0, "CRITICAL"},
        {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", 9.3, "CRITICAL"},
        {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:L/SC:N/SI:N/SA:N", 6.9, "MEDIUM"},
        {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:P", 8.9, "HIGH"},
        {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N", 0.0, "NONE"},
    };
    for (const auto& c : cases) {
        INFO(c.vector);
        auto parsed = parse_cvss40(c.vector);
        REQUIRE(parsed.ok());
        CHECK(parsed->score == Approx(c.score).margin(1e-9));
        CHECK(parsed->severity == c.severity);
    }
}

TEST_CASE("CVSS 4.0 vectors are put in the specification's order", "[advisory][cvss]") {
    auto parsed = parse_cvss40("CVSS:4.0/E:A/SA:N/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/MSI:S/CR:H");
    REQUIRE(parsed.ok());
    CHECK(parsed->vector == "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:A/CR:H/MSI:S");
}

TEST_CASE("malformed CVSS 4.0 vectors are refused with the reason", "[advisory][cvss]") {
    const char* bad[] = {
        "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N",
        "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:S/SA:N",
        "CVSS:4.0/AV:X/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
        "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/ZZ:X",
        "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
    };
    for (const char* vector : bad) {
        INFO(vector);
        CHECK_FALSE(parse_cvss40(vector).ok());
    }
}
