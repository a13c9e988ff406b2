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

TEST_CASE("Every case state and vendor state round-trips through its name") {
    // Walk the enums by value so a new enumerator without a table entry fails here.
    for (int i = 0; i <= static_cast<int>(CaseState::closed_unreachable); ++i) {
        const auto s = static_cast<CaseState>(i);
        CHECK(to_string(s) != "?");
        CHECK(parse_case_state(to_string(s)) == s);
    }
    for (int i = 0; i <= static_cast<int>(VendorState::publication_cancelled); ++i) {
        const auto v = static_cast<VendorState>(i);
        CHECK(to_string(v) != "?");
        CHECK(parse_vendor_state(to_string(v)) == v);
    }
    CHECK_FALSE(parse_vendor_state("Fixing"));
    CHECK_FALSE(parse_vendor_state(""));
    CHECK_FALSE(is_open(CaseState::closed_fixed));
    CHECK_FALSE(is_open(CaseState::not_affected));
    CHECK(is_open(CaseState::fixing));
    CHECK(is_open(CaseState::unreachable));
}

TEST_CASE("Open states and address normalisation") {
    CHECK(is_open(CaseState::received));
    CHECK_FALSE(is_open(CaseState::stopped));
    CHECK(normalize_address("  Alice@Example.TEST ") == "alice@example.test");
}
