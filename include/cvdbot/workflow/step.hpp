#pragma once
// The pure workflow core: step(state, event, rules, now) -> new state + commands as data.
// No I/O happens here; the app carries out the commands in one store transaction.

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "cvdbot/core/result.hpp"
#include "cvdbot/core/time.hpp"
#include "cvdbot/domain/types.hpp"
#include "cvdbot/rules/rule_set.hpp"

namespace cvd::workflow {

// --- events -------------------------------------------------------------------------
// A message that belongs to no case: a new report.
struct ReportReceived {
    std::string sender;  // normalised address
    std::string display_name;
    bool automatic = false;  // auto-reply, bounce or bulk mail
};

// A message threaded onto an existing case.
struct CorrespondenceReceived {
    std::string sender;
    std::optional<domain::Role> sender_role;  // nullopt: not a participant of the case
    bool automatic = false;
};

using Event = std::variant<ReportReceived, CorrespondenceReceived>;

// --- commands -----------------------------------------------------------------------
struct OpenCase {
    std::string discoverer_address;
    std::string discoverer_name;
};

// Render template `template_name` for the participant with `role` and queue it, as a
// reply to the message that caused this step.
struct SendTemplate {
    std::string template_name;
    domain::Role recipient_role;
};

struct RecordAudit {
    std::string action;
    std::string detail;
};

using Command = std::variant<OpenCase, SendTemplate, RecordAudit>;

struct StepOutcome {
    std::optional<domain::CaseState> state;  // nullopt: still no case (e.g. ignored mail)
    std::vector<Command> commands;
};

// `state` is nullopt when the event belongs to no case yet. An event that is not allowed
// in the state gives an error (ErrorKind::conflict) that explains why.
core::Result<StepOutcome> step(std::optional<domain::CaseState> state, const Event& event,
                               const rules::RuleSet& rules, core::Timestamp now);

}  // namespace cvd::workflow
