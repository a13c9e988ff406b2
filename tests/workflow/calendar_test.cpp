#include "cvdbot/workflow/calendar.hpp"

#include <catch2/catch.hpp>
#include <map>
#include <string>

using namespace cvd;
using namespace cvd::workflow;

namespace {
core::Timestamp at(const char* iso) {
    return *core::parse_iso8601(iso);
}
std::string iso(core::Timestamp t) {
    return core::format_iso8601(t);
}
}  // namespace

TEST_CASE("Business days skip weekends in Japan time") {
    // Friday 2026-11-27 10:00 JST (01:00 UTC) + 5 business days = Friday 2026-12-04.
    CHECK(iso(add_business_days(at("2026-11-27T01:00:00Z"), 5)) == "2026-12-04T01:00:00Z");
    // Saturday 2026-11-28 + 1 = Monday 2026-11-30.
    CHECK(iso(add_business_days(at("2026-11-28T01:00:00Z"), 1)) == "2026-11-30T01:00:00Z");
    // Friday 23:00 UTC is already Saturday 08:00 in Japan: + 1 = Monday.
    CHECK(iso(add_business_days(at("2026-11-27T23:00:00Z"), 1)) == "2026-11-29T23:00:00Z");
}

TEST_CASE("Business days skip the holidays the rules list") {
    using namespace std::chrono;
    const std::map<sys_days, std::string> holidays{{sys_days{year{2027} / March / 22}, "振替休日"},
                                                   {sys_days{year{2027} / March / 23}, "closing day"}};
    // Friday 2027-03-19 + 1 business day: Monday 22nd and Tuesday 23rd are off -> Wednesday 24th.
    CHECK(iso(add_business_days(at("2027-03-19T01:00:00Z"), 1, holidays)) == "2027-03-24T01:00:00Z");
    CHECK(iso(add_business_days(at("2027-03-19T01:00:00Z"), 1)) == "2027-03-22T01:00:00Z");
}

TEST_CASE("Months clamp to the end of the month") {
    CHECK(iso(add_months(at("2027-01-31T01:00:00Z"), 1)) == "2027-02-28T01:00:00Z");
    CHECK(iso(add_months(at("2026-11-26T01:00:00Z"), 12)) == "2027-11-26T01:00:00Z");
    CHECK(iso(add_months(at("2026-11-26T01:00:00Z"), 3)) == "2027-02-26T01:00:00Z");
}

TEST_CASE("The next quarter starts at midnight Japan time") {
    CHECK(iso(next_quarter_start(at("2026-11-26T01:00:00Z"))) ==
          "2026-12-31T15:00:00Z");  // 2027-01-01 JST
    CHECK(iso(next_quarter_start(at("2027-01-01T00:00:00Z"))) ==
          "2027-03-31T15:00:00Z");  // 04-01 JST
    // 2027-03-31 16:00 UTC is already 2027-04-01 in Japan: the next quarter is July.
    CHECK(iso(next_quarter_start(at("2027-03-31T16:00:00Z"))) == "2027-06-30T15:00:00Z");
    CHECK(iso(next_quarter_start(at("2027-08-15T00:00:00Z"))) == "2027-09-30T15:00:00Z");
}
