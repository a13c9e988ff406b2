// The advisory commands that send mail rather than record a fact: the draft to the
// coordinators (advisory_draft template) and, in case_engine_review.cpp, each vendor's section
// for its review.

#include "advisory_facts.hpp"
#include "case_engine.hpp"

namespace cvd::app {

using core::Result;
using core::Status;
using domain::Role;

Status CaseEngine::send_to_coordinators(const domain::Case& the_case,
                                        const workflow::SendTemplate& send, core::Timestamp now) {
    for (const auto& address : config_.coordinators) {
        domain::Participant coordinator;
        coordinator.role = Role::coordinator;
        coordinator.address = address;
        auto vars = case_variables(the_case, coordinator, &send, now);
        if (!vars) return vars.error();
        auto mail = build_direct_reply(send.template_name, mail::Address{"", address},
                                       config_.bot.language, Role::coordinator, ReplyContext{},
                                       *vars, config_, templates_, now, crypto_);
        if (!mail) return mail.error();
        mail->case_row_id = the_case.row_id;
        if (auto q = store_.queue_outbound(*mail, now); !q) return q.error();
    }
    return {};
}

Result<std::string> CaseEngine::discoverer_credit(const domain::Case& the_case,
                                                  core::Timestamp now) {
    auto people = store_.participants(the_case.row_id);
    if (!people) return people.error();
    for (const auto& p : *people)
        if (p.role == Role::discoverer) {
            auto vars = case_variables(the_case, p, nullptr, now);
            if (!vars) return vars.error();
            return (*vars)["credit_name"];
        }
    return std::string();
}

Result<std::string> CaseEngine::apply_advisory(const domain::Case& the_case,
                                               const workflow::AdvisoryFactCommand& fact,
                                               const Cause& cause, core::Timestamp now) {
    if (fact.name == "review") return send_reviews(the_case, fact.value, cause, now);
    if (fact.name != "draft")
        return record_advisory_fact(store_, the_case.row_id, fact, config_.advisory, now);
    if (config_.coordinators.empty())
        return core::make_error(core::ErrorKind::conflict,
                                "no coordinator address is configured for the draft");
    auto credit = discoverer_credit(the_case, now);
    if (!credit) return credit.error();
    auto draft = advisory_draft(store_, the_case, config_.advisory, *credit);
    if (!draft) return draft.error();
    const workflow::SendTemplate send{"advisory_draft",
                                      Role::coordinator,
                                      std::nullopt,
                                      {{"advisory_id", draft->advisory_id},
                                       {"advisory_text", draft->text},
                                       {"advisory_missing", draft->missing}}};
    if (auto s = send_to_coordinators(the_case, send, now); !s) return s.error();
    return std::string("advisory draft sent to the coordinators");
}

}  // namespace cvd::app
