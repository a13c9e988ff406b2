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
const core::Timestamp kStart = at("2026-11-26T01:00:00Z");  // Thursday 10:00 JST
constexpr std::int64_t kA = 11, kB = 12;

CaseSnapshot accepted_product() {
    CaseSnapshot c;
    c.state = CaseState::accepted;
    c.track = domain::Track::product;
    return c;
}

// Accepted, vendor A contacted at kStart, details sent, fixing.
CaseSnapshot fixing_case(const rules::RuleSet& r) {
    auto c = accepted_product();
    run(c, order("contact vendor A", kA), r, kStart);
    run(c, order("send details A", kA), r, kStart);
    run(c, order("vendor-status A fixing", kA), r, kStart);
    return c;
}
}  // namespace

TEST_CASE("Intake: triage, accept, reject, stop and track") {
    rules::RuleSet r;
    CaseSnapshot c;
    auto triage = run(c, order("triage"), r, kStart);
    CHECK(c.state == CaseState::triage);
    auto track = run(c, order("track product"), r, kStart);
    CHECK(c.track == domain::Track::product);
    auto accept = run(c, order("accept"), r, kStart);
    CHECK(c.state == CaseState::accepted);
    CHECK(sends(accept, "acceptance", Role::discoverer));

    CaseSnapshot rej;
    auto rejected = run(rej, order("reject out of scope"), r, kStart);
    CHECK(rej.state == CaseState::rejected);
    CHECK(sends(rejected, "rejection", Role::discoverer));
    CHECK(commands_of<SendTemplate>(rejected)[0].variables[0].second == "out of scope");

    auto again = step(rej, order("accept"), r, kStart);
    REQUIRE_FALSE(again.ok());
    CHECK(again.error().kind == core::ErrorKind::conflict);
    CHECK_THAT(again.error().message, Contains("while the case is rejected"));
    CHECK_THAT(again.error().message, Contains("allowed now"));
}

TEST_CASE("Unsigned commands are refused whatever they say") {
    CaseSnapshot c;
    auto cmd = parse_commands("accept").commands[0].command;
    auto out = step(c, CoordinatorCommandReceived{cmd, false}, {}, kStart);
    REQUIRE_FALSE(out.ok());
    CHECK_THAT(out.error().message, Contains("signed mail from a registered coordinator"));
}

TEST_CASE("Commands before acceptance or before a track are refused with what is allowed") {
    rules::RuleSet r;
    CaseSnapshot c;
    auto early = step(c, order("contact vendor A", kA), r, kStart);
    REQUIRE_FALSE(early.ok());
    CHECK_THAT(early.error().message, Contains("accept the report first"));
    CHECK_THAT(early.error().message, Contains("allowed now: triage, accept"));
    c.state = CaseState::accepted;
    auto no_track = step(c, order("contact vendor A", kA), r, kStart);
    REQUIRE_FALSE(no_track.ok());
    CHECK_THAT(no_track.error().message, Contains("choose the track first"));
}

TEST_CASE(
    "Product happy path: first contact is the start date, publication at the agreed JST time") {
    rules::RuleSet r;
    auto c = accepted_product();
    auto contact = run(c, order("contact vendor A", kA), r, kStart);
    CHECK(c.state == CaseState::vendor_contacted);
    CHECK(c.start_date == kStart);
    CHECK(sends(contact, "vendor_first_contact", Role::vendor, kA));
    REQUIRE(timer(c, "publication_target"));
    CHECK(timer(c, "publication_target")->due == kStart + std::chrono::days{45});
    REQUIRE(timer(c, "nondisclosure_lift"));
    CHECK(core::format_iso8601(timer(c, "nondisclosure_lift")->due) == "2027-11-26T01:00:00Z");
    REQUIRE(timer(c, "vendor_reminder_1", kA));
    CHECK(timer(c, "vendor_reminder_1", kA)->due == kStart + std::chrono::days{7});

    // The vendor answers: reminders stop.
    auto reply = run(c, CorrespondenceReceived{"psirt@a.test", Role::vendor, false, kA}, r,
                     kStart + std::chrono::days{2});
    CHECK_FALSE(timer(c, "vendor_reminder_1", kA));
    REQUIRE(commands_of<MarkReplied>(reply).size() == 1);
    CHECK(c.vendors[0].replied);
    // A second reply is not a first reply again.
    auto again = run(c, CorrespondenceReceived{"psirt@a.test", Role::vendor, false, kA}, r,
                     kStart + std::chrono::days{3});
    CHECK(commands_of<MarkReplied>(again).empty());

    run(c, order("send details A", kA), r, kStart);
    CHECK(c.state == CaseState::details_sent);
    run(c, order("vendor-status A verifying", kA), r, kStart);
    CHECK(c.state == CaseState::verifying);
    run(c, order("vendor-status A fixing", kA), r, kStart);
    CHECK(c.state == CaseState::fixing);

    auto date =
        run(c, order("set publication-date 2027-01-15 10:00"), r, kStart + std::chrono::days{20});
    CHECK(c.state == CaseState::date_agreed);
    CHECK(c.vendors[0].state == VendorState::date_agreed);
    CHECK(sends(date, "publication_date_confirmation", Role::discoverer));
    CHECK(sends(date, "publication_date_confirmation", Role::vendor, kA));
    CHECK_FALSE(timer(c, "publication_target"));
    REQUIRE(timer(c, "publication"));
    CHECK(core::format_iso8601(timer(c, "publication")->due) == "2027-01-15T01:00:00Z");

    auto published = fire(c, "publication", std::nullopt, r);
    CHECK(c.state == CaseState::published);
    CHECK(sends(published, "publication_notice", Role::discoverer));
    CHECK(sends(published, "publication_notice", Role::vendor, kA));
    CHECK(timer(c, "nondisclosure_lift"));  // the lift right outlives publication
    run(c, order("close"), r, kStart + std::chrono::days{60});
    CHECK(c.state == CaseState::closed);
    CHECK_FALSE(step(c, order("publish"), r, kStart).ok());
}

TEST_CASE("The 45-day target reminds both sides and asks for a date") {
    rules::RuleSet r;
    auto c = fixing_case(r);
    auto target = fire(c, "publication_target", std::nullopt, r);
    CHECK(target.state == CaseState::fixing);
    CHECK(sends(target, "publication_target_notice", Role::discoverer));
    CHECK(sends(target, "publication_target_notice", Role::vendor, kA));
    CHECK_THAT(commands_of<NotifyCoordinator>(target)[0].text, Contains("set publication-date"));
}

TEST_CASE("Manual publish, and refusals on the way") {
    rules::RuleSet r;
    auto c = fixing_case(r);
    CHECK_FALSE(step(c, order("publish"), r, kStart).ok());
    auto past = step(c, order("set publication-date 2026-01-01"), r, kStart);
    REQUIRE_FALSE(past.ok());
    CHECK_THAT(past.error().message, Contains("in the past"));
    CHECK_FALSE(step(c, order("send details A", kA), r, kStart).ok());
    CHECK_FALSE(step(c, order("contact vendor A", kA), r, kStart).ok());
    auto unknown_vendor = step(c, order("send details Z"), r, kStart);
    REQUIRE_FALSE(unknown_vendor.ok());
    CHECK_THAT(unknown_vendor.error().message, Contains("no vendor \"Z\""));
    run(c, order("set publication-date 2027-01-15"), r, kStart);
    run(c, order("publish"), r, kStart + std::chrono::days{30});
    CHECK(c.state == CaseState::published);
}

TEST_CASE(
    "Silent vendor: reminders at 7, 14, 30 days, then unreachable, name and product listing") {
    rules::RuleSet r;
    auto c = accepted_product();
    run(c, order("contact vendor A", kA), r, kStart);
    auto first = fire(c, "vendor_reminder_1", kA, r);
    CHECK(sends(first, "reminder_first", Role::vendor, kA));
    CHECK(timer(c, "vendor_reminder_2", kA)->due == kStart + std::chrono::days{14});
    auto second = fire(c, "vendor_reminder_2", kA, r);
    CHECK(sends(second, "reminder_second", Role::vendor, kA));
    CHECK(timer(c, "vendor_reminder_3", kA)->due == kStart + std::chrono::days{30});
    auto final = fire(c, "vendor_reminder_3", kA, r);
    CHECK(sends(final, "reminder_final", Role::vendor, kA));
    CHECK(timer(c, "vendor_unreachable", kA)->due == kStart + std::chrono::days{44});

    auto gone = fire(c, "vendor_unreachable", kA, r);
    CHECK(c.state == CaseState::unreachable);
    CHECK(c.vendors[0].state == VendorState::unreachable);
    CHECK(sends(gone, "unreachable_notice", Role::discoverer));
    // The 45-day target passes a day later: the discoverer hears of it, the silent vendor not.
    auto target = fire(c, "publication_target", std::nullopt, r);
    CHECK(sends(target, "publication_target_notice", Role::discoverer));
    CHECK_FALSE(sends(target, "publication_target_notice", Role::vendor, kA));
    CHECK_FALSE(commands_of<NotifyCoordinator>(target).empty());
    // Unreachable on 2027-01-09 JST: the name listing comes on 2027-04-01 00:00 JST.
    CHECK(core::format_iso8601(timer(c, "name_listing", kA)->due) == "2027-03-31T15:00:00Z");
    fire(c, "name_listing", kA, r);
    CHECK(c.vendors[0].state == VendorState::name_listed);
    CHECK(core::format_iso8601(timer(c, "product_listing", kA)->due) == "2027-06-30T15:00:00Z");
    auto product = fire(c, "product_listing", kA, r);
    CHECK(c.vendors[0].state == VendorState::product_listed);
    CHECK(c.state == CaseState::unreachable);
    CHECK_THAT(commands_of<NotifyCoordinator>(product)[0].text, Contains("committee"));
    run(c, order("committee refer"), r, at("2027-07-02T00:00:00Z"));
    CHECK(c.state == CaseState::committee);
    auto decided = run(c, order("committee publish"), r, at("2027-08-02T00:00:00Z"));
    CHECK(c.state == CaseState::published);
    CHECK(sends(decided, "committee_decision", Role::discoverer));
    CHECK(sends(decided, "publication_notice", Role::discoverer));
}

TEST_CASE("Reminder schedules come from the rules") {
    rules::RuleSet r;
    r.timers.vendor_reminder_days = {3};
    auto c = accepted_product();
    run(c, order("contact vendor A", kA), r, kStart);
    CHECK(timer(c, "vendor_reminder_1", kA)->due == kStart + std::chrono::days{3});
    auto only = fire(c, "vendor_reminder_1", kA, r);
    CHECK(sends(only, "reminder_final", Role::vendor, kA));
    CHECK(timer(c, "vendor_unreachable", kA));
}

TEST_CASE("A stale reminder after the vendor answered is refused, not acted on") {
    rules::RuleSet r;
    auto c = fixing_case(r);
    auto stale = step(c, TimerFired{"vendor_reminder_1", kA}, r, kStart + std::chrono::days{7});
    REQUIRE_FALSE(stale.ok());
    CHECK_THAT(stale.error().message, Contains("has answered"));
    CHECK_FALSE(step(c, TimerFired{"bogus"}, r, kStart).ok());
    CHECK_FALSE(step(c, TimerFired{"vendor_reminder_99", kA}, r, kStart).ok());
    CHECK_FALSE(step(c, TimerFired{"vendor_reminder_1"}, r, kStart).ok());
}

TEST_CASE("No agreement: the vendor's opinion is invited, then the committee decides") {
    rules::RuleSet r;
    auto c = fixing_case(r);
    auto stuck = run(c, order("no-agreement A", kA), r, kStart);
    CHECK(c.state == CaseState::no_agreement);
    CHECK(sends(stuck, "vendor_opinion_invitation", Role::vendor, kA));
    auto referral = run(c, order("committee refer"), r, kStart);
    CHECK(c.state == CaseState::committee);
    CHECK(sends(referral, "committee_referral", Role::discoverer));
    CHECK_FALSE(step(c, order("publish"), r, kStart).ok());
    auto no = run(c, order("committee do-not-publish"), r, kStart);
    CHECK(c.state == CaseState::do_not_publish);
    CHECK(sends(no, "committee_decision", Role::vendor, kA));
    CHECK(c.timers.empty());
    CHECK_FALSE(domain::is_open(c.state));
}

TEST_CASE("The committee decides only after a referral") {
    rules::RuleSet r;
    auto c = fixing_case(r);
    CHECK_FALSE(step(c, order("committee publish"), r, kStart).ok());
    CHECK_FALSE(step(c, order("committee refer"), r, kStart).ok());
}

TEST_CASE("Publication cancelled when the vendor informed every user directly") {
    rules::RuleSet r;
    auto c = fixing_case(r);
    run(c, order("set publication-date 2027-01-15"), r, kStart);
    auto cancelled = run(c, order("cancel publication A", kA), r, kStart);
    CHECK(c.state == CaseState::publication_cancelled);
    CHECK(sends(cancelled, "publication_cancelled", Role::discoverer));
    CHECK_FALSE(c.publication_date);
    CHECK(c.timers.empty());
}

TEST_CASE("Pre-publication notice and direct contact need the coordinator's word") {
    rules::RuleSet r;
    auto c = fixing_case(r);
    auto pre = run(c, order("allow pre-notice A", kA), r, kStart);
    CHECK(sends(pre, "pre_notice_allowed", Role::vendor, kA));
    REQUIRE(commands_of<AllowPreNotice>(pre).size() == 1);
    CHECK(c.vendors[0].pre_notice_allowed);
    CHECK(c.state == CaseState::fixing);
    auto direct = run(c, order("direct-contact A", kA), r, kStart);
    REQUIRE(commands_of<SetDirectContact>(direct).size() == 1);
    CHECK(sends(direct, "direct_contact_enabled", Role::discoverer));
    auto early = accepted_product();
    run(early, order("contact vendor A", kA), r, kStart);
    CHECK_FALSE(step(early, order("allow pre-notice A", kA), r, kStart).ok());
}

TEST_CASE("Non-disclosure lift: refused before one year with the date, accepted after") {
    rules::RuleSet r;
    auto c = fixing_case(r);
    auto early = run(c, NondisclosureLiftRequested{}, r, kStart + std::chrono::days{200});
    CHECK(c.state == CaseState::fixing);
    REQUIRE(sends(early, "nondisclosure_lift_refused", Role::discoverer));
    CHECK(commands_of<SendTemplate>(early)[0].variables[0].second == "2027-11-26");
    auto coordinator_early =
        step(c, order("lift nondisclosure"), r, kStart + std::chrono::days{364});
    REQUIRE_FALSE(coordinator_early.ok());
    CHECK_THAT(coordinator_early.error().message, Contains("possible from 2027-11-26"));

    auto right = fire(c, "nondisclosure_lift", std::nullopt, r);
    CHECK_FALSE(commands_of<NotifyCoordinator>(right).empty());
    auto lifted = run(c, NondisclosureLiftRequested{}, r, at("2027-11-26T01:00:00Z"));
    CHECK(c.state == CaseState::nondisclosure_lifted);
    CHECK(sends(lifted, "nondisclosure_lift_accepted", Role::discoverer));
    CHECK(sends(lifted, "nondisclosure_lift_accepted", Role::vendor, kA));

    auto never_contacted = accepted_product();
    CHECK_FALSE(step(never_contacted, NondisclosureLiftRequested{}, r, kStart).ok());
}

TEST_CASE("Multi-vendor: one status per vendor, the slowest sets the case state") {
    rules::RuleSet r;
    auto c = accepted_product();
    run(c, order("contact vendor A", kA), r, kStart);
    run(c, order("contact vendor B", kB), r, kStart + std::chrono::days{3});
    CHECK(c.start_date == kStart);  // the first contact only
    CHECK(timer(c, "vendor_reminder_1", kB)->due == kStart + std::chrono::days{10});
    run(c, order("send details A", kA), r, kStart);
    CHECK(c.state == CaseState::vendor_contacted);  // B is behind
    run(c, order("vendor-status A fixing", kA), r, kStart);
    CHECK(c.state == CaseState::vendor_contacted);
    run(c, order("send details B", kB), r, kStart);
    CHECK(c.state == CaseState::details_sent);
    auto b_not = run(c, order("vendor-status B not-affected", kB), r, kStart);
    CHECK(c.state == CaseState::fixing);  // only A is affected
    CHECK(c.vendors[1].state == VendorState::not_affected);
    CHECK(c.vendors[0].state == VendorState::fixing);
    CHECK_FALSE(sends(b_not, "not_affected_notice", Role::discoverer));
    auto date = run(c, order("set publication-date 2027-01-15"), r, kStart);
    CHECK_FALSE(sends(date, "publication_date_confirmation", Role::vendor, kB));
    auto pub = fire(c, "publication", std::nullopt, r);
    CHECK(sends(pub, "publication_notice", Role::vendor, kA));
    CHECK_FALSE(sends(pub, "publication_notice", Role::vendor, kB));
}

TEST_CASE("Multi-vendor: every vendor not affected closes the case") {
    rules::RuleSet r;
    auto c = accepted_product();
    run(c, order("contact vendor A", kA), r, kStart);
    run(c, order("contact vendor B", kB), r, kStart);
    run(c, order("send details A", kA), r, kStart);
    run(c, order("send details B", kB), r, kStart);
    run(c, order("vendor-status A not-affected", kA), r, kStart);
    CHECK(c.state == CaseState::details_sent);
    auto last = run(c, order("vendor-status B not-affected", kB), r, kStart);
    CHECK(c.state == CaseState::not_affected);
    CHECK(sends(last, "not_affected_notice", Role::discoverer));
    CHECK(c.timers.empty());
}

TEST_CASE("Multi-vendor: one unreachable vendor does not hold up the others") {
    rules::RuleSet r;
    auto c = accepted_product();
    run(c, order("contact vendor A", kA), r, kStart);
    run(c, order("contact vendor B", kB), r, kStart);
    run(c, order("unreachable B", kB), r, kStart + std::chrono::days{40});
    CHECK(c.vendors[1].state == VendorState::unreachable);
    CHECK(c.state == CaseState::vendor_contacted);
    run(c, order("send details A", kA), r, kStart);
    run(c, order("vendor-status A fixing", kA), r, kStart);
    CHECK(c.state == CaseState::fixing);
}

TEST_CASE("Stop works from any open state, tells the contacted vendors and clears every timer") {
    rules::RuleSet r;
    auto c = fixing_case(r);
    auto stopped = run(c, order("stop already public"), r, kStart);
    CHECK(c.state == CaseState::stopped);
    CHECK(sends(stopped, "handling_stopped", Role::discoverer));
    CHECK(sends(stopped, "handling_stopped", Role::vendor, kA));
    CHECK(c.timers.empty());
    CHECK_FALSE(step(c, order("stop again"), r, kStart).ok());
    CHECK(step(c, order("note for the record"), r, kStart).ok());
}

TEST_CASE("Every template step() asks for is in template_names()") {
    const auto& names = template_names();
    CHECK(names.size() >= 25);
    for (const char* n :
         {"acknowledgment", "reminder_final", "publication_notice", "web_fix_reminder",
          "nondisclosure_lift_refused", "coordinator_transcript"})
        CHECK(std::find(names.begin(), names.end(), n) != names.end());
}

TEST_CASE("Correcting the start date moves every deadline counted from it; extend moves the target") {
    rules::RuleSet r;
    auto c = fixing_case(r);
    const auto earlier = at("2026-11-20T01:00:00Z");
    auto corrected = run(c, order("set start-date 2026-11-20 10:00"), r, kStart + std::chrono::days{1});
    CHECK(c.start_date == earlier);
    CHECK(timer(c, "publication_target")->due == earlier + std::chrono::days{45});
    CHECK(core::format_iso8601(timer(c, "nondisclosure_lift")->due) == "2027-11-20T01:00:00Z");
    REQUIRE(commands_of<RecordAudit>(corrected).size() == 1);
    CHECK_THAT(commands_of<RecordAudit>(corrected)[0].detail, Contains("was 2026-11-26"));

    auto future = step(c, order("set start-date 2027-01-01"), r, kStart);
    REQUIRE_FALSE(future.ok());
    CHECK_THAT(future.error().message, Contains("in the future"));

    run(c, order("extend 10"), r, kStart + std::chrono::days{2});
    CHECK(timer(c, "publication_target")->due == earlier + std::chrono::days{55});
    CHECK(c.timers.size() == 2 + 0);  // replaced, not added: target and lift (vendor reminders cleared)

    CaseSnapshot fresh;
    fresh.state = CaseState::accepted;
    fresh.track = domain::Track::product;
    CHECK_FALSE(step(fresh, order("extend 10"), r, kStart).ok());  // nothing running yet
    CHECK_FALSE(step(fresh, order("set start-date 2026-11-20"), r, kStart).ok());
}
