#include "cvdbot/workflow/step.hpp"

namespace cvd::workflow {

using domain::CaseState;
using domain::Role;

namespace {

core::Result<StepOutcome> on_report(std::optional<CaseState> state, const ReportReceived& report,
                                    const rules::RuleSet& rules) {
    if (state)
        return core::make_error(core::ErrorKind::conflict,
                                "a new report cannot be added to an existing case");
    StepOutcome out;
    if (report.automatic) {
        // Automatic mail never opens a case and is never answered: that is how loops start.
        out.commands.push_back(RecordAudit{"ignored_automatic", "automatic mail from " + report.sender +
                                                                    " belongs to no case"});
        return out;
    }
    out.state = CaseState::received;
    out.commands.push_back(OpenCase{report.sender, report.display_name});
    out.commands.push_back(RecordAudit{"case_opened", "report from " + report.sender});
    if (rules.intake.acknowledge_reports)
        out.commands.push_back(SendTemplate{rules.intake.acknowledgment_template, Role::discoverer});
    return out;
}

core::Result<StepOutcome> on_correspondence(std::optional<CaseState> state,
                                            const CorrespondenceReceived& mail) {
    if (!state)
        return core::make_error(core::ErrorKind::conflict, "correspondence needs a case to belong to");
    StepOutcome out;
    out.state = *state;
    std::string who = mail.sender_role ? std::string(domain::to_string(*mail.sender_role))
                                       : std::string("non-participant");
    out.commands.push_back(RecordAudit{mail.automatic ? "automatic_mail_received" : "correspondence_received",
                                       "from " + mail.sender + " (" + who + ")"});
    return out;
}

}  // namespace

core::Result<StepOutcome> step(std::optional<CaseState> state, const Event& event,
                               const rules::RuleSet& rules, core::Timestamp /*now*/) {
    if (const auto* report = std::get_if<ReportReceived>(&event)) return on_report(state, *report, rules);
    return on_correspondence(state, std::get<CorrespondenceReceived>(event));
}

}  // namespace cvd::workflow
