// The web-application track: one site operator, fix target 3 months after the details.
#include "cvdbot/workflow/calendar.hpp"
#include "step_internal.hpp"

namespace cvd::workflow::detail {

using domain::CaseState;
using domain::Role;

core::Result<StepOutcome> on_web_command(Ctx ctx, const CoordinatorCommand& cmd) {
    const auto& c = ctx.c;
    const std::string name(to_string(cmd.verb));
    switch (cmd.verb) {
        case Verb::contact_operator:
            if (c.state != CaseState::accepted) return refuse(c, name);
            ctx.out.state = CaseState::operator_contacted;
            ctx.send("operator_first_contact", Role::site_operator);
            ctx.audit("operator_contacted", "first contact");
            if (!c.start_date) ctx.out.commands.push_back(SetStartDate{ctx.now});
            ctx.set_timer(
                "operator_reminder_1", std::nullopt,
                add_business_days(ctx.now, ctx.rules.timers.operator_first_reply_business_days,
                                  ctx.rules.holidays));
            return std::move(ctx.out);
        case Verb::send_details:
            if (c.state != CaseState::operator_contacted) return refuse(c, name);
            ctx.out.state = CaseState::web_details_sent;
            ctx.send("web_details", Role::site_operator);
            ctx.audit("details_sent", "to the site operator");
            ctx.clear_timers("operator_reminder_");
            ctx.set_timer("web_fix_target", std::nullopt,
                          add_months(ctx.now, ctx.rules.timers.web_fix_target_months));
            return std::move(ctx.out);
        case Verb::operator_status: {
            const auto s = *cmd.operator_status;
            if (s == OperatorStatus::fixing) {
                if (c.state != CaseState::web_details_sent) return refuse(c, name + " fixing");
                ctx.out.state = CaseState::web_fixing;
                ctx.audit("operator_status", "fixing");
                return std::move(ctx.out);
            }
            if (s == OperatorStatus::fixed) {
                if (c.state != CaseState::web_details_sent && c.state != CaseState::web_fixing)
                    return refuse(c, name + " fixed");
                ctx.out.state = CaseState::fix_reported;
                ctx.audit("fix_reported", "the operator reports the fix");
                ctx.send("fix_confirmation", Role::discoverer);
                ctx.clear_timers("web_fix_target");
                ctx.notify("the operator reports a fix; check it and close");
                return std::move(ctx.out);
            }
            if (c.state != CaseState::operator_contacted &&
                c.state != CaseState::web_details_sent && c.state != CaseState::web_fixing)
                return refuse(c, name + " not-vulnerable");
            ctx.out.state = CaseState::closed_not_vulnerable;
            ctx.audit("closed_not_vulnerable", "the operator finds the site not vulnerable");
            ctx.send("not_vulnerable_notice", Role::discoverer);
            for (const auto& t : c.timers) ctx.clear_timer(t.name, t.participant);
            return std::move(ctx.out);
        }
        case Verb::unreachable:
            if (c.state != CaseState::operator_contacted) return refuse(c, name);
            ctx.out.state = CaseState::operator_unreachable;
            ctx.audit("operator_unreachable", "declared by the coordinator");
            ctx.send("unreachable_notice", Role::discoverer);
            ctx.clear_timers("operator_reminder_");
            return std::move(ctx.out);
        case Verb::close:
            if (c.state == CaseState::fix_reported) {
                ctx.out.state = CaseState::closed_fixed;
                ctx.audit("closed_fixed", "fix confirmed");
            } else if (c.state == CaseState::operator_unreachable) {
                ctx.out.state = CaseState::closed_unreachable;
                ctx.audit("closed_unreachable", "the operator never answered");
            } else {
                return refuse(c, name);
            }
            for (const auto& t : c.timers) ctx.clear_timer(t.name, t.participant);
            return std::move(ctx.out);
        default:
            return refuse(c, name, "not a web-track command");
    }
}

}  // namespace cvd::workflow::detail
