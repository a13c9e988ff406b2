#include "outgoing.hpp"

#include "cvdbot/core/text.hpp"
#include "cvdbot/mail/composer.hpp"
#include "pgp_open.hpp"
#include "threading.hpp"

namespace cvd::app {

namespace {

struct Envelope {
    mail::Address to;
    std::vector<std::string> cc;
    std::string reply_to;
    std::optional<std::int64_t> case_row_id;
    std::optional<std::int64_t> participant_row_id;
};

core::Result<std::string> compose_bytes(const mail::OutgoingMessage& out, const std::string& case_tag,
                                        const OutgoingCrypto& crypto) {
    if (!crypto.keyring) return mail::compose_message(out);
    PgpComposeOptions options;
    options.autocrypt_address = out.from.address;
    if (crypto.bindings) {
        auto bindings = crypto.bindings->bindings_for(domain::normalize_address(out.to.front().address));
        if (!bindings) return bindings.error();
        auto keys = crypto.keyring->list_keys();
        if (!keys) return keys.error();
        if (auto key = crypto::choose_encryption_key(*bindings, *keys)) {
            options.encrypt_to = {key->fingerprint};
            // Protected headers: the real subject travels inside; outside only the case tag.
            options.outer_subject = case_tag.empty() ? "..." : case_tag;
        }
    }
    return compose_pgp(out, options, *crypto.keyring);
}

core::Result<store::OutboundMail> compose(const std::string& template_name, const std::string& language,
                                          domain::Role role, const render::Variables& vars, const Envelope& envelope,
                                          const ReplyContext& reply, const Config& config,
                                          const render::TemplateSet& templates, core::Timestamp now,
                                          const OutgoingCrypto& crypto) {
    auto rendered = templates.render(template_name, language, role, vars);
    if (!rendered) return rendered.error();

    mail::OutgoingMessage out;
    out.from = mail::Address{config.bot.name, config.bot.address};
    out.to = {envelope.to};
    for (const auto& cc : envelope.cc) out.cc.push_back(mail::Address{"", cc});
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
    out.extra_headers = {{"Reply-To", envelope.reply_to}};
    if (crypto.keyring && crypto.attach_bot_key) {
        auto key = bot_key_attachment(*crypto.keyring);
        if (!key) return key.error();
        out.attachments.push_back(std::move(*key));
    }
    const auto tag = vars.find("case_tag");
    auto bytes = compose_bytes(out, tag == vars.end() ? std::string() : tag->second, crypto);
    if (!bytes) return bytes.error();

    store::OutboundMail mail;
    mail.case_row_id = envelope.case_row_id;
    mail.message_id = out.message_id;
    mail.envelope_from = config.bot.address;
    mail.recipients = {envelope.to.address};
    mail.recipients.insert(mail.recipients.end(), envelope.cc.begin(), envelope.cc.end());
    mail.subject = out.subject;
    mail.text_body = out.text_body;
    mail.raw = std::move(*bytes);
    if (reply.answering_row_id) mail.in_reply_to_row_id = reply.answering_row_id;
    mail.participant_row_id = envelope.participant_row_id;
    return mail;
}

render::Variables standard_variables(const std::string& name, const std::string& address, const ReplyContext& reply,
                                     const std::string& reply_to, const Config& config, core::Timestamp now) {
    return render::Variables{
        {"recipient_name", name.empty() ? address : name},
        {"recipient_address", address},
        {"report_subject", reply.answering_subject.empty() ? "(no subject)" : reply.answering_subject},
        {"report_date", core::format_iso8601(now)},
        {"bot_name", config.bot.name},
        {"bot_address", config.bot.address},
        {"reply_address", reply_to},
    };
}

}  // namespace

core::Result<store::OutboundMail> build_direct_reply(const std::string& template_name, const mail::Address& to,
                                                     const std::string& language, domain::Role role,
                                                     const ReplyContext& reply, const render::Variables& extra,
                                                     const Config& config, const render::TemplateSet& templates,
                                                     core::Timestamp now, const OutgoingCrypto& crypto) {
    auto vars = standard_variables(to.display_name, to.address, reply, config.bot.address, config, now);
    for (const auto& [key, value] : extra) vars[key] = value;
    return compose(template_name, language, role, vars,
                   Envelope{to, {}, config.bot.address, std::nullopt, std::nullopt}, reply, config, templates, now,
                   crypto);
}

core::Result<store::OutboundMail> build_outgoing(const std::string& template_name, const domain::Case& the_case,
                                                 const domain::Participant& recipient, const std::string& language,
                                                 const ReplyContext& reply,
                                                 const Config& config, const render::TemplateSet& templates,
                                                 core::Timestamp now, const OutgoingCrypto& crypto,
                                                 const render::Variables& extra) {
    if (recipient.reply_token.empty())
        return core::make_error(core::ErrorKind::internal, "participant " + recipient.address + " has no reply token");
    // Each participant's thread has its own reply address, so a reply finds its thread even
    // when the client drops the subject tag and References.
    const std::string thread_address = reply_address(config.bot.address, recipient.reply_token);
    auto vars = extra;
    for (auto& [key, value] : standard_variables(recipient.display_name, recipient.address, reply, thread_address,
                                                 config, now))
        vars.insert_or_assign(key, std::move(value));
    vars["case_id"] = the_case.id.str();
    vars["case_tag"] = "[" + the_case.id.str() + "]";
    return compose(template_name, language, recipient.role, vars,
                   Envelope{mail::Address{recipient.display_name, recipient.address}, recipient.other_addresses,
                            thread_address, the_case.row_id, recipient.row_id},
                   reply, config, templates, now, crypto);
}

}  // namespace cvd::app
