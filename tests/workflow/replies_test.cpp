// What participants' own mail does: report forms at intake, vendors' and operators' replies
// read for their verdict, and the discoverer's status and lift requests.
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
constexpr std::int64_t kA = 11;

CaseSnapshot details_sent(const rules::RuleSet& r) {
    CaseSnapshot c;
    c.state = CaseState::accepted;
    c.track = domain::Track::product;
    run(c, order("contact vendor A", kA), r, kStart);
    run(c, order("send details A", kA), r, kStart);
    return c;
}

CorrespondenceReceived vendor_reply(ReplyReading reading) {
    CorrespondenceReceived mail{"psirt@a.test", Role::vendor, false, kA};
    mail.reading = std::move(reading);
    return mail;
}

std::string notices(const StepOutcome& o) {
    std::string all;
    for (const auto& n : commands_of<NotifyCoordinator>(o)) all += n.text + "\n";
    return all;
}
}  // namespace

TEST_CASE("A report form sets the track; missing fields get one reply listing them") {
    rules::RuleSet r;
    ReportReceived report{"d@x.test", "D", false, domain::Track::web, {"Site URL / URL", "Steps / 再現手順"}, false};
    auto out = step(std::nullopt, report, r, kStart);
    REQUIRE(out.ok());
    REQUIRE(commands_of<SetTrack>(*out).size() == 1);
    CHECK(commands_of<SetTrack>(*out)[0].track == domain::Track::web);
    const auto sent = commands_of<SendTemplate>(*out);
    REQUIRE(sent.size() == 2);
    CHECK(sent[1].template_name == "missing_fields");
    CHECK(sent[1].variables.at(0).second == "- Site URL / URL\n- Steps / 再現手順\n");

    ReportReceived complete{"d@x.test", "D", false, domain::Track::product, {}, false};
    out = step(std::nullopt, complete, r, kStart);
    CHECK(commands_of<SendTemplate>(*out).size() == 1);  // the acknowledgment only
    CHECK(commands_of<NotifyCoordinator>(*out).empty());

    ReportReceived free{"d@x.test", "D", false, std::nullopt, {}, true};
    out = step(std::nullopt, free, r, kStart);
    CHECK(commands_of<SetTrack>(*out).empty());
    CHECK_THAT(notices(*out), Contains("free-form report"));
    CHECK(commands_of<SendTemplate>(*out).size() == 1);
}

TEST_CASE("A vendor's clear reply moves its status; unclear replies and wished dates go to a coordinator") {
    rules::RuleSet r;
    auto c = details_sent(r);
    ReplyReading affected;
    affected.vendor_state = VendorState::fixing;
    affected.wished_publication = "2027-01-15 10:00";
    auto out = run(c, vendor_reply(affected), r, kStart + std::chrono::days{3});
    CHECK(c.vendors[0].state == VendorState::fixing);
    CHECK(c.state == CaseState::fixing);
    CHECK(c.vendors[0].replied);
    CHECK_THAT(notices(out), Contains("wishes publication on 2027-01-15 10:00"));
    CHECK_FALSE(c.publication_date);  // never agreed without the coordinator

    // "not affected" after fixing is not a transition the process has: a person decides.
    ReplyReading contradicts;
    contradicts.vendor_state = VendorState::not_affected;
    out = run(c, vendor_reply(contradicts), r, kStart + std::chrono::days{4});
    CHECK(c.vendors[0].state == VendorState::fixing);
    CHECK_THAT(notices(out), Contains("cannot be taken as it is"));

    ReplyReading unclear;
    unclear.unclear = "both 'affected' and 'not affected'";
    out = run(c, vendor_reply(unclear), r, kStart + std::chrono::days{5});
    CHECK(c.vendors[0].state == VendorState::fixing);
    CHECK_THAT(notices(out), Contains("needs a person") && Contains("both 'affected'"));
}

TEST_CASE("A vendor that is not affected: the discoverer is told when no vendor is") {
    rules::RuleSet r;
    auto c = details_sent(r);
    ReplyReading not_affected;
    not_affected.vendor_state = VendorState::not_affected;
    auto out = run(c, vendor_reply(not_affected), r, kStart + std::chrono::days{2});
    CHECK(c.vendors[0].state == VendorState::not_affected);
    CHECK(c.state == CaseState::not_affected);
    CHECK(sends(out, "not_affected_notice", Role::discoverer));
}

TEST_CASE("An operator's fix report closes the web case's fixing step") {
    rules::RuleSet r;
    CaseSnapshot c;
    c.state = CaseState::accepted;
    c.track = domain::Track::web;
    run(c, order("contact operator"), r, kStart);
    run(c, order("send details"), r, kStart);
    CorrespondenceReceived mail{"sec@shop.test", Role::site_operator, false, 5};
    mail.reading = ReplyReading{};
    mail.reading->operator_fixed = true;
    auto out = run(c, mail, r, kStart + std::chrono::days{30});
    CHECK(c.state == CaseState::fix_reported);
    CHECK(sends(out, "fix_confirmation", Role::discoverer));
}

TEST_CASE("The discoverer's status inquiry and lift request") {
    rules::RuleSet r;
    auto c = details_sent(r);
    CorrespondenceReceived ask{"d@x.test", Role::discoverer, false, std::nullopt};
    ask.asks_status = true;
    CHECK(sends(run(c, ask, r, kStart + std::chrono::days{10}), "status_reply", Role::discoverer));

    CorrespondenceReceived lift{"d@x.test", Role::discoverer, false, std::nullopt};
    lift.asks_lift = true;
    auto early = run(c, lift, r, kStart + std::chrono::days{100});
    CHECK(sends(early, "nondisclosure_lift_refused", Role::discoverer));
    CHECK(c.state == CaseState::details_sent);
    auto later = run(c, lift, r, kStart + std::chrono::days{366});
    CHECK(sends(later, "nondisclosure_lift_accepted", Role::discoverer));
    CHECK(c.state == CaseState::nondisclosure_lifted);

    // Automatic mail (an out-of-office) asks nothing.
    auto d = details_sent(r);
    CorrespondenceReceived bounce{"d@x.test", Role::discoverer, true, std::nullopt};
    bounce.asks_status = true;
    CHECK(commands_of<SendTemplate>(run(d, bounce, r, kStart)).empty());
}

TEST_CASE("Relaying, once both sides agreed: each side's words go to the other only") {
    rules::RuleSet r;
    auto c = details_sent(r);
    CorrespondenceReceived from_discoverer{"d@x.test", Role::discoverer, false, std::nullopt};
    from_discoverer.text = "Does the fix cover the admin page too?";
    CHECK(commands_of<SendTemplate>(run(c, from_discoverer, r, kStart)).empty());  // not agreed: nothing passed on

    run(c, order("relay on A", kA), r, kStart);
    CHECK(c.vendors[0].relay);
    auto passed = run(c, from_discoverer, r, kStart);
    REQUIRE(commands_of<SendTemplate>(passed).size() == 1);
    const auto relayed = commands_of<SendTemplate>(passed)[0];
    CHECK(relayed.template_name == "relay_notice");
    CHECK(relayed.participant == kA);
    CHECK(relayed.variables.at(0).second == from_discoverer.text);

    auto from_vendor = vendor_reply({});
    from_vendor.reading.reset();
    from_vendor.text = "Yes, both pages.";
    CHECK(sends(run(c, from_vendor, r, kStart), "relay_notice", Role::discoverer));

    run(c, order("relay off A", kA), r, kStart);
    CHECK_FALSE(c.vendors[0].relay);
    CHECK(commands_of<SendTemplate>(run(c, from_vendor, r, kStart)).empty());
    CHECK_FALSE(parse_commands("relay maybe A").errors.empty());
}
