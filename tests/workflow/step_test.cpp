#include "cvdbot/workflow/step.hpp"

#include <catch2/catch.hpp>

using namespace cvd;
using namespace cvd::workflow;
using domain::CaseState;

namespace {
const core::Timestamp kNow = core::from_unix(1'800'000'000);

template <typename T>
std::vector<T> commands_of(const StepOutcome& outcome) {
    std::vector<T> found;
    for (const auto& c : outcome.commands)
        if (const auto* t = std::get_if<T>(&c)) found.push_back(*t);
    return found;
}
}  // namespace

TEST_CASE("A report opens a case and acknowledges the discoverer") {
    rules::RuleSet rules;
    auto out =
        step(std::nullopt, ReportReceived{"alice@example.test", "Alice", false}, rules, kNow);
    REQUIRE(out.ok());
    CHECK(out->state == CaseState::received);
    REQUIRE(commands_of<OpenCase>(*out).size() == 1);
    CHECK(commands_of<OpenCase>(*out)[0].discoverer_address == "alice@example.test");
    const auto sends = commands_of<SendTemplate>(*out);
    REQUIRE(sends.size() == 1);
    CHECK(sends[0].template_name == "acknowledgment");
    CHECK(sends[0].recipient_role == domain::Role::discoverer);
}

TEST_CASE("Acknowledgments can be switched off in the rules") {
    rules::RuleSet rules;
    rules.intake.acknowledge_reports = false;
    auto out = step(std::nullopt, ReportReceived{"alice@example.test", "", false}, rules, kNow);
    REQUIRE(out.ok());
    CHECK(commands_of<SendTemplate>(*out).empty());
    CHECK(commands_of<OpenCase>(*out).size() == 1);
}

TEST_CASE("Automatic mail with no case opens nothing and is never answered") {
    auto out = step(std::nullopt, ReportReceived{"mailer-daemon@example.test", "", true}, {}, kNow);
    REQUIRE(out.ok());
    CHECK_FALSE(out->state);
    CHECK(commands_of<OpenCase>(*out).empty());
    CHECK(commands_of<SendTemplate>(*out).empty());
    CHECK(commands_of<RecordAudit>(*out).size() == 1);
}

TEST_CASE("Correspondence joins the case without changing its state or replying") {
    auto out = step(CaseState::received,
                    CorrespondenceReceived{"alice@example.test", domain::Role::discoverer, false},
                    {}, kNow);
    REQUIRE(out.ok());
    CHECK(out->state == CaseState::received);
    CHECK(commands_of<SendTemplate>(*out).empty());
    REQUIRE(commands_of<RecordAudit>(*out).size() == 1);
    CHECK(commands_of<RecordAudit>(*out)[0].detail == "from alice@example.test (discoverer)");
}

TEST_CASE("Events that do not fit the state are refused with a reason") {
    auto report_on_case =
        step(CaseState::received, ReportReceived{"a@example.test", "", false}, {}, kNow);
    REQUIRE_FALSE(report_on_case.ok());
    CHECK(report_on_case.error().kind == core::ErrorKind::conflict);
    auto orphan =
        step(std::nullopt, CorrespondenceReceived{"a@example.test", std::nullopt, false}, {}, kNow);
    REQUIRE_FALSE(orphan.ok());
}

TEST_CASE("Commands and timers without a case are refused, not ignored") {
    auto cmd = parse_commands("accept").commands.at(0).command;
    auto no_case = step(std::nullopt, CoordinatorCommandReceived{cmd, true}, {}, kNow);
    REQUIRE_FALSE(no_case.ok());
    CHECK(no_case.error().kind == core::ErrorKind::conflict);
    CHECK_FALSE(step(std::nullopt, TimerFired{"publication"}, {}, kNow).ok());
    // The old state-only form still drives intake commands.
    auto accepted = step(CaseState::triage, CoordinatorCommandReceived{cmd, true}, {}, kNow);
    REQUIRE(accepted.ok());
    CHECK(accepted->state == CaseState::accepted);
}
