#include "intake.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "cvdbot/core/text.hpp"
#include "cvdbot/domain/types.hpp"
#include "cvdbot/mail/address.hpp"
#include "cvdbot/mail/parser.hpp"
#include "cvdbot/mail/threading.hpp"
#include "cvdbot/core/hash.hpp"
#include "cvdbot/report/discoverer_request.hpp"
#include "cvdbot/workflow/commands.hpp"
#include "cvdbot/workflow/step.hpp"
#include "outgoing.hpp"
#include "pgp_open.hpp"
#include "reading.hpp"
#include "reply_guard.hpp"
#include "threading.hpp"
#include "vendor_mail.hpp"

namespace cvd::app {

using core::Status;
using domain::MessageStatus;

std::string detect_language(std::string_view text) {
    // Hiragana, katakana and CJK ideographs all start with lead byte E3..E9 in UTF-8.
    for (std::size_t i = 0; i + 2 < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c >= 0xE3 && c <= 0xE9) return "ja";
    }
    return "en";
}

namespace {

store::MessageSummary summarize(const mail::Message& m) {
    store::MessageSummary s;
    s.message_id = m.message_id;
    s.sender = m.from ? domain::normalize_address(m.from->address) : std::string();
    for (const auto* list : {&m.to, &m.cc})
        for (const auto& a : *list) s.recipients += (s.recipients.empty() ? "" : ", ") + a.address;
    s.subject = m.subject;
    s.text_body = m.text_body;
    s.language = detect_language(m.subject + m.text_body);
    s.in_reply_to = m.in_reply_to;
    s.references = m.references;
    return s;
}

// One line for the case file: how the message was protected.
std::string describe_crypto(const CryptoReport& r) {
    if (r.form == PgpForm::none && r.keys.empty()) return "";
    std::string out = std::string("pgp ") + to_string(r.form);
    if (r.encrypted) out += r.decrypted_ok ? ", decrypted" : ", NOT decrypted";
    if (r.is_signed)
        out += std::string(", signature ") + crypto::to_string(r.signature) +
               (r.signer_fingerprint.empty() ? "" : " by " + r.signer_fingerprint);
    if (!r.keys.empty()) out += ", " + std::to_string(r.keys.size()) + " key(s) offered";
    if (!r.problem.empty()) out += ": " + r.problem;
    return out;
}

bool same_domain(std::string_view a, std::string_view b) {
    const auto da = core::address_domain(a), db = core::address_domain(b);
    return !da.empty() && core::iequals_ascii(da, db);
}

}  // namespace

Status Intake::process(std::int64_t row_id) {
    auto raw = store_.raw_message(row_id);
    if (!raw) return raw.error();
    return process(row_id, std::move(*raw));
}

Status Intake::process(std::int64_t row_id, std::string raw_bytes) {
    const auto now = clock_.now();
    // Read-only from here on: the parsed message's large attachments are views into it.
    const std::string& raw = raw_bytes;
    mail::Message parsed = mail::parse_message_deferred(raw);
    std::optional<CryptoReport> crypto_report;
    if (keyring_) {
        auto opened = open_pgp(std::move(parsed), raw, *keyring_);
        // An error here is ours (gpg or the keyring), never the sender's: retry later.
        if (!opened) return opened.error();
        parsed = std::move(opened->message);
        crypto_report = std::move(opened->report);
    }
    store::MessageSummary summary = summarize(parsed);
    if (crypto_report) {
        summary.crypto = describe_crypto(*crypto_report);
        summary.signer_fingerprint = crypto_report->signer_fingerprint;
    }
    for (const auto& warning : parsed.warnings) spdlog::debug("message {}: {}", row_id, warning);

    const auto set_aside = [&](MessageStatus status, const std::string& reason,
                               std::optional<std::int64_t> named_case = std::nullopt) -> Status {
        spdlog::warn("message {} ({} bytes, from '{}'): {}", row_id, raw.size(), summary.sender,
                     reason);
        summary.named_case_row_id = named_case;
        return store_.transaction([&]() -> Status {
            if (auto s = store_.record_processed(row_id, status, reason, std::nullopt, summary, now); !s) return s;
            return store_.audit({0, named_case, now, "bot",
                                 std::string("message_") + std::string(domain::to_string(status)),
                                 "message " + std::to_string(row_id) + " from " +
                                     (summary.sender.empty() ? "(no sender)" : summary.sender) + ": " + reason,
                                 row_id});
        });
    };

    if (raw.empty()) return set_aside(MessageStatus::failed, "the message is empty");
    if (!parsed.from || !core::is_plausible_addr_spec(parsed.from->address))
        return set_aside(MessageStatus::failed, "the message has no usable sender address (From), so it cannot open "
                                                "a case or be answered; kept for review");
    if (summary.sender == domain::normalize_address(config_.bot.address) ||
        reply_token_of(config_.bot.address, summary.sender))
        return set_aside(MessageStatus::ignored, "the message comes from the bot itself; ignored to avoid a loop");

    if (crypto_report) {
        // Keys that came with the mail are learned for the sender's own address only.
        for (const auto& offered : crypto_report->keys) {
            if (!crypto::may_learn(offered.key, summary.sender)) continue;
            if (auto s = bindings_.bind({summary.sender, offered.key.fingerprint, crypto::BindingKind::learned, now,
                                         row_id});
                !s)
                return s;
        }
        if (crypto_report->encrypted && !crypto_report->decrypted_ok && parsed.automatic == mail::AutomaticKind::none) {
            // Tell the sender what went wrong and hand them our key; never quote what we
            // could not read.
            auto key = keyring_->signing_key();
            if (!key) return key.error();
            // An unknown sender is answered as a possible discoverer.
            auto reply = build_direct_reply("decryption_failed", mail::Address{parsed.from->display_name, summary.sender},
                                            summary.language, domain::Role::discoverer,
                                            ReplyContext{&parsed, row_id, summary.subject},
                                            {{"problem", crypto_report->problem}, {"bot_fingerprint", key->fingerprint}},
                                            config_, templates_, now, outgoing_crypto(true));
            if (!reply) return reply.error();
            // One transaction: a crash must not leave a queued reply to a message that is
            // processed again.
            return store_.transaction([&]() -> Status {
                auto admitted = admit_reply(store_, rules_.limits, "decryption_failed", summary.sender, std::nullopt,
                                            row_id, now);
                if (!admitted) return admitted.error();
                if (*admitted)
                    if (auto q = store_.queue_outbound(*reply, now); !q) return q.error();
                return set_aside(MessageStatus::failed, "could not be decrypted: " + crypto_report->problem);
            });
        }
    }

    auto thread = find_thread(store_, parsed, summary.sender, config_.bot.address, config_.bot.case_prefix);
    if (!thread) return thread.error();
    const bool automatic = parsed.automatic != mail::AutomaticKind::none;

    if (!thread->found && !automatic) {
        auto handled = handle_contact_change(parsed, row_id, summary, now);
        if (!handled) return handled.error();
        if (*handled) return {};
    }

    // Who is writing: a participant of the case, a coordinator, a colleague of the
    // participant whose private thread address was used, or a stranger.
    std::optional<domain::Participant> sender;
    bool add_as_coordinator = false;
    std::string attribution;
    if (thread->found) {
        auto by_address = store_.participant_by_address(thread->found->row_id, summary.sender);
        if (!by_address) return by_address.error();
        sender = *by_address;
        if (!sender && crypto_report && crypto_report->signature == crypto::SignatureStatus::good &&
            !crypto_report->signer_fingerprint.empty()) {
            // Writing from another address, but signed with a key bound to a participant.
            auto by_key = participant_by_signing_key(thread->found->row_id, crypto_report->signer_fingerprint);
            if (!by_key) return by_key.error();
            if (*by_key) {
                sender = *by_key;
                attribution = " (by signing key " + crypto_report->signer_fingerprint + ")";
            }
        }
        if (!sender && std::find(config_.coordinators.begin(), config_.coordinators.end(), summary.sender) !=
                           config_.coordinators.end()) {
            add_as_coordinator = true;
        } else if (!sender && thread->how == "reply address" && thread->thread_participant) {
            auto owner = store_.participant(*thread->thread_participant);
            if (!owner) return owner.error();
            // Vendors and operators forward internally; their colleagues answer from the same
            // domain to the unguessable thread address.
            if (*owner && ((*owner)->role == domain::Role::vendor || (*owner)->role == domain::Role::site_operator) &&
                same_domain((*owner)->address, summary.sender)) {
                sender = *owner;
                attribution = " (colleague of " + (*owner)->address + ")";
            }
        }
        if (!sender && !add_as_coordinator) {
            // Someone guessing or copying a case tag learns nothing: no reply, no filing.
            return set_aside(MessageStatus::quarantined,
                             "names case " + thread->found->id.str() + " (" + thread->how +
                                 ") but the sender takes no part in it; held for a coordinator",
                             thread->found->row_id);
        }
    }

    const bool from_coordinator_address =
        std::find(config_.coordinators.begin(), config_.coordinators.end(), summary.sender) !=
            config_.coordinators.end() ||
        (sender && sender->role == domain::Role::coordinator);
    auto authorised_by = coordinator_signer(crypto_report);
    if (!authorised_by) return authorised_by.error();
    if (from_coordinator_address || !authorised_by->empty()) {
        const auto parsed_commands = workflow::parse_commands(summary.text_body);
        if (!parsed_commands.commands.empty())
            return handle_command_mail(parsed, row_id, summary, thread->found, *authorised_by,
                                       crypto_report ? crypto_report->signer_fingerprint : std::string(), now);
    }

    std::optional<domain::Role> sender_role;
    if (sender) sender_role = sender->role;
    if (add_as_coordinator) sender_role = domain::Role::coordinator;
    workflow::Event event;
    if (thread->found) {
        workflow::CorrespondenceReceived mail{summary.sender, sender_role, automatic,
                                              sender ? std::optional(sender->row_id) : std::nullopt};
        if (!automatic && sender_role &&
            (*sender_role == domain::Role::vendor || *sender_role == domain::Role::site_operator))
            mail.reading = read_reply(summary.text_body, *sender_role);
        if (!automatic) mail.text = own_words(summary.text_body);
        if (!automatic && sender_role == domain::Role::discoverer) {
            const auto request = report::read_discoverer_request(summary.text_body);
            mail.asks_status = request.asks_status;
            mail.asks_lift = request.asks_lift;
        }
        event = mail;
    } else {
        event = read_report(summary.text_body,
                            workflow::ReportReceived{summary.sender, parsed.from->display_name, automatic});
    }
    std::optional<workflow::StepOutcome> outcome;
    if (thread->found) {
        auto snap = engine_.snapshot(*thread->found);
        if (!snap) return snap.error();
        auto stepped = workflow::step(*snap, event, rules_, now);
        if (!stepped) return set_aside(MessageStatus::failed, "refused by the workflow: " + stepped.error().message);
        outcome = std::move(*stepped);
    } else {
        auto stepped = workflow::step(std::nullopt, event, rules_, now);
        if (!stepped) return set_aside(MessageStatus::failed, "refused by the workflow: " + stepped.error().message);
        outcome = std::move(*stepped);
    }

    std::optional<domain::Case> the_case = thread->found;
    std::vector<std::string> effects;
    auto status = store_.transaction([&]() -> Status {
        if (add_as_coordinator) {
            domain::Participant coordinator;
            coordinator.case_row_id = the_case->row_id;
            coordinator.role = domain::Role::coordinator;
            coordinator.address = summary.sender;
            coordinator.display_name = parsed.from->display_name;
            auto added = store_.add_participant(coordinator, now);
            if (!added) return added.error();
            sender = *added;
        }
        const Cause cause{sender ? sender->address : summary.sender, row_id,
                          ReplyContext{&parsed, row_id, summary.subject}, summary.sender};
        auto applied = engine_.apply(the_case, *outcome, cause, now, {summary.subject, summary.language});
        if (!applied) return applied.error();
        the_case = applied->the_case;
        if (applied->opened_by) {
            sender = applied->opened_by;
            // The form says whether they wish credit and may be named to the vendor.
            const auto consent = consent_from_report(summary.text_body, sender->consent);
            if (consent != sender->consent)
                if (auto s = store_.set_consent(sender->row_id, consent); !s) return s;
        }
        effects = applied->effects;
        if (the_case && sender &&
            (sender->role == domain::Role::vendor || sender->role == domain::Role::site_operator)) {
            // Their ticket system's numbers let later mail find the thread without our tag.
            for (const auto& ticket : ticket_candidates(mail::strip_subject_prefixes(summary.subject),
                                                        config_.bot.case_prefix))
                if (auto s = store_.remember_ticket(the_case->row_id, sender->row_id, ticket); !s) return s;
        }
        if (the_case && sender && sender->role == domain::Role::vendor && !automatic)
            if (auto s = engine_.record_advisory_correction(*the_case, *sender, summary.text_body,
                                                            cause, now);
                !s)
                return s;
        if (the_case && crypto_report && crypto_report->needs_reply() && !automatic) {
            // A bad, expired or revoked signature: we read the mail, and tell the sender.
            auto key = keyring_->signing_key();
            if (!key) return key.error();
            const auto role = sender ? sender->role : domain::Role::discoverer;
            auto reply = build_direct_reply(
                "signature_problem", mail::Address{parsed.from->display_name, summary.sender}, summary.language, role,
                ReplyContext{&parsed, row_id, summary.subject},
                {{"problem", crypto_report->problem.empty() ? std::string(crypto::to_string(crypto_report->signature))
                                                            : crypto_report->problem},
                 {"bot_fingerprint", key->fingerprint},
                 {"case_id", the_case->id.str()},
                 {"case_tag", "[" + the_case->id.str() + "]"}},
                config_, templates_, now, outgoing_crypto(true));
            if (!reply) return reply.error();
            reply->case_row_id = the_case->row_id;
            // Forged signatures in a burst get a bounded number of answers, like any reply.
            auto admitted = admit_reply(store_, rules_.limits, "signature_problem", summary.sender,
                                        the_case->row_id, row_id, now);
            if (!admitted) return admitted.error();
            if (*admitted)
                if (auto q = store_.queue_outbound(*reply, now); !q) return q.error();
            if (auto s = store_.audit({0, the_case->row_id, now, "bot", "signature_problem",
                                       std::string(crypto::to_string(crypto_report->signature)) + " from " +
                                           summary.sender + (*admitted ? "; told the sender" : "; not told (limit)"),
                                       row_id});
                !s)
                return s;
        }
        summary.participant_row_id = sender ? std::optional(sender->row_id) : std::nullopt;
        const auto final_status = the_case ? MessageStatus::processed : MessageStatus::ignored;
        const std::string reason = the_case ? (thread->found ? "threaded by " + thread->how + attribution
                                                             : "opened a new case")
                                            : "automatic mail that belongs to no case";
        return store_.record_processed(row_id, final_status, reason,
                                       the_case ? std::optional(the_case->row_id) : std::nullopt, summary, now);
    });
    if (!status) {
        if (status.error().kind == core::ErrorKind::io || status.error().kind == core::ErrorKind::internal)
            return status;
        // The message itself is the problem (e.g. an address the composer refuses).
        return set_aside(MessageStatus::failed, status.error().message);
    }
    spdlog::info("message {} from {}: {}{}{}", row_id, summary.sender,
                 the_case ? the_case->id.str() : std::string("no case"),
                 thread->found ? " (" + thread->how + ")" : std::string(the_case ? " (new case)" : ""),
                 effects.empty() ? std::string() : "; " + effects.front());
    return {};
}

core::Result<std::string> Intake::coordinator_signer(const std::optional<CryptoReport>& report) {
    // The signature must cover the whole body: unsigned lines around a signed block (or a
    // signed block quoted in a reply) must not pass as orders.
    if (!report || report->signature != crypto::SignatureStatus::good || report->signer_fingerprint.empty() ||
        !report->fully_signed)
        return std::string();
    for (const auto& address : config_.coordinators) {
        auto bindings = bindings_.bindings_for(address);
        if (!bindings) return bindings.error();
        if (crypto::may_authorise(*bindings, address, report->signer_fingerprint)) return address;
    }
    return std::string();
}

Status Intake::handle_command_mail(const mail::Message& parsed, std::int64_t row_id, store::MessageSummary summary,
                                   const std::optional<domain::Case>& the_case, const std::string& authorised_by,
                                   const std::string& signer_fingerprint, core::Timestamp now) {
    // The transcript goes to the coordinator the key belongs to; an unsigned order goes
    // back to the (configured coordinator) address it claims to come from.
    const std::string answer_to = authorised_by.empty() ? summary.sender : authorised_by;
    const Cause cause{authorised_by.empty() ? summary.sender : authorised_by, row_id,
                      ReplyContext{&parsed, row_id, summary.subject}};
    Transcript transcript;
    std::string verdict;
    auto status = store_.transaction([&]() -> Status {
        if (!the_case) {
            const auto commands = workflow::parse_commands(summary.text_body);
            for (const auto& line : commands.commands)
                transcript.lines.push_back({line.line, std::string(workflow::to_string(line.command.verb)), false,
                                            "no case named: keep the case tag (e.g. [" + config_.bot.case_prefix +
                                                "#2026-0001]) in the subject"});
            verdict = "coordinator commands naming no case";
        } else if (authorised_by.empty()) {
            auto t = engine_.run_commands(*the_case, summary.text_body, false, cause, now);
            if (!t) return t.error();
            transcript = std::move(*t);
            verdict = "coordinator commands refused: no good signature by a registered coordinator key";
        } else {
            auto first = store_.remember_command_mail(signer_fingerprint, core::sha256_hex(summary.text_body), row_id,
                                                      now);
            if (!first) return first.error();
            if (!*first) {
                for (const auto& line : workflow::parse_commands(summary.text_body).commands)
                    transcript.lines.push_back({line.line, std::string(workflow::to_string(line.command.verb)), false,
                                                "this signed text was obeyed before; a replayed order is refused"});
                verdict = "replayed coordinator commands refused";
            } else {
                auto t = engine_.run_commands(*the_case, summary.text_body, true, cause, now);
                if (!t) return t.error();
                transcript = std::move(*t);
                verdict = "coordinator commands by " + authorised_by;
            }
        }
        int done = 0;
        for (const auto& l : transcript.lines) done += l.done ? 1 : 0;
        verdict += " (" + std::to_string(done) + " done, " + std::to_string(transcript.lines.size() - done) +
                   " refused)";
        render::Variables vars{{"transcript", transcript.text()}};
        if (the_case) {
            domain::Participant coordinator;
            coordinator.role = domain::Role::coordinator;
            coordinator.address = answer_to;
            auto case_vars = engine_.case_variables(*the_case, coordinator, nullptr, now);
            if (!case_vars) return case_vars.error();
            case_vars->insert_or_assign("transcript", transcript.text());
            vars = std::move(*case_vars);
        } else {
            vars.insert({"case_id", "-"});
            vars.insert({"case_tag", ""});
        }
        auto reply = build_direct_reply("coordinator_transcript", mail::Address{"", answer_to}, summary.language,
                                        domain::Role::coordinator, ReplyContext{&parsed, row_id, summary.subject}, vars,
                                        config_, templates_, now, outgoing_crypto());
        if (!reply) return reply.error();
        if (the_case) reply->case_row_id = the_case->row_id;
        // An unsigned order is answered at a From anyone can write: bounded like any reply.
        // A registered coordinator's own orders are not limited.
        bool admitted = true;
        if (authorised_by.empty()) {
            auto admit =
                admit_reply(store_, rules_.limits, "coordinator_transcript", answer_to,
                            the_case ? std::optional(the_case->row_id) : std::nullopt, row_id, now);
            if (!admit) return admit.error();
            admitted = *admit;
        }
        if (admitted)
            if (auto q = store_.queue_outbound(*reply, now); !q) return q.error();
        const auto case_row = the_case ? std::optional(the_case->row_id) : std::nullopt;
        if (auto s = store_.audit({0, case_row, now, cause.actor, "command_mail", verdict, row_id}); !s) return s;
        return store_.record_processed(row_id, MessageStatus::processed, verdict, case_row, summary, now);
    });
    if (!status) return status;
    spdlog::info("message {} from {}: {}", row_id, summary.sender, verdict);
    return {};
}

core::Result<std::optional<domain::Participant>> Intake::participant_by_signing_key(std::int64_t case_row_id,
                                                                                  const std::string& fingerprint) {
    auto people = store_.participants(case_row_id);
    if (!people) return people.error();
    for (const auto& p : *people) {
        auto addresses = p.other_addresses;
        addresses.push_back(p.address);
        for (const auto& address : addresses) {
            auto bindings = store_.key_bindings_for(address);
            if (!bindings) return bindings.error();
            for (const auto& b : *bindings)
                if (b.fingerprint == fingerprint) return std::optional<domain::Participant>(p);
        }
    }
    return std::optional<domain::Participant>{};
}

core::Result<bool> Intake::handle_contact_change(const mail::Message& parsed, std::int64_t row_id,
                                                 const store::MessageSummary& summary, core::Timestamp now) {
    auto request = handle_contact_change_mail(store_, parsed, row_id, now);
    if (!request) return request.error();
    if (!request->handled()) return false;

    const bool recorded = request->verdict == ContactChangeVerdict::recorded;
    std::string vendors, details, problems;
    for (const auto& name : request->vendor_names) vendors += (vendors.empty() ? "" : ", ") + name;
    for (const auto& c : request->request.add)
        details += "  + " + std::string(store::to_string(c.kind)) + ": " + c.address + "\n";
    for (const auto& address : request->request.remove) details += "  - " + address + "\n";
    for (const auto& p : request->problems) problems += "  - " + p + "\n";
    auto reply = build_direct_reply(recorded ? "contact_change_received" : "contact_change_unreadable",
                                    mail::Address{parsed.from->display_name, summary.sender},
                                    summary.language, domain::Role::vendor,
                                    ReplyContext{&parsed, row_id, summary.subject},
                                    {{"vendor_names", vendors}, {"change_details", details}, {"problems", problems}},
                                    config_, templates_, now, outgoing_crypto());
    if (!reply) return reply.error();
    auto status = store_.transaction([&]() -> Status {
        auto admitted = admit_reply(store_, rules_.limits, recorded ? "contact_change_received"
                                                                    : "contact_change_unreadable",
                                    summary.sender, std::nullopt, row_id, now);
        if (!admitted) return admitted.error();
        if (*admitted)
            if (auto q = store_.queue_outbound(*reply, now); !q) return q.error();
        return store_.record_processed(row_id, MessageStatus::processed,
                                       recorded ? "contact change request for " + vendors + " (pending approval)"
                                                : "unreadable contact change request for " + vendors,
                                       std::nullopt, summary, now);
    });
    if (!status) return status.error();
    spdlog::info("message {} from {}: contact change request for {} {}", row_id, summary.sender, vendors,
                 recorded ? "recorded, waiting for a coordinator" : "could not be read; asked to resend");
    return true;
}

}  // namespace cvd::app
