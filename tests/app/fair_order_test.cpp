#include "fair_order.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

using namespace cvd::app;

TEST_CASE("Senders take turns: a flood does not hold up another sender's report") {
    std::vector<WaitingMessage> waiting;
    for (int i = 1; i <= 1000; ++i) waiting.push_back({i, "flood@example.test"});
    waiting.push_back({1001, "alice@example.test"});
    waiting.push_back({1002, "bob@example.test"});
    waiting.push_back({1003, "alice@example.test"});
    const auto order = fair_order(waiting, 100);
    REQUIRE(order.size() == 100 + 2 + 1);
    // First turn: the oldest of each sender, in the order they first wrote.
    CHECK(std::vector<std::int64_t>(order.begin(), order.begin() + 3) ==
          std::vector<std::int64_t>{1, 1001, 1002});
    CHECK(order[3] == 2);
    CHECK(order[4] == 1003);
    // The flood gets its share, oldest first; the rest waits for the next pass.
    CHECK(order.back() == 100);
}

TEST_CASE("Each sender's own messages keep their order; unreadable senders share one turn") {
    const auto order =
        fair_order({{5, ""}, {6, "a@x.test"}, {7, ""}, {8, "a@x.test"}, {9, ""}}, 10);
    CHECK(order == std::vector<std::int64_t>{5, 6, 7, 8, 9});
    CHECK(fair_order({{5, ""}, {7, ""}, {9, ""}}, 2) == std::vector<std::int64_t>{5, 7});
    CHECK(fair_order({}, 10).empty());
}

TEST_CASE("The sender is read from the header block alone") {
    CHECK(sender_of(
              "From: Alice <Alice@Example.TEST>\r\nSubject: x\r\n\r\nFrom: mallory@x.test\r\n") ==
          "alice@example.test");
    CHECK(sender_of("Subject: no sender\n\nFrom: mallory@x.test\n").empty());
    CHECK(sender_of("").empty());
    CHECK(sender_of("From: =?utf-8?q?A=0D=0AB?= <b@x.test>\r\n") == "b@x.test");
}
