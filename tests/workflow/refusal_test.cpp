// A vendor whose every address refuses mail for good (SMTP 5xx): by the rules it skips its
// reminders and becomes unreachable after the usual wait, unless it answers first.
#include <catch2/catch.hpp>

#include "harness.hpp"

using namespace cvd;
using namespace cvd::workflow;
using namespace cvd::workflow::test;
using Catch::Matchers::Contains;
using domain::CaseState;
using domain::Role;
using domain::VendorState;

namespace {
const core::Timestamp kStart = at("2026-11-26T01:00:00Z");
constexpr std::int64_t kA = 11, kB = 12;

rules::RuleSet counting_rules() {
    rules::RuleSet r;
    r.outbox.permanent_failure_counts_as_unanswered = true;
    return r;
}

CaseSnapshot contacted(const rules::RuleSet& r) {
    CaseSnapshot c;
    c.state = CaseState::accepted;
    c.track = domain::Track::product;
    run(c, order("contact vendor A", kA), r, kStart);
    return c;
}
}  // namespace

TEST_CASE("A refused vendor skips its reminders and becomes unreachable after the usual wait") {
    const auto r = counting_rules();
    auto c = contacted(r);
    REQUIRE(timer(c, "vendor_reminder_1", kA));
    const auto refused_at = kStart + std::chrono::hours{1};
    auto out = run(c, DeliveryRefused{kA}, r, refused_at);
    CHECK_FALSE(timer(c, "vendor_reminder_1", kA));
    const auto* unreachable = timer(c, "vendor_unreachable", kA);
    REQUIRE(unreachable);
    CHECK(unreachable->due ==
          refused_at + std::chrono::days{r.timers.vendor_unreachable_after_days});
    REQUIRE(commands_of<NotifyCoordinator>(out).size() == 1);
    CHECK_THAT(commands_of<NotifyCoordinator>(out)[0].text, Contains("refuses mail"));
    CHECK(commands_of<RecordAudit>(out).at(0).action == "vendor_refused");
    CHECK(commands_of<SendTemplate>(out).empty());
    // The timer then does what the last reminder's would: unreachable, the discoverer told.
    auto fired = fire(c, "vendor_unreachable", kA, r);
    CHECK(c.vendors.at(0).state == VendorState::unreachable);
    CHECK(c.state == CaseState::unreachable);
    CHECK(sends(fired, "unreachable_notice", Role::discoverer));
}

TEST_CASE("Without the rule a refusal changes nothing") {
    rules::RuleSet r;  // permanent_failure_counts_as_unanswered = false
    auto c = contacted(r);
    auto out = step(c, DeliveryRefused{kA}, r, kStart);
    REQUIRE_FALSE(out.ok());
    CHECK_THAT(out.error().message, Contains("permanent_failure_counts_as_unanswered"));
    CHECK(timer(c, "vendor_reminder_1", kA));
}

TEST_CASE(
    "A refusal is not counted for a vendor that answered, is not on the case, or is due sooner") {
    const auto r = counting_rules();
    auto c = contacted(r);
    CHECK_FALSE(step(c, DeliveryRefused{kB}, r, kStart).ok());
    // A second refusal does not postpone the date the first one set.
    run(c, DeliveryRefused{kA}, r, kStart);
    auto again = step(c, DeliveryRefused{kA}, r, kStart + std::chrono::days{3});
    REQUIRE_FALSE(again.ok());
    CHECK_THAT(again.error().message, Contains("unreachable already"));

    auto answered = contacted(r);
    run(answered, order("send details A", kA), r, kStart);
    run(answered, order("vendor-status A fixing", kA), r, kStart);
    auto late = step(answered, DeliveryRefused{kA}, r, kStart);
    REQUIRE_FALSE(late.ok());
    CHECK_THAT(late.error().message, Contains("fixing"));

    auto closed = contacted(r);
    run(closed, order("stop the vendor never answers"), r, kStart);
    CHECK_FALSE(step(closed, DeliveryRefused{kA}, r, kStart).ok());
}
