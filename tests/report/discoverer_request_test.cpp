#include <catch2/catch.hpp>

#include "cvdbot/report/discoverer_request.hpp"

using namespace cvd::report;

TEST_CASE("A discoverer asks how the case stands") {
    CHECK(read_discoverer_request("Hello,\ncould you tell me the current status of my report?\n").asks_status);
    CHECK(read_discoverer_request("お世話になっております。\n本件の進捗を教えていただけますでしょうか。\n").asks_status);
    CHECK(read_discoverer_request("Any update?").asks_status);
    CHECK_FALSE(read_discoverer_request("Thanks, noted.\n").asks_status);
}

TEST_CASE("A discoverer asks to lift non-disclosure") {
    const auto en = read_discoverer_request("It has been a year. I would like to lift the non-disclosure.\n");
    CHECK(en.asks_lift);
    CHECK_FALSE(en.asks_status);  // one request at a time: lifting answers the status too
    CHECK(read_discoverer_request("情報非開示依頼の解除を希望します。").asks_lift);
    CHECK(read_discoverer_request("ＬＩＦＴ ＮＯＮ-ＤＩＳＣＬＯＳＵＲＥ please").asks_lift);  // full width
}

TEST_CASE("Quoted text and signatures ask nothing") {
    const auto quoted = read_discoverer_request(
        "Thank you.\n\n> You may ask to lift non-disclosure from 2027-12-01.\n> Status of the case: fixing\n");
    CHECK_FALSE(quoted.asks_lift);
    CHECK_FALSE(quoted.asks_status);
    CHECK_FALSE(read_discoverer_request("ok\n-- \nAny update? is my blog's name\n").asks_status);
    CHECK_FALSE(read_discoverer_request("").asks_status);
    CHECK_FALSE(read_discoverer_request(std::string(200000, '\xff')).asks_lift);  // bounded, never throws
}
