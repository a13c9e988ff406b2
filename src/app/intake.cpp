#include "intake.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "cvdbot/core/text.hpp"
#include "cvdbot/domain/types.hpp"
#include "cvdbot/mail/address.hpp"
#include "cvdbot/mail/parser.hpp"
#include "cvdbot/mail/threading.hpp"
#include "cvdbot/workflow/step.hpp"
#include "outgoing.hpp"
#include "pgp_open.hpp"
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
    const auto now = clock_.now();
    auto raw = store_.raw_message(row_id);
    if (!raw) return raw.error();
    mail::Message parsed = mail::parse_message(*raw);
    std::optional<CryptoReport> crypto_report;
    if (keyring_) {
        auto opened = open_pgp(parsed, *raw, *keyring_);
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
        spdlog::warn("message {} ({} bytes, from '{}'): {}", row_id, raw->size(), summary.sender, reason);
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

    if (raw->empty()) return set_aside(MessageStatus::failed, "the message is empty");
    if (!parsed.from || !mail::is_plausible_addr_spec(parsed.from->address))
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
            if (auto q = store_.queue_outbound(*reply, now); !q) return q.error();
            return set_aside(MessageStatus::failed, "could not be decrypted: " + crypto_report->problem);
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

    std::optional<domain::Role> sender_role;
    if (sender) sender_role = sender->role;
    if (add_as_coordinator) sender_role = domain::Role::coordinator;
    workflow::Event event = thread->found
                                ? workflow::Event(workflow::CorrespondenceReceived{summary.sender, sender_role, automatic})
                                : workflow::Event(workflow::ReportReceived{
                                      summary.sender, parsed.from->display_name, automatic});
    auto outcome = workflow::step(thread->found ? std::optional(thread->found->state) : std::nullopt, event, rules_, now);
    if (!outcome) return set_aside(MessageStatus::failed, "refused by the workflow: " + outcome.error().message);

    std::optional<domain::Case> the_case = thread->found;
    std::vector<std::string> queued;
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
        for (const auto& command : outcome->commands) {
            if (const auto* open = std::get_if<workflow::OpenCase>(&command)) {
                auto created = store_.create_case(config_.bot.case_prefix, now, core::sanitize_utf8(summary.subject));
                if (!created) return created.error();
                the_case = *created;
                domain::Participant discoverer;
                discoverer.case_row_id = created->row_id;
                discoverer.role = domain::Role::discoverer;
                discoverer.address = open->discoverer_address;
                discoverer.display_name = core::sanitize_utf8(open->discoverer_name);
                discoverer.language = summary.language;
                auto added = store_.add_participant(discoverer, now);
                if (!added) return added.error();
                sender = *added;
            } else if (const auto* audit = std::get_if<workflow::RecordAudit>(&command)) {
                if (auto s = store_.audit({0, the_case ? std::optional(the_case->row_id) : std::nullopt, now, "bot",
                                           audit->action, audit->detail + attribution, row_id});
                    !s)
                    return s;
            } else if (const auto* send = std::get_if<workflow::SendTemplate>(&command)) {
                if (!the_case) return core::make_error(core::ErrorKind::internal, "a message to send needs a case");
                auto people = store_.participants(the_case->row_id);
                if (!people) return people.error();
                const auto recipient = std::find_if(people->begin(), people->end(),
                                                    [&](const auto& p) { return p.role == send->recipient_role; });
                if (recipient == people->end())
                    return core::make_error(core::ErrorKind::internal, "the case has no " + std::string(domain::to_string(
                                                                                                send->recipient_role)));
                auto mail = build_outgoing(send->template_name, *the_case, *recipient,
                                           ReplyContext{&parsed, row_id, summary.subject}, config_, templates_, now,
                                           outgoing_crypto());
                if (!mail) return mail.error();
                if (auto q = store_.queue_outbound(*mail, now); !q) return q.error();
                queued.push_back(send->template_name + " to " + recipient->address);
            }
        }
        if (the_case && outcome->state && *outcome->state != the_case->state)
            if (auto s = store_.set_case_state(the_case->row_id, *outcome->state, now); !s) return s;
        if (the_case && sender &&
            (sender->role == domain::Role::vendor || sender->role == domain::Role::site_operator)) {
            // Their ticket system's numbers let later mail find the thread without our tag.
            for (const auto& ticket : ticket_candidates(mail::strip_subject_prefixes(summary.subject),
                                                        config_.bot.case_prefix))
                if (auto s = store_.remember_ticket(the_case->row_id, sender->row_id, ticket); !s) return s;
        }
        summary.participant_row_id = sender ? std::optional(sender->row_id) : std::nullopt;
        const auto final_status = the_case ? MessageStatus::processed : MessageStatus::ignored;
        const std::string reason = the_case ? (thread->found ? "threaded by " + thread->how : "opened a new case")
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
                 queued.empty() ? std::string() : ", queued " + queued.front());
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
