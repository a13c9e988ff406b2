#include <catch2/catch.hpp>

#include "cvdbot/domain/types.hpp"

using namespace cvd::domain;

TEST_CASE("Enum names round-trip and unknown names are refused") {
    for (auto s : {CaseState::received, CaseState::triage, CaseState::accepted, CaseState::rejected,
                   CaseState::stopped})
        CHECK(parse_case_state(to_string(s)) == s);
    for (auto r : {Role::discoverer, Role::vendor, Role::site_operator, Role::coordinator, Role::observer})
        CHECK(parse_role(to_string(r)) == r);
    for (auto m : {MessageStatus::pending, MessageStatus::processed, MessageStatus::ignored,
                   MessageStatus::failed, MessageStatus::quarantined})
        CHECK(parse_message_status(to_string(m)) == m);
    for (auto t : {Track::undecided, Track::product, Track::web}) CHECK(parse_track(to_string(t)) == t);
    CHECK_FALSE(parse_case_state("Received"));
    CHECK_FALSE(parse_role(""));
    CHECK_FALSE(parse_direction("sideways"));
}

TEST_CASE("Open states and address normalisation") {
    CHECK(is_open(CaseState::received));
    CHECK_FALSE(is_open(CaseState::stopped));
    CHECK(normalize_address("  Alice@Example.TEST ") == "alice@example.test");
}
