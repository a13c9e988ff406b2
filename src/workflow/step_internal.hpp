#pragma once
// Shared by the step_*.cpp files: the context of one step and small helpers.

#include <string>

#include "cvdbot/workflow/step.hpp"

namespace cvd::workflow::detail {

struct Ctx {
    const CaseSnapshot& c;
    const rules::RuleSet& rules;
    core::Timestamp now;
    StepOutcome out;

    void send(std::string tmpl, domain::Role role,
              std::optional<std::int64_t> participant = std::nullopt,
              std::vector<std::pair<std::string, std::string>> variables = {}) {
        out.commands.push_back(
            SendTemplate{std::move(tmpl), role, participant, std::move(variables)});
    }
    void audit(std::string action, std::string detail) {
        out.commands.push_back(RecordAudit{std::move(action), std::move(detail)});
    }
    void notify(std::string text) { out.commands.push_back(NotifyCoordinator{std::move(text)}); }
    void set_timer(std::string name, std::optional<std::int64_t> p, core::Timestamp due) {
        out.commands.push_back(SetTimer{std::move(name), p, due});
    }
    void clear_timer(std::string name, std::optional<std::int64_t> p = std::nullopt) {
        out.commands.push_back(ClearTimer{std::move(name), p});
    }
    // Clears every armed timer whose name starts with `prefix` (for `participant` when given).
    void clear_timers(const std::string& prefix,
                      std::optional<std::int64_t> participant = std::nullopt);
};

// ErrorKind::conflict naming what was refused, the state, and what is allowed now.
core::Error refuse(const CaseSnapshot& c, const std::string& what, const std::string& why = "");
std::string allowed_now(const CaseSnapshot& c);
std::string date_text(core::Timestamp t);  // YYYY-MM-DD in JST

const VendorSnapshot* find_vendor(const CaseSnapshot& c, std::int64_t participant);
// The case state that follows from the vendors' states while the case is vendor-driven.
domain::CaseState derive_product_state(const CaseSnapshot& c,
                                       const std::vector<VendorSnapshot>& vendors);

core::Result<StepOutcome> on_product_command(Ctx ctx, const CoordinatorCommand& cmd);
core::Result<StepOutcome> on_web_command(Ctx ctx, const CoordinatorCommand& cmd);
core::Result<StepOutcome> on_timer(Ctx ctx, const TimerFired& timer);
core::Result<StepOutcome> on_delivery_refused(Ctx ctx, const DeliveryRefused& refused);
core::Result<StepOutcome> on_lift_request(Ctx ctx, bool by_coordinator);

}  // namespace cvd::workflow::detail
