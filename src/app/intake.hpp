#pragma once
// Processing one stored inbound message: parse, thread, decide (workflow::step), and
// commit the new state, audit entries and outgoing mail in one transaction.

#include <cstdint>
#include <string>

#include "config.hpp"
#include "cvdbot/core/result.hpp"
#include "cvdbot/core/time.hpp"
#include "cvdbot/mail/message.hpp"
#include "cvdbot/render/template_set.hpp"
#include "cvdbot/rules/rule_set.hpp"
#include "cvdbot/store/store.hpp"
#include "case_engine.hpp"
#include "outgoing.hpp"
#include "pgp_open.hpp"
#include "store_key_bindings.hpp"

namespace cvd::app {

// "ja" when the text contains kana or kanji, else "en".
std::string detect_language(std::string_view text);

class Intake {
public:
    // `keyring` may be null: then mail is neither opened nor signed (tests of the plain path).
    Intake(store::Store& store, const render::TemplateSet& templates, const rules::RuleSet& rules,
           const Config& config, const core::Clock& clock, crypto::Keyring* keyring = nullptr)
        : store_(store),
          templates_(templates),
          rules_(rules),
          config_(config),
          clock_(clock),
          keyring_(keyring),
          bindings_(store),
          engine_(store, templates, rules, config, OutgoingCrypto{keyring, &bindings_, false}) {}

    // Bad input is not an error: it is recorded on the message (status failed/ignored) and
    // logged. An error return means the store could not record anything (retry later).
    core::Status process(std::int64_t message_row_id);
    // The same with the message's raw bytes exactly as stored, handed over by a caller that
    // has them (the daemon, right after fetching): no second copy read back from the store.
    core::Status process(std::int64_t message_row_id, std::string raw);

  private:
    // A registered vendor contact asking to change its contact point: recorded as pending
    // and acknowledged; true when the message was such a request.
    core::Result<bool> handle_contact_change(const mail::Message& parsed, std::int64_t row_id,
                                             const store::MessageSummary& summary, core::Timestamp now);

    // The participant of the case whose address has `fingerprint` bound (learned or registered).
    core::Result<std::optional<domain::Participant>> participant_by_signing_key(std::int64_t case_row_id,
                                                                                const std::string& fingerprint);

    // The configured coordinator whose registered key made the good signature on the mail,
    // or empty: only such a signature lets mail command the bot.
    core::Result<std::string> coordinator_signer(const std::optional<CryptoReport>& report);

    // A coordinator's mail with command lines: obeyed only when signed by a registered
    // coordinator key and not seen before; answered with a transcript either way.
    core::Status handle_command_mail(const mail::Message& parsed, std::int64_t row_id, store::MessageSummary summary,
                                     const std::optional<domain::Case>& the_case, const std::string& authorised_by,
                                     const std::string& signer_fingerprint, core::Timestamp now);

    store::Store& store_;
    const render::TemplateSet& templates_;
    const rules::RuleSet& rules_;
    const Config& config_;
    const core::Clock& clock_;
    crypto::Keyring* keyring_;
    StoreKeyBindings bindings_;
    CaseEngine engine_;

    OutgoingCrypto outgoing_crypto(bool attach_bot_key = false) {
        return OutgoingCrypto{keyring_, &bindings_, attach_bot_key};
    }
};

}  // namespace cvd::app
