#include <catch2/catch.hpp>

#include "harness.hpp"

using namespace cvd;
using namespace cvd::workflow;
using namespace cvd::workflow::test;
using Catch::Matchers::Contains;
using domain::CaseState;
using domain::Role;

namespace {
const core::Timestamp kFriday = at("2026-11-27T01:00:00Z");  // Friday 10:00 JST

CaseSnapshot accepted_web() {
    CaseSnapshot c;
    c.state = CaseState::accepted;
    c.track = domain::Track::web;
    return c;
}
}  // namespace

TEST_CASE("Web happy path: operator, details, fix within 3 months, fix reported, closed") {
    rules::RuleSet r;
    auto c = accepted_web();
    auto contact = run(c, order("contact operator"), r, kFriday);
    CHECK(c.state == CaseState::operator_contacted);
    CHECK(sends(contact, "operator_first_contact", Role::site_operator));
    // 5 business days from a Friday skip the weekend: the next Friday.
    CHECK(core::format_iso8601(timer(c, "operator_reminder_1")->due) == "2026-12-04T01:00:00Z");
    run(c, CorrespondenceReceived{"webmaster@site.test", Role::site_operator, false}, r, kFriday);
    CHECK_FALSE(timer(c, "operator_reminder_1"));
    auto details = run(c, order("send details"), r, kFriday);
    CHECK(c.state == CaseState::web_details_sent);
    CHECK(sends(details, "web_details", Role::site_operator));
    CHECK(core::format_iso8601(timer(c, "web_fix_target")->due) == "2027-02-27T01:00:00Z");
    run(c, order("operator-status fixing"), r, kFriday);
    CHECK(c.state == CaseState::web_fixing);
    auto fixed = run(c, order("operator-status fixed"), r, kFriday + std::chrono::days{20});
    CHECK(c.state == CaseState::fix_reported);
    CHECK(sends(fixed, "fix_confirmation", Role::discoverer));
    CHECK_FALSE(timer(c, "web_fix_target"));
    run(c, order("close"), r, kFriday + std::chrono::days{21});
    CHECK(c.state == CaseState::closed_fixed);
    CHECK_FALSE(domain::is_open(c.state));
}

TEST_CASE("Web fix target passes: reminder to the operator, notice to the coordinator") {
    rules::RuleSet r;
    auto c = accepted_web();
    run(c, order("contact operator"), r, kFriday);
    run(c, order("send details"), r, kFriday);
    auto late = fire(c, "web_fix_target", std::nullopt, r);
    CHECK(sends(late, "web_fix_reminder", Role::site_operator));
    CHECK(commands_of<NotifyCoordinator>(late).size() == 1);
    CHECK(c.state == CaseState::web_details_sent);
}

TEST_CASE("Silent operator: a reminder after 5 business days, then unreachable, then closed") {
    rules::RuleSet r;
    auto c = accepted_web();
    run(c, order("contact operator"), r, kFriday);
    auto reminder = fire(c, "operator_reminder_1", std::nullopt, r);
    CHECK(sends(reminder, "operator_reminder", Role::site_operator));
    CHECK(core::format_iso8601(timer(c, "operator_reminder_2")->due) == "2026-12-11T01:00:00Z");
    auto gone = fire(c, "operator_reminder_2", std::nullopt, r);
    CHECK(c.state == CaseState::operator_unreachable);
    CHECK(sends(gone, "unreachable_notice", Role::discoverer));
    CHECK_THAT(commands_of<NotifyCoordinator>(gone)[0].text, Contains("other contacts"));
    run(c, order("close"), r, kFriday + std::chrono::days{30});
    CHECK(c.state == CaseState::closed_unreachable);
}

TEST_CASE("Operator reminders and business days come from the rules") {
    rules::RuleSet r;
    r.timers.operator_first_reply_business_days = 1;
    r.timers.operator_reminders = 0;
    auto c = accepted_web();
    run(c, order("contact operator"), r, kFriday);
    CHECK(core::format_iso8601(timer(c, "operator_reminder_1")->due) ==
          "2026-11-30T01:00:00Z");  // Monday
    fire(c, "operator_reminder_1", std::nullopt, r);
    CHECK(c.state == CaseState::operator_unreachable);
}

TEST_CASE("Not vulnerable closes the web case; coordinator may declare unreachable") {
    rules::RuleSet r;
    auto c = accepted_web();
    run(c, order("contact operator"), r, kFriday);
    auto nv = run(c, order("operator-status not-vulnerable"), r, kFriday);
    CHECK(c.state == CaseState::closed_not_vulnerable);
    CHECK(sends(nv, "not_vulnerable_notice", Role::discoverer));
    CHECK(c.timers.empty());

    auto d = accepted_web();
    run(d, order("contact operator"), r, kFriday);
    run(d, order("unreachable"), r, kFriday);
    CHECK(d.state == CaseState::operator_unreachable);
}

TEST_CASE("Web refusals name the state and what is allowed") {
    rules::RuleSet r;
    auto c = accepted_web();
    auto early = step(c, order("send details"), r, kFriday);
    REQUIRE_FALSE(early.ok());
    CHECK_THAT(early.error().message, Contains("allowed now: contact operator"));
    CHECK_FALSE(step(c, order("operator-status fixed"), r, kFriday).ok());
    CHECK_FALSE(step(c, order("close"), r, kFriday).ok());
    auto product_cmd = step(c, order("contact vendor A", 1), r, kFriday);
    REQUIRE_FALSE(product_cmd.ok());
    CHECK_THAT(product_cmd.error().message, Contains("not a web-track command"));
    run(c, order("contact operator"), r, kFriday);
    auto wrong_track = step(c, order("track product"), r, kFriday);
    REQUIRE_FALSE(wrong_track.ok());
    CHECK_THAT(wrong_track.error().message, Contains("no one was contacted yet"));
    auto stale = step(c, TimerFired{"web_fix_target"}, r, kFriday);
    REQUIRE_FALSE(stale.ok());
}
