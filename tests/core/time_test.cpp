#include <catch2/catch.hpp>

#include "cvdbot/core/time.hpp"

using namespace cvd::core;
using namespace std::chrono;

TEST_CASE("ISO 8601 round trip") {
    const Timestamp t = sys_days{2026y / November / 25} + 23h + 25min + 45s;
    CHECK(format_iso8601(t) == "2026-11-25T23:25:45Z");
    CHECK(parse_iso8601("2026-11-25T23:25:45Z") == t);
    CHECK_FALSE(parse_iso8601("2026-13-25T23:25:45Z"));
    CHECK_FALSE(parse_iso8601("2026-11-25T23:25:45"));
    CHECK_FALSE(parse_iso8601("garbage"));
    CHECK_FALSE(parse_iso8601(""));
}

TEST_CASE("RFC 5322 date") {
    const Timestamp t = sys_days{2026y / November / 25} + 3h + 4min + 5s;
    CHECK(format_rfc5322(t) == "Wed, 25 Nov 2026 03:04:05 +0000");
    CHECK(year_of(t) == 2026);
}

TEST_CASE("Manual clock moves only when told") {
    ManualClock clock(from_unix(1000));
    CHECK(to_unix(clock.now()) == 1000);
    clock.advance(days{45});
    CHECK(to_unix(clock.now()) == 1000 + 45 * 86400);
}
