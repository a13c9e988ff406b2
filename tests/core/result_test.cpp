#include <catch2/catch.hpp>

#include "cvdbot/core/result.hpp"

using namespace cvd::core;

TEST_CASE("Result holds a value or an error") {
    Result<int> good = 42;
    REQUIRE(good.ok());
    CHECK(*good == 42);
    CHECK_THROWS_AS(good.error(), BadResultAccess);

    Result<int> bad = make_error(ErrorKind::network, "connection refused");
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().kind == ErrorKind::network);
    CHECK(bad.value_or(7) == 7);
    CHECK_THROWS_AS(bad.value(), BadResultAccess);
    CHECK(describe(bad.error()) == "network error: connection refused");
}

TEST_CASE("Status reports success or an error") {
    Status fine;
    CHECK(fine.ok());
    Status failed = make_error(ErrorKind::io, "disk full");
    CHECK_FALSE(failed.ok());
    CHECK(failed.error().message == "disk full");
}
