#pragma once
// Turning "send template T to participant P" into the exact bytes queued in the outbox.

#include <string>

#include "config.hpp"
#include "cvdbot/crypto/key_bindings.hpp"
#include "cvdbot/crypto/keyring.hpp"
#include "cvdbot/core/result.hpp"
#include "cvdbot/domain/types.hpp"
#include "cvdbot/mail/message.hpp"
#include "cvdbot/render/template_set.hpp"
#include "cvdbot/store/records.hpp"

namespace cvd::app {

// When set, outgoing mail is signed by the bot, encrypted to the recipient's key when one
// is bound to the address, and may carry the bot's public key.
struct OutgoingCrypto {
    crypto::Keyring* keyring = nullptr;
    crypto::KeyBindings* bindings = nullptr;
    bool attach_bot_key = false;
};

struct ReplyContext {
    const mail::Message* answering = nullptr;  // the message being answered, if any
    std::int64_t answering_row_id = 0;
    std::string answering_subject;
};

// A templated reply to someone who is not (yet) a participant of a case, e.g. a vendor's
// contact-change request, in `language` ("ja" or "en") for a recipient in `role`. `extra`
// adds to the standard variables.
core::Result<store::OutboundMail> build_direct_reply(const std::string& template_name, const mail::Address& to,
                                                     const std::string& language, domain::Role role,
                                                     const ReplyContext& reply, const render::Variables& extra,
                                                     const Config& config, const render::TemplateSet& templates,
                                                     core::Timestamp now, const OutgoingCrypto& crypto = {});

// A message to a participant of the case, in `language` (see choose_language).
core::Result<store::OutboundMail> build_outgoing(const std::string& template_name, const domain::Case& the_case,
                                                 const domain::Participant& recipient, const std::string& language,
                                                 const ReplyContext& reply,
                                                 const Config& config, const render::TemplateSet& templates,
                                                 core::Timestamp now, const OutgoingCrypto& crypto = {},
                                                 const render::Variables& extra = {});

}  // namespace cvd::app
