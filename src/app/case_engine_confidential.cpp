// The confidentiality policy: details templates never go out in plaintext. Without a key the
// recipient is asked for one and the message waits; it goes out once the key is there.

#include <spdlog/spdlog.h>

#include "case_engine.hpp"
#include "cvdbot/crypto/key_bindings.hpp"

namespace cvd::app {

using core::Result;
using core::Status;

Result<bool> CaseEngine::has_encryption_key(const domain::Participant& recipient) {
    if (!crypto_.keyring || !crypto_.bindings) return false;
    auto bindings = crypto_.bindings->bindings_for(recipient.address);
    if (!bindings) return bindings.error();
    if (bindings->empty()) return false;
    auto keys = crypto_.keyring->list_keys();
    if (!keys) return keys.error();
    return crypto::choose_encryption_key(*bindings, *keys).has_value();
}

Result<std::string> CaseEngine::send_or_hold(const domain::Case& the_case,
                                             const domain::Participant& recipient,
                                             const workflow::SendTemplate& send,
                                             const ReplyContext& reply, core::Timestamp now) {
    const auto& policy = rules_.confidentiality;
    if (policy.is_confidential(send.template_name) &&
        !policy.plaintext_allowed(domain::to_string(recipient.role))) {
        auto has_key = has_encryption_key(recipient);
        if (!has_key) return has_key.error();
        if (!*has_key) {
            // Never in plaintext: ask for a key (once) and keep the message until it comes.
            auto waiting = store_.held_messages(recipient.row_id);
            if (!waiting) return waiting.error();
            auto held = store_.hold_message(
                {0, the_case.row_id, recipient.row_id, send.template_name, send.variables, now});
            if (!held) return held.error();
            std::string effect =
                "held " + send.template_name + " for " + recipient.address + " until a key arrives";
            if (waiting->empty()) {
                if (auto s = queue_template(the_case, recipient,
                                            {"key_request", recipient.role, recipient.row_id, {}},
                                            reply, now, true);
                    !s)
                    return s.error();
                effect += "; asked them for their OpenPGP key";
            }
            if (auto s = store_.audit(
                    {0, the_case.row_id, now, "bot", "held_for_key", effect, std::nullopt});
                !s)
                return s.error();
            return effect;
        }
    }
    if (auto s = queue_template(the_case, recipient, send, reply, now, false); !s) return s.error();
    return "sent " + send.template_name + " to " + recipient.address;
}

Result<int> CaseEngine::release_held(core::Timestamp now) {
    auto waiting = store_.held_messages();
    if (!waiting) return waiting.error();
    int released = 0;
    for (const auto& held : *waiting) {
        auto status = store_.transaction([&]() -> Status {
            auto recipient = store_.participant(held.participant_row_id);
            if (!recipient) return recipient.error();
            auto the_case = store_.case_by_row(held.case_row_id);
            if (!the_case) return the_case.error();
            if (!*recipient || !*the_case)
                return core::make_error(core::ErrorKind::io,
                                        "held message " + std::to_string(held.row_id) +
                                            " names a missing case or participant");
            auto has_key = has_encryption_key(**recipient);
            if (!has_key) return has_key.error();
            if (!*has_key) return {};
            const workflow::SendTemplate send{held.template_name, (*recipient)->role,
                                              (*recipient)->row_id, held.variables};
            if (auto s = queue_template(**the_case, **recipient, send, ReplyContext{}, now, false);
                !s)
                return s;
            if (auto s = store_.release_held(held.row_id, now); !s) return s;
            ++released;
            spdlog::info("{}: released the held {} to {}, now encrypted to their key",
                         (*the_case)->id.str(), held.template_name, (*recipient)->address);
            return store_.audit(
                {0, held.case_row_id, now, "bot", "held_released",
                 held.template_name + " to " + (*recipient)->address + ", encrypted",
                 std::nullopt});
        });
        if (!status) return status.error();
    }
    return released;
}

}  // namespace cvd::app
