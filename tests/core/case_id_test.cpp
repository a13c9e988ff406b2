#include <catch2/catch.hpp>

#include "cvdbot/core/case_id.hpp"

using namespace cvd::core;

TEST_CASE("Case ids format and parse") {
    CaseId id{"CVD", 2026, 1};
    CHECK(id.str() == "CVD#2026-0001");
    CHECK(parse_case_id("CVD#2026-0001") == id);
    CHECK(parse_case_id("CVD#2026-12345")->number == 12345);
    CHECK_FALSE(parse_case_id("CVD#2026-001"));
    CHECK_FALSE(parse_case_id("CVD#2026-0000"));
    CHECK_FALSE(parse_case_id("CV D#2026-0001"));
    CHECK_FALSE(parse_case_id("CVD#2026-0001x"));
    CHECK_FALSE(parse_case_id(""));
}

TEST_CASE("Case tags are found in subjects") {
    CHECK(find_case_tag("Re: [CVD#2026-0042] Acknowledgment", "CVD")->number == 42);
    CHECK(find_case_tag("RE: Fwd: report [CVD#2026-0007]", "CVD")->number == 7);
    CHECK(find_case_tag("返信: 【CVD#2026-0003】受付のお知らせ", "CVD")->number == 3);
    CHECK_FALSE(find_case_tag("CVD#2026-0042 without brackets", "CVD"));
    CHECK_FALSE(find_case_tag("[CVD#2026-0042 unclosed", "CVD"));
    CHECK_FALSE(find_case_tag("[XYZ#2026-0042]", "CVD"));
    CHECK(find_case_tag("[CVD#20] junk [CVD#2026-0009]", "CVD")->number == 9);
}
