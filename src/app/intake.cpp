#include "intake.hpp"

#include <spdlog/spdlog.h>

#include "cvdbot/core/text.hpp"
#include "cvdbot/domain/types.hpp"
#include "cvdbot/mail/address.hpp"
#include "cvdbot/mail/composer.hpp"
#include "cvdbot/mail/parser.hpp"
#include "cvdbot/workflow/step.hpp"
#include "threading.hpp"

namespace cvd::app {

using core::Status;
using domain::MessageStatus;

std::string detect_language(std::string_view text) {
    // Hiragana, katakana and CJK ideographs all start with lead byte E3..E9 in UTF-8.
    for (std::size_t i = 0; i + 2 < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c == 0xE3 || (c >= 0xE4 && c <= 0xE9)) return "ja";
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
    return s;
}

}  // namespace

Status Intake::process(std::int64_t row_id) {
    const auto now = clock_.now();
    auto raw = store_.raw_message(row_id);
    if (!raw) return raw.error();
    const mail::Message parsed = mail::parse_message(*raw);
    const store::MessageSummary summary = summarize(parsed);
    for (const auto& warning : parsed.warnings) spdlog::debug("message {}: {}", row_id, warning);

    const auto give_up = [&](MessageStatus status, const std::string& reason) -> Status {
        spdlog::warn("message {} ({} bytes, from '{}'): {}", row_id, raw->size(), summary.sender, reason);
        return store_.transaction([&]() -> Status {
            if (auto s = store_.record_processed(row_id, status, reason, std::nullopt, summary, now); !s) return s;
            return store_.audit({0, std::nullopt, now, "bot", std::string("message_") + std::string(domain::to_string(status)),
                                 "message " + std::to_string(row_id) + ": " + reason, row_id});
        });
    };

    if (raw->empty()) return give_up(MessageStatus::failed, "the message is empty");
    if (!parsed.from || !mail::is_plausible_addr_spec(parsed.from->address))
        return give_up(MessageStatus::failed, "the message has no usable sender address (From), so it cannot open a "
                                              "case or be answered; kept for review");
    if (summary.sender == domain::normalize_address(config_.bot.address) ||
        case_from_reply_address(config_.bot.address, config_.bot.case_prefix, summary.sender))
        return give_up(MessageStatus::ignored, "the message comes from the bot itself; ignored to avoid a loop");

    auto thread = find_thread(store_, parsed, config_.bot.address, config_.bot.case_prefix);
    if (!thread) return thread.error();
    const bool automatic = parsed.automatic != mail::AutomaticKind::none;

    std::optional<domain::Role> sender_role;
    if (thread->found) {
        auto people = store_.participants(thread->found->row_id);
        if (!people) return people.error();
        for (const auto& p : *people)
            if (p.address == summary.sender) sender_role = p.role;
    }

    workflow::Event event = thread->found
                                ? workflow::Event(workflow::CorrespondenceReceived{summary.sender, sender_role, automatic})
                                : workflow::Event(workflow::ReportReceived{
                                      summary.sender, parsed.from->display_name, automatic});
    auto outcome = workflow::step(thread->found ? std::optional(thread->found->state) : std::nullopt, event, rules_, now);
    if (!outcome) return give_up(MessageStatus::failed, "refused by the workflow: " + outcome.error().message);

    std::optional<domain::Case> the_case = thread->found;
    std::vector<std::string> queued;
    auto status = store_.transaction([&]() -> Status {
        for (const auto& command : outcome->commands) {
            if (const auto* open = std::get_if<workflow::OpenCase>(&command)) {
                auto created = store_.create_case(config_.bot.case_prefix, now, summary.subject);
                if (!created) return created.error();
                the_case = *created;
                domain::Participant discoverer{0, created->row_id, domain::Role::discoverer, open->discoverer_address,
                                               core::sanitize_utf8(open->discoverer_name), summary.language};
                if (auto p = store_.add_participant(discoverer, now); !p) return p.error();
            } else if (const auto* audit = std::get_if<workflow::RecordAudit>(&command)) {
                if (auto s = store_.audit({0, the_case ? std::optional(the_case->row_id) : std::nullopt, now, "bot",
                                           audit->action, audit->detail, row_id});
                    !s)
                    return s;
            } else if (const auto* send = std::get_if<workflow::SendTemplate>(&command)) {
                if (!the_case) return core::make_error(core::ErrorKind::internal, "a message to send needs a case");
                auto people = store_.participants(the_case->row_id);
                if (!people) return people.error();
                const domain::Participant* recipient = nullptr;
                for (const auto& p : *people)
                    if (p.role == send->recipient_role && !recipient) recipient = &p;
                if (!recipient)
                    return core::make_error(core::ErrorKind::internal, "the case has no " +
                                                                           std::string(domain::to_string(send->recipient_role)));
                const std::string reply_address = case_reply_address(config_.bot.address, the_case->id);
                render::Variables vars{
                    {"case_id", the_case->id.str()},
                    {"case_tag", "[" + the_case->id.str() + "]"},
                    {"recipient_name", recipient->display_name.empty() ? recipient->address : recipient->display_name},
                    {"recipient_address", recipient->address},
                    {"report_subject", summary.subject.empty() ? "(no subject)" : summary.subject},
                    {"report_date", core::format_iso8601(now)},
                    {"bot_name", config_.bot.name},
                    {"bot_address", config_.bot.address},
                    {"reply_address", reply_address},
                };
                auto rendered = templates_.render(send->template_name, vars);
                if (!rendered) return rendered.error();
                mail::OutgoingMessage out;
                out.from = mail::Address{config_.bot.name, config_.bot.address};
                out.to = {mail::Address{recipient->display_name, recipient->address}};
                out.subject = rendered->subject;
                out.message_id = mail::make_message_id(core::address_domain(config_.bot.address));
                if (!parsed.message_id.empty()) {
                    out.in_reply_to = {parsed.message_id};
                    out.references = parsed.references;
                    out.references.push_back(parsed.message_id);
                }
                out.date = now;
                out.text_body = rendered->body;
                out.auto_submitted = "auto-replied";
                out.extra_headers = {{"Reply-To", reply_address}};
                auto bytes = mail::compose_message(out);
                if (!bytes) return bytes.error();
                store::OutboundMail mail{the_case->row_id, out.message_id, config_.bot.address, {recipient->address},
                                         out.subject, out.text_body, *bytes, row_id};
                if (auto q = store_.queue_outbound(mail, now); !q) return q.error();
                queued.push_back(send->template_name + " to " + recipient->address);
            }
        }
        if (the_case && outcome->state && *outcome->state != the_case->state)
            if (auto s = store_.set_case_state(the_case->row_id, *outcome->state, now); !s) return s;
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
        return give_up(MessageStatus::failed, status.error().message);
    }
    spdlog::info("message {} from {}: {}{}{}", row_id, summary.sender,
                 the_case ? the_case->id.str() : std::string("no case"),
                 thread->found ? " (" + thread->how + ")" : std::string(the_case ? " (new case)" : ""),
                 queued.empty() ? std::string() : ", queued " + queued.front());
    return {};
}

}  // namespace cvd::app
