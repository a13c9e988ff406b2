#include "cvdbot/workflow/step.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "cvdbot/workflow/calendar.hpp"
#include "step_internal.hpp"

namespace cvd::workflow {

using domain::CaseState;
using domain::Role;
using domain::Track;

namespace detail {

void Ctx::clear_timers(const std::string& prefix, std::optional<std::int64_t> participant) {
    for (const auto& t : c.timers)
        if (t.name.rfind(prefix, 0) == 0 && (!participant || t.participant == participant))
            clear_timer(t.name, t.participant);
}

std::string date_text(core::Timestamp t) {
    const std::chrono::year_month_day d{
        std::chrono::floor<std::chrono::days>(t + std::chrono::hours{9})};
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(d.year()),
                  static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
    return buf;
}

std::string allowed_now(const CaseSnapshot& c) {
    if (!domain::is_open(c.state)) return "nothing: the case is closed (only notes)";
    switch (c.state) {
        case CaseState::received:
            return "triage, accept, reject, stop, track";
        case CaseState::triage:
            return "accept, reject, stop, track";
        case CaseState::accepted:
            return c.track == Track::web       ? "contact operator, stop"
                   : c.track == Track::product ? "contact vendor, stop"
                                               : "track product|web, stop";
        case CaseState::vendor_contacted:
        case CaseState::details_sent:
        case CaseState::verifying:
        case CaseState::fixing:
            return "contact vendor, send details, vendor-status, set publication-date, "
                   "unreachable, no-agreement, "
                   "cancel publication, allow pre-notice, direct-contact, stop";
        case CaseState::date_agreed:
            return "publish, set publication-date, cancel publication, allow pre-notice, stop";
        case CaseState::published:
            return "close";
        case CaseState::unreachable:
        case CaseState::no_agreement:
            return "committee refer, contact vendor, vendor-status, stop";
        case CaseState::committee:
            return "committee publish, committee do-not-publish, stop";
        case CaseState::operator_contacted:
            return "send details, operator-status not-vulnerable, unreachable, stop";
        case CaseState::web_details_sent:
        case CaseState::web_fixing:
            return "operator-status fixing|fixed|not-vulnerable, stop";
        case CaseState::fix_reported:
        case CaseState::operator_unreachable:
            return "close, stop";
        default:
            return "stop";
    }
}

core::Error refuse(const CaseSnapshot& c, const std::string& what, const std::string& why) {
    std::string text =
        what + " is not allowed while the case is " + std::string(domain::to_string(c.state));
    if (!why.empty()) text += " (" + why + ")";
    text += "; allowed now: " + allowed_now(c);
    return core::make_error(core::ErrorKind::conflict, text);
}

const VendorSnapshot* find_vendor(const CaseSnapshot& c, std::int64_t participant) {
    for (const auto& v : c.vendors)
        if (v.participant == participant) return &v;
    return nullptr;
}

}  // namespace detail

namespace {

using detail::Ctx;

core::Result<StepOutcome> on_report(std::optional<CaseState> state, const ReportReceived& report,
                                    const rules::RuleSet& rules) {
    if (state)
        return core::make_error(core::ErrorKind::conflict,
                                "a new report cannot be added to an existing case");
    StepOutcome out;
    if (report.automatic) {
        // Automatic mail never opens a case and is never answered: that is how loops start.
        out.commands.push_back(RecordAudit{
            "ignored_automatic", "automatic mail from " + report.sender + " belongs to no case"});
        return out;
    }
    out.state = CaseState::received;
    out.commands.push_back(OpenCase{report.sender, report.display_name});
    out.commands.push_back(RecordAudit{"case_opened", "report from " + report.sender});
    if (report.classified)
        out.commands.push_back(SetTrack{*report.classified});
    if (rules.intake.acknowledge_reports)
        out.commands.push_back(
            SendTemplate{rules.intake.acknowledgment_template, Role::discoverer});
    if (report.free_form) {
        out.commands.push_back(RecordAudit{"free_form_report", "no report form recognised"});
        out.commands.push_back(NotifyCoordinator{
            "a free-form report (no form fields recognised) opened the case: please triage it"});
    } else if (!report.missing_fields.empty()) {
        // One reply that lists exactly what is missing.
        std::string list;
        for (const auto& field : report.missing_fields) list += "- " + field + "\n";
        out.commands.push_back(RecordAudit{"fields_missing", list});
        out.commands.push_back(
            SendTemplate{"missing_fields", Role::discoverer, std::nullopt, {{"missing_fields", list}}});
    }
    return out;
}

// Runs `handler` on a copy of what `ctx` produced so far; on success its outcome replaces
// ctx.out, on refusal ctx is unchanged and the reason is returned.
template <typename Handler>
std::optional<std::string> attempt(Ctx& ctx, Handler handler) {
    auto result = handler(Ctx{ctx.c, ctx.rules, ctx.now, ctx.out});
    if (!result) return result.error().message;
    ctx.out = std::move(*result);
    return std::nullopt;
}

void on_reading(Ctx& ctx, const CorrespondenceReceived& mail, const ReplyReading& reading) {
    const std::string who = (mail.sender_role == Role::vendor ? "vendor #" : "operator #") +
                            std::to_string(mail.participant.value_or(0));
    if (mail.sender_role == Role::vendor && reading.vendor_state && mail.participant) {
        CoordinatorCommand said;
        said.verb = Verb::vendor_status;
        said.vendor_state = reading.vendor_state;
        said.participant = mail.participant;
        const auto state = std::string(domain::to_string(*reading.vendor_state));
        if (auto refused = attempt(ctx, [&](Ctx sub) { return detail::on_product_command(std::move(sub), said); }))
            ctx.notify(who + " replied \"" + state + "\", which cannot be taken as it is: " + *refused);
        else
            ctx.audit("vendor_reported", who + ": " + state + " (from their reply)");
    }
    if (mail.sender_role == Role::site_operator && reading.operator_fixed) {
        CoordinatorCommand said;
        said.verb = Verb::operator_status;
        said.operator_status = OperatorStatus::fixed;
        if (auto refused = attempt(ctx, [&](Ctx sub) { return detail::on_web_command(std::move(sub), said); }))
            ctx.notify(who + " reported the fix, which cannot be taken as it is: " + *refused);
        else
            ctx.audit("operator_reported", who + ": fixed (from their reply)");
    }
    if (!reading.wished_publication.empty())
        ctx.notify(who + " wishes publication on " + reading.wished_publication +
                   "; to agree it: set publication-date YYYY-MM-DD HH:MM");
    if (!reading.unclear.empty())
        ctx.notify("the reply of " + who + " needs a person: " + reading.unclear);
}

core::Result<StepOutcome> on_correspondence(Ctx ctx, const CorrespondenceReceived& mail) {
    std::string who = mail.sender_role ? std::string(domain::to_string(*mail.sender_role))
                                       : std::string("non-participant");
    ctx.audit(mail.automatic ? "automatic_mail_received" : "correspondence_received",
              "from " + mail.sender + " (" + who + ")");
    // A first human reply ends the reminders: the vendor or operator is reachable.
    if (!mail.automatic && mail.participant && mail.sender_role == Role::vendor) {
        if (const auto* v = detail::find_vendor(ctx.c, *mail.participant); v && !v->replied) {
            ctx.clear_timers("vendor_reminder_", v->participant);
            ctx.clear_timers("vendor_unreachable", v->participant);
            ctx.audit("vendor_replied", "first reply; reminders stopped");
            ctx.out.commands.push_back(MarkReplied{v->participant});
        }
    }
    if (!mail.automatic && mail.sender_role == Role::site_operator &&
        ctx.c.state == CaseState::operator_contacted)
        ctx.clear_timers("operator_reminder_");
    if (mail.automatic) return std::move(ctx.out);
    if (mail.reading) on_reading(ctx, mail, *mail.reading);
    if (!mail.text.empty() && domain::is_open(ctx.c.state)) {
        // Both sides agreed: their words are passed on, each side only to the other.
        const std::vector<std::pair<std::string, std::string>> relayed{{"relayed_text", mail.text}};
        if (mail.sender_role == Role::discoverer) {
            for (const auto& v : ctx.c.vendors)
                if (v.relay) {
                    ctx.send("relay_notice", Role::vendor, v.participant, relayed);
                    ctx.audit("relayed", "from the discoverer to vendor #" + std::to_string(v.participant));
                }
        } else if (mail.sender_role == Role::vendor && mail.participant) {
            if (const auto* v = detail::find_vendor(ctx.c, *mail.participant); v && v->relay) {
                ctx.send("relay_notice", Role::discoverer, std::nullopt, relayed);
                ctx.audit("relayed", "from vendor #" + std::to_string(v->participant) + " to the discoverer");
            }
        }
    }
    if (mail.sender_role == Role::discoverer) {
        if (mail.asks_lift) {
            if (auto refused = attempt(ctx, [](Ctx sub) { return detail::on_lift_request(std::move(sub), false); }))
                ctx.notify("the discoverer asked to lift non-disclosure: " + *refused);
        } else if (mail.asks_status) {
            ctx.audit("status_inquiry", "the discoverer asked how the case stands");
            ctx.send("status_reply", Role::discoverer);
        }
    }
    return std::move(ctx.out);
}

core::Result<StepOutcome> on_intake_command(Ctx ctx, const CoordinatorCommand& cmd) {
    const auto& c = ctx.c;
    const bool intake = c.state == CaseState::received || c.state == CaseState::triage;
    switch (cmd.verb) {
        case Verb::triage:
            if (c.state != CaseState::received) return detail::refuse(c, "triage");
            ctx.out.state = CaseState::triage;
            ctx.audit("triage", "triage started");
            return std::move(ctx.out);
        case Verb::accept:
            if (!intake) return detail::refuse(c, "accept");
            ctx.out.state = CaseState::accepted;
            ctx.audit("accepted", "report accepted");
            ctx.send("acceptance", Role::discoverer);
            return std::move(ctx.out);
        case Verb::reject:
            if (!intake) return detail::refuse(c, "reject");
            ctx.out.state = CaseState::rejected;
            ctx.audit("rejected", cmd.text);
            ctx.send("rejection", Role::discoverer, std::nullopt, {{"reason", cmd.text}});
            return std::move(ctx.out);
        case Verb::stop:
            if (!domain::is_open(c.state)) return detail::refuse(c, "stop");
            ctx.out.state = CaseState::stopped;
            ctx.audit("stopped", cmd.text);
            ctx.send("handling_stopped", Role::discoverer, std::nullopt, {{"reason", cmd.text}});
            for (const auto& v : c.vendors)
                if (v.state != domain::VendorState::pending)
                    ctx.send("handling_stopped", Role::vendor, v.participant,
                             {{"reason", cmd.text}});
            if (c.track == Track::web && c.state != CaseState::accepted && !intake)
                ctx.send("handling_stopped", Role::site_operator, std::nullopt,
                         {{"reason", cmd.text}});
            for (const auto& t : c.timers) ctx.clear_timer(t.name, t.participant);
            return std::move(ctx.out);
        case Verb::track:
            if (!intake && c.state != CaseState::accepted)
                return detail::refuse(c, "track", "no one was contacted yet");
            ctx.out.commands.push_back(SetTrack{*cmd.track});
            ctx.audit("track", std::string(domain::to_string(*cmd.track)));
            return std::move(ctx.out);
        case Verb::note:
            ctx.audit("note", cmd.text);
            return std::move(ctx.out);
        case Verb::set_start_date: {
            if (intake || !domain::is_open(c.state) || !c.start_date)
                return detail::refuse(c, "set start-date", "no one has been contacted yet");
            if (*cmd.when > ctx.now) return detail::refuse(c, "set start-date", "the date is in the future");
            // Everything counted from the start date moves with it.
            ctx.out.commands.push_back(SetStartDate{*cmd.when});
            for (const auto& t : c.timers) {
                if (t.name == "publication_target")
                    ctx.set_timer(t.name, t.participant, add_days(*cmd.when, ctx.rules.timers.publication_target_days));
                if (t.name == "nondisclosure_lift")
                    ctx.set_timer(t.name, t.participant, add_months(*cmd.when, ctx.rules.timers.nondisclosure_lift_months));
            }
            ctx.audit("start_date", "corrected to " + detail::date_text(*cmd.when) + " (was " +
                                        detail::date_text(*c.start_date) + ")");
            return std::move(ctx.out);
        }
        case Verb::extend: {
            if (intake || !domain::is_open(c.state)) return detail::refuse(c, "extend");
            for (const auto& t : c.timers)
                if (t.name == "publication_target" || t.name == "web_fix_target") {
                    const auto due = add_days(t.due, *cmd.days);
                    ctx.set_timer(t.name, t.participant, due);
                    ctx.audit("extended", t.name + " by " + std::to_string(*cmd.days) + " days to " +
                                              detail::date_text(due));
                    return std::move(ctx.out);
                }
            return detail::refuse(c, "extend", "no publication or fix target is running");
        }
        case Verb::advisory_fact:
            // Facts for the advisory may be gathered in any state; they change no state.
            if (!cmd.fact) return core::make_error(core::ErrorKind::internal, "advisory command without its fact");
            ctx.out.commands.push_back(RecordAdvisoryFact{*cmd.fact});
            ctx.audit("advisory_fact", cmd.text);
            return std::move(ctx.out);
        default:
            break;
    }
    if (intake)
        return detail::refuse(c, std::string(to_string(cmd.verb)), "accept the report first");
    if (c.track == Track::web) return detail::on_web_command(std::move(ctx), cmd);
    if (c.track == Track::product) return detail::on_product_command(std::move(ctx), cmd);
    return detail::refuse(c, std::string(to_string(cmd.verb)), "choose the track first");
}

}  // namespace

core::Result<StepOutcome> step(const CaseSnapshot& snapshot, const Event& event,
                               const rules::RuleSet& rules, core::Timestamp now) {
    Ctx ctx{snapshot, rules, now, StepOutcome{snapshot.state, {}}};
    if (std::holds_alternative<ReportReceived>(event))
        return core::make_error(core::ErrorKind::conflict,
                                "a new report cannot be added to an existing case");
    if (const auto* mail = std::get_if<CorrespondenceReceived>(&event))
        return on_correspondence(std::move(ctx), *mail);
    if (const auto* cmd = std::get_if<CoordinatorCommandReceived>(&event)) {
        // From alone never suffices: only a verified coordinator signature may change a case.
        if (!cmd->from_coordinator)
            return core::make_error(
                core::ErrorKind::conflict,
                std::string(to_string(cmd->command.verb)) +
                    " refused: only signed mail from a registered coordinator may command a case");
        return on_intake_command(std::move(ctx), cmd->command);
    }
    if (std::holds_alternative<NondisclosureLiftRequested>(event))
        return detail::on_lift_request(std::move(ctx), false);
    if (const auto* refused = std::get_if<DeliveryRefused>(&event))
        return detail::on_delivery_refused(std::move(ctx), *refused);
    return detail::on_timer(std::move(ctx), std::get<TimerFired>(event));
}

core::Result<StepOutcome> step(std::optional<CaseState> state, const Event& event,
                               const rules::RuleSet& rules, core::Timestamp now) {
    if (const auto* report = std::get_if<ReportReceived>(&event))
        return on_report(state, *report, rules);
    if (!state)
        return core::make_error(core::ErrorKind::conflict,
                                std::holds_alternative<CorrespondenceReceived>(event)
                                    ? "correspondence needs a case to belong to"
                                    : "commands, requests and timers need a case to act on");
    CaseSnapshot snapshot;
    snapshot.state = *state;
    return step(snapshot, event, rules, now);
}

const std::vector<std::string>& template_names() {
    static const std::vector<std::string> names{"acknowledgment",
                                                "missing_fields",
                                                "status_reply",
                                                "relay_notice",
                                                "acceptance",
                                                "rejection",
                                                "handling_stopped",
                                                "vendor_first_contact",
                                                "vendor_details",
                                                "reminder_first",
                                                "reminder_second",
                                                "reminder_final",
                                                "unreachable_notice",
                                                "publication_target_notice",
                                                "publication_date_confirmation",
                                                "publication_notice",
                                                "publication_cancelled",
                                                "committee_referral",
                                                "committee_decision",
                                                "vendor_opinion_invitation",
                                                "not_affected_notice",
                                                "pre_notice_allowed",
                                                "direct_contact_enabled",
                                                "operator_first_contact",
                                                "operator_reminder",
                                                "web_details",
                                                "web_fix_reminder",
                                                "fix_confirmation",
                                                "not_vulnerable_notice",
                                                "nondisclosure_lift_accepted",
                                                "nondisclosure_lift_refused",
                                                "coordinator_transcript"};
    return names;
}

}  // namespace cvd::workflow
