#include <catch2/catch.hpp>

#include "cvdbot/workflow/reply_limit.hpp"

using cvd::rules::LimitRules;
using cvd::workflow::decide_reply;

TEST_CASE("replies of the bot's own are bounded per recipient and per case") {
    LimitRules limits;
    limits.replies_per_sender = 3;
    limits.replies_per_case = 5;
    CHECK(decide_reply(limits, {0, 0}).send);
    CHECK(decide_reply(limits, {2, 4}).send);
    const auto sender = decide_reply(limits, {3, 0});
    CHECK_FALSE(sender.send);
    CHECK(sender.reason.find("to this address") != std::string::npos);
    const auto in_case = decide_reply(limits, {1, 5});
    CHECK_FALSE(in_case.send);
    CHECK(in_case.reason.find("in this case") != std::string::npos);
}

TEST_CASE("two auto-responders stop after a bounded number of messages") {
    // Each reply of ours is counted; the exchange ends at the limit, not never.
    LimitRules limits;
    int sent = 0;
    for (int round = 0; round < 1000; ++round)
        if (decide_reply(limits, {sent, 0}).send) ++sent;
    CHECK(sent == limits.replies_per_sender);
}
