#include "case_engine.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "advisory_facts.hpp"
#include "cvdbot/core/hash.hpp"
#include "cvdbot/crypto/key_bindings.hpp"
#include "cvdbot/core/text.hpp"
#include "cvdbot/mail/address.hpp"
#include "cvdbot/report/report_form.hpp"
#include "cvdbot/store/vendor_directory.hpp"
#include "cvdbot/workflow/calendar.hpp"
#include "cvdbot/workflow/commands.hpp"
#include "directory_participant.hpp"
#include "language.hpp"
#include "reply_guard.hpp"

namespace cvd::app {

using core::Result;
using core::Status;
using domain::Role;

namespace {

constexpr int kTimersPerTick = 200;

// Dates for people are Japan time, the process's calendar.
std::string jst(core::Timestamp t, bool with_time) {
    const auto local = t + std::chrono::hours{9};
    const auto day = std::chrono::floor<std::chrono::days>(local);
    const std::chrono::year_month_day d{day};
    const std::chrono::hh_mm_ss hms{std::chrono::duration_cast<std::chrono::minutes>(local - day)};
    char buf[40];
    if (with_time)
        std::snprintf(buf, sizeof buf, "%04d-%02u-%02u %02d:%02d JST", static_cast<int>(d.year()),
                      static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()),
                      static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()));
    else
        std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(d.year()), static_cast<unsigned>(d.month()),
                      static_cast<unsigned>(d.day()));
    return buf;
}

}  // namespace

Result<workflow::CaseSnapshot> CaseEngine::snapshot(const domain::Case& the_case) {
    workflow::CaseSnapshot s;
    s.state = the_case.state;
    s.track = the_case.track;
    s.start_date = the_case.start_date;
    auto facts = store_.workflow_facts(the_case.row_id);
    if (!facts) return facts.error();
    s.publication_date = facts->publication_date;
    auto people = store_.participants(the_case.row_id);
    if (!people) return people.error();
    for (const auto& p : *people) {
        if (p.role != Role::vendor) continue;
        workflow::VendorSnapshot v;
        v.participant = p.row_id;
        v.relay = p.consent.direct_contact;
        if (!p.vendor_status.empty()) {
            const auto state = domain::parse_vendor_state(p.vendor_status);
            // Our own database is not trusted either: an unknown status stops the case.
            if (!state)
                return core::make_error(core::ErrorKind::io, "participant " + std::to_string(p.row_id) +
                                                                      " has an unknown vendor status '" +
                                                                      core::sanitize_utf8(p.vendor_status) + "'");
            v.state = *state;
        }
        for (const auto& f : facts->participants)
            if (f.participant_row_id == p.row_id) {
                v.replied = f.replied_at.has_value();
                v.pre_notice_allowed = f.pre_notice_allowed;
            }
        s.vendors.push_back(v);
    }
    auto timers = store_.timers(the_case.row_id);
    if (!timers) return timers.error();
    for (const auto& t : *timers)
        if (t.state == "armed") s.timers.push_back({t.name, t.participant_row_id, t.due_at});
    return s;
}

Result<render::Variables> CaseEngine::case_variables(const domain::Case& the_case, const domain::Participant& recipient,
                                                     const workflow::SendTemplate* send, core::Timestamp now) {
    auto people = store_.participants(the_case.row_id);
    if (!people) return people.error();
    auto facts = store_.workflow_facts(the_case.row_id);
    if (!facts) return facts.error();
    const domain::Participant* discoverer = nullptr;
    const domain::Participant* operator_ = nullptr;
    for (const auto& p : *people) {
        if (p.role == Role::discoverer && !discoverer) discoverer = &p;
        if (p.role == Role::site_operator && !operator_) operator_ = &p;
    }
    // The report itself: the first message the discoverer sent.
    std::string report_text;
    auto messages = store_.case_messages(the_case.row_id);
    if (!messages) return messages.error();
    for (const auto& m : *messages)
        if (m.direction == domain::Direction::inbound && discoverer && m.sender == discoverer->address) {
            report_text = core::sanitize_utf8(m.text_body);
            break;
        }
    const auto form = report::parse_report(report_text);
    const auto field = [&](report::Field f) { return core::sanitize_utf8(form.value(f)); };
    // What vendors and operators get: the technical fields only, never who reported (unless
    // the discoverer agreed) — a free-form report goes as written after a coordinator's triage.
    std::string details;
    if (form.free_form) {
        details = report_text;
    } else {
        for (const auto f : {report::Field::product_name, report::Field::product_version, report::Field::site_url,
                             report::Field::vulnerability_type, report::Field::reproduction_steps,
                             report::Field::impact, report::Field::proof_of_concept}) {
            if (!form.has(f)) continue;
            const auto label = report::field_label(f);
            details += std::string(label.en) + " / " + std::string(label.ja) + ":\n" + field(f) + "\n\n";
        }
        if (discoverer && discoverer->consent.identity_to_vendor)
            details += "Reported by / 届出者: " +
                       (discoverer->display_name.empty() ? discoverer->address : discoverer->display_name) + " <" +
                       discoverer->address + ">\n";
    }
    std::string product = field(report::Field::product_name);
    if (!product.empty() && form.has(report::Field::product_version))
        product += " " + field(report::Field::product_version);
    std::string credit;
    if (discoverer && discoverer->consent.credit)
        credit = form.has(report::Field::credit_name) ? field(report::Field::credit_name)
                 : discoverer->display_name.empty()   ? discoverer->address
                                                      : discoverer->display_name;
    const std::string unset = "-";
    const auto& timers = rules_.timers;
    render::Variables v{
        {"case_id", the_case.id.str()},
        {"case_tag", "[" + the_case.id.str() + "]"},
        {"recipient_name", recipient.display_name.empty() ? recipient.address : recipient.display_name},
        {"recipient_address", recipient.address},
        {"recipient_role", std::string(domain::to_string(recipient.role))},
        {"bot_name", config_.bot.name},
        {"bot_address", config_.bot.address},
        {"today", jst(now, false)},
        {"case_title", the_case.title.empty() ? the_case.id.str() : the_case.title},
        {"product_name", product.empty() ? (the_case.title.empty() ? unset : the_case.title) : product},
        {"vendor_name", recipient.role == Role::vendor && !recipient.organisation.empty() ? recipient.organisation
                                                                                         : recipient.address},
        {"site_url", form.has(report::Field::site_url) ? field(report::Field::site_url)
                     : operator_ && !operator_->organisation.empty() ? operator_->organisation
                                                                      : unset},
        {"start_date", the_case.start_date ? jst(*the_case.start_date, false) : unset},
        {"target_date", the_case.start_date
                            ? jst(workflow::add_days(*the_case.start_date, timers.publication_target_days), false)
                            : unset},
        {"lift_date", the_case.start_date
                          ? jst(workflow::add_months(*the_case.start_date, timers.nondisclosure_lift_months), false)
                          : unset},
        {"publication_date", facts->publication_date ? jst(*facts->publication_date, true) : unset},
        {"vulnerability_details", details},
        {"discoverer_name", discoverer ? (discoverer->display_name.empty() ? discoverer->address
                                                                           : discoverer->display_name)
                                       : unset},
        {"credit_name", credit},
        {"status_summary", std::string(domain::to_string(the_case.state)) +
                               (the_case.start_date ? ", start date " + jst(*the_case.start_date, false) : "") +
                               (facts->publication_date ? ", publication " + jst(*facts->publication_date, true)
                                                        : "")},
        {"reason", ""},
        {"decision", ""},
        {"missing_fields", ""},
        {"transcript", ""},
        {"notice_text", ""},
        {"relayed_text", ""},
        {"bot_fingerprint", unset},
    };
    if (send)
        for (const auto& [key, value] : send->variables) v[key] = core::sanitize_utf8(value);
    return v;
}

Result<std::vector<domain::Participant>> CaseEngine::recipients(const domain::Case& the_case,
                                                                const workflow::SendTemplate& send) {
    auto people = store_.participants(the_case.row_id);
    if (!people) return people.error();
    std::vector<domain::Participant> out;
    for (const auto& p : *people)
        if (send.participant ? p.row_id == *send.participant : p.role == send.recipient_role) out.push_back(p);
    if (out.empty())
        return core::make_error(core::ErrorKind::conflict,
                                "the case has no " + std::string(domain::to_string(send.recipient_role)) +
                                    (send.participant ? " #" + std::to_string(*send.participant) : "") +
                                    " to send '" + send.template_name + "' to");
    return out;
}

Status CaseEngine::notify_coordinators(const domain::Case& the_case, const std::string& text, const Cause& cause,
                                       core::Timestamp now) {
    if (config_.coordinators.empty()) {
        spdlog::warn("{}: a coordinator is needed but none is configured: {}", the_case.id.str(), text);
        return {};
    }
    const workflow::SendTemplate send{"coordinator_notice", Role::coordinator, std::nullopt, {{"notice_text", text}}};
    if (auto s = send_to_coordinators(the_case, send, now); !s) return s.error();
    (void)cause;
    return {};
}

Status CaseEngine::tell_coordinators(std::int64_t case_row_id, const std::string& text, core::Timestamp now) {
    auto the_case = store_.case_by_row(case_row_id);
    if (!the_case) return the_case.error();
    if (!*the_case) return {};
    return notify_coordinators(**the_case, text, Cause{}, now);
}

Result<Applied> CaseEngine::apply(std::optional<domain::Case> the_case, const workflow::StepOutcome& outcome,
                                  const Cause& cause, core::Timestamp now, const NewCaseFacts& facts) {
    Applied applied;
    std::vector<const workflow::SendTemplate*> sends;
    std::vector<std::string> notices;
    const auto need_case = [&]() -> Status {
        if (!the_case) return core::make_error(core::ErrorKind::internal, "a workflow command needs a case");
        return {};
    };
    for (const auto& command : outcome.commands) {
        if (const auto* open = std::get_if<workflow::OpenCase>(&command)) {
            auto created = store_.create_case(config_.bot.case_prefix, now, core::sanitize_utf8(facts.title));
            if (!created) return created.error();
            the_case = *created;
            domain::Participant discoverer;
            discoverer.case_row_id = created->row_id;
            discoverer.role = Role::discoverer;
            discoverer.address = open->discoverer_address;
            discoverer.display_name = core::sanitize_utf8(open->discoverer_name);
            discoverer.language = facts.language;
            auto added = store_.add_participant(discoverer, now);
            if (!added) return added.error();
            applied.opened_by = *added;
            applied.effects.push_back("opened case " + created->id.str());
            continue;
        }
        if (const auto* audit = std::get_if<workflow::RecordAudit>(&command)) {
            if (auto s = store_.audit({0, the_case ? std::optional(the_case->row_id) : std::nullopt, now, cause.actor,
                                       audit->action, audit->detail, cause.message_row_id});
                !s)
                return s.error();
            continue;
        }
        if (auto s = need_case(); !s) return s.error();
        const auto case_row = the_case->row_id;
        Status s;
        if (const auto* send = std::get_if<workflow::SendTemplate>(&command)) {
            sends.push_back(send);
        } else if (const auto* notify = std::get_if<workflow::NotifyCoordinator>(&command)) {
            notices.push_back(notify->text);
        } else if (const auto* set = std::get_if<workflow::SetTimer>(&command)) {
            // Arming again replaces: one armed timer per name and participant.
            s = store_.clear_timer(case_row, set->name, set->participant);
            if (s) {
                auto armed = store_.arm_timer({0, case_row, set->participant, set->name, set->due, "armed"});
                if (!armed) return armed.error();
                applied.effects.push_back("timer " + set->name + " due " + jst(set->due, true));
            }
        } else if (const auto* clear = std::get_if<workflow::ClearTimer>(&command)) {
            s = store_.clear_timer(case_row, clear->name, clear->participant);
        } else if (const auto* vendor = std::get_if<workflow::SetVendorStatus>(&command)) {
            s = store_.set_vendor_status(vendor->participant, std::string(domain::to_string(vendor->state)));
            applied.effects.push_back("vendor #" + std::to_string(vendor->participant) + " is now " +
                                      std::string(domain::to_string(vendor->state)));
        } else if (const auto* start = std::get_if<workflow::SetStartDate>(&command)) {
            s = store_.set_start_date(case_row, start->date);
            applied.effects.push_back("start date " + jst(start->date, false));
        } else if (const auto* track = std::get_if<workflow::SetTrack>(&command)) {
            s = store_.set_case_track(case_row, track->track, now);
            applied.effects.push_back("track " + std::string(domain::to_string(track->track)));
        } else if (const auto* date = std::get_if<workflow::SetPublicationDate>(&command)) {
            s = store_.set_publication_date(case_row, date->when);
            applied.effects.push_back(date->when ? "publication date " + jst(*date->when, true)
                                                 : std::string("publication date cleared"));
        } else if (const auto* direct = std::get_if<workflow::SetDirectContact>(&command)) {
            auto p = store_.participant(direct->participant);
            if (!p) return p.error();
            if (*p) {
                auto consent = (*p)->consent;
                consent.direct_contact = direct->on;
                s = store_.set_consent(direct->participant, consent);
            }
            applied.effects.push_back(std::string(direct->on ? "relaying on" : "relaying off") + " for vendor #" +
                                      std::to_string(direct->participant));
        } else if (const auto* replied = std::get_if<workflow::MarkReplied>(&command)) {
            s = store_.mark_replied(replied->participant, now);
        } else if (const auto* pre = std::get_if<workflow::AllowPreNotice>(&command)) {
            s = store_.allow_pre_notice(pre->participant);
        } else if (const auto* fact = std::get_if<workflow::RecordAdvisoryFact>(&command)) {
            auto done = apply_advisory(*the_case, fact->fact, cause, now);
            if (!done) return done.error();
            applied.effects.push_back(*done);
        }
        if (!s) return s.error();
    }
    if (the_case && outcome.state && *outcome.state != the_case->state) {
        if (auto s = store_.set_case_state(the_case->row_id, *outcome.state, now); !s) return s.error();
        applied.effects.push_back("state " + std::string(domain::to_string(the_case->state)) + " -> " +
                                  std::string(domain::to_string(*outcome.state)));
    }
    if (the_case) {
        // Mail is rendered after every other change, so it tells the new dates and state.
        auto fresh = store_.case_by_row(the_case->row_id);
        if (!fresh) return fresh.error();
        if (!*fresh) return core::make_error(core::ErrorKind::internal, "the case vanished");
        the_case = **fresh;
    }
    for (const auto* send : sends) {
        auto to = recipients(*the_case, *send);
        if (!to) return to.error();
        for (const auto& recipient : *to) {
            // Only the message's own sender gets a reply in its thread.
            const bool answering = cause.reply.answering && applied.opened_by &&
                                   recipient.row_id == applied.opened_by->row_id;
            const bool to_sender = !cause.limited_sender.empty() &&
                                   domain::normalize_address(recipient.address) ==
                                       domain::normalize_address(cause.limited_sender);
            if (answering || to_sender) {
                // An auto-responder posing as a reporter, or a burst of status inquiries in
                // one case, gets a bounded number of answers.
                auto admitted = admit_reply(store_, rules_.limits, send->template_name, recipient.address,
                                            the_case->row_id, cause.message_row_id, now);
                if (!admitted) return admitted.error();
                if (!*admitted) continue;
            }
            auto effect = send_or_hold(*the_case, recipient, *send, answering ? cause.reply : ReplyContext{}, now);
            if (!effect) return effect.error();
            applied.effects.push_back(std::move(*effect));
        }
    }
    for (const auto& text : notices) {
        if (auto s = notify_coordinators(*the_case, text, cause, now); !s) return s.error();
        applied.effects.push_back("told the coordinators: " + text);
    }
    applied.the_case = the_case;
    return applied;
}

Status CaseEngine::queue_template(const domain::Case& the_case, const domain::Participant& recipient,
                                  const workflow::SendTemplate& send, const ReplyContext& reply, core::Timestamp now,
                                  bool attach_bot_key) {
    auto vars = case_variables(the_case, recipient, &send, now);
    if (!vars) return vars.error();
    if (crypto_.keyring) {
        auto key = crypto_.keyring->signing_key();
        if (!key) return key.error();
        vars->insert_or_assign("bot_fingerprint", key->fingerprint);
    }
    auto messages = store_.case_messages(the_case.row_id);
    if (!messages) return messages.error();
    const auto language = choose_language(recipient, *messages, config_.bot.language).language;
    auto crypto = crypto_;
    crypto.attach_bot_key = attach_bot_key;
    auto mail = build_outgoing(send.template_name, the_case, recipient, language, reply, config_, templates_, now,
                               crypto, *vars);
    if (!mail) return mail.error();
    if (auto q = store_.queue_outbound(*mail, now); !q) return q.error();
    return {};
}

Result<Applied> CaseEngine::run(const domain::Case& the_case, const workflow::Event& event, const Cause& cause,
                                core::Timestamp now) {
    auto snap = snapshot(the_case);
    if (!snap) return snap.error();
    auto outcome = workflow::step(*snap, event, rules_, now);
    if (!outcome) return outcome.error();
    return apply(the_case, *outcome, cause, now);
}

Result<int> CaseEngine::fire_due_timers(core::Timestamp now) {
    auto due = store_.due_timers(now, kTimersPerTick);
    if (!due) return due.error();
    int fired = 0;
    for (const auto& timer : *due) {
        std::string outcome_note;
        auto status = store_.transaction([&]() -> Status {
            auto first = store_.fire_timer(timer.row_id);
            if (!first) return first.error();
            if (!*first) return {};  // someone else fired it
            auto c = store_.case_by_row(timer.case_row_id);
            if (!c) return c.error();
            if (!*c) return core::make_error(core::ErrorKind::io, "timer " + std::to_string(timer.row_id) +
                                                                           " belongs to no case");
            Cause cause{"bot", std::nullopt, {}};
            auto applied = run(**c, workflow::TimerFired{timer.name, timer.participant_row_id}, cause, now);
            if (!applied) {
                if (applied.error().kind != core::ErrorKind::conflict &&
                    applied.error().kind != core::ErrorKind::invalid_input)
                    return applied.error();
                // A timer overtaken by events (the vendor answered, the case closed) is spent.
                outcome_note = "stale: " + applied.error().message;
                return store_.audit({0, timer.case_row_id, now, "bot", "timer_stale",
                                     timer.name + ": " + applied.error().message, std::nullopt});
            }
            for (const auto& e : applied->effects) outcome_note += (outcome_note.empty() ? "" : "; ") + e;
            ++fired;
            return {};
        });
        if (!status) return status.error();
        spdlog::info("timer {} ({}) on case #{}: {}", timer.name, core::format_iso8601(timer.due_at),
                     timer.case_row_id, outcome_note.empty() ? "fired" : outcome_note);
    }
    return fired;
}

}  // namespace cvd::app
