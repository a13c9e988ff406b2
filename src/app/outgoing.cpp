#include "outgoing.hpp"

#include "cvdbot/core/text.hpp"
#include "cvdbot/mail/composer.hpp"
#include "threading.hpp"

namespace cvd::app {

core::Result<store::OutboundMail> build_outgoing(const std::string& template_name, const domain::Case& the_case,
                                                 const domain::Participant& recipient, const ReplyContext& reply,
                                                 const Config& config, const render::TemplateSet& templates,
                                                 core::Timestamp now) {
    if (recipient.reply_token.empty())
        return core::make_error(core::ErrorKind::internal, "participant " + recipient.address + " has no reply token");
    // Each participant's thread has its own reply address, so a reply finds its thread even
    // when the client drops the subject tag and References.
    const std::string thread_address = reply_address(config.bot.address, recipient.reply_token);
    render::Variables vars{
        {"case_id", the_case.id.str()},
        {"case_tag", "[" + the_case.id.str() + "]"},
        {"recipient_name", recipient.display_name.empty() ? recipient.address : recipient.display_name},
        {"recipient_address", recipient.address},
        {"report_subject", reply.answering_subject.empty() ? "(no subject)" : reply.answering_subject},
        {"report_date", core::format_iso8601(now)},
        {"bot_name", config.bot.name},
        {"bot_address", config.bot.address},
        {"reply_address", thread_address},
    };
    auto rendered = templates.render(template_name, vars);
    if (!rendered) return rendered.error();

    mail::OutgoingMessage out;
    out.from = mail::Address{config.bot.name, config.bot.address};
    out.to = {mail::Address{recipient.display_name, recipient.address}};
    for (const auto& cc : recipient.other_addresses) out.cc.push_back(mail::Address{"", cc});
    out.subject = rendered->subject;
    out.message_id = mail::make_message_id(core::address_domain(config.bot.address));
    if (reply.answering && !reply.answering->message_id.empty()) {
        out.in_reply_to = {reply.answering->message_id};
        out.references = reply.answering->references;
        out.references.push_back(reply.answering->message_id);
    }
    out.date = now;
    out.text_body = rendered->body;
    out.auto_submitted = "auto-replied";
    out.extra_headers = {{"Reply-To", thread_address}};
    auto bytes = mail::compose_message(out);
    if (!bytes) return bytes.error();

    store::OutboundMail mail;
    mail.case_row_id = the_case.row_id;
    mail.message_id = out.message_id;
    mail.envelope_from = config.bot.address;
    mail.recipients = {recipient.address};
    mail.recipients.insert(mail.recipients.end(), recipient.other_addresses.begin(), recipient.other_addresses.end());
    mail.subject = out.subject;
    mail.text_body = out.text_body;
    mail.raw = std::move(*bytes);
    if (reply.answering_row_id) mail.in_reply_to_row_id = reply.answering_row_id;
    mail.participant_row_id = recipient.row_id;
    return mail;
}

}  // namespace cvd::app
