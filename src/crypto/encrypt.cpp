// What leaves: encryption to recipients chosen by cvdbot (always-trust), signatures by the
// newest bot key.

#include <ctime>

#include "agent_signer.hpp"
#include "cvdbot/core/text.hpp"
#include "cvdbot/crypto/keyring.hpp"
#include "direct_encrypt.hpp"
#include "gpgme_support.hpp"

namespace cvd::crypto {

using core::ErrorKind;
using core::make_error;
using core::Result;

namespace {

std::string who(const KeyInfo& k) {
    return "key " + k.fingerprint +
           (k.addresses.empty() ? std::string() : " (" + k.addresses.front() + ")");
}

// Checks a recipient before gpg does, for a message that says what to do about it.
core::Status check_recipient(const std::vector<KeyInfo>& keys, const std::string& fpr) {
    const KeyInfo* k = detail::find_in(keys, fpr);
    if (k == nullptr || k->fingerprint != fpr)
        return make_error(ErrorKind::not_found,
                          "no key " + fpr + " in the keyring: import the recipient's key first");
    if (k->revoked)
        return make_error(ErrorKind::crypto,
                          who(*k) + " has been revoked: ask the recipient for their current key");
    if (k->expired)
        return make_error(ErrorKind::crypto,
                          who(*k) + " has expired: ask the recipient for an updated key");
    if (!k->usable() || !k->can_encrypt)
        return make_error(ErrorKind::crypto,
                          who(*k) +
                              " has no usable encryption subkey: ask the recipient for a "
                              "key that can encrypt");
    return {};
}

core::Status add_signer(const Keyring& keyring, gpgme_ctx_t ctx, const KeyInfo& signer) {
    auto key = ContextAccess::secret_key(keyring, ctx, signer.fingerprint);
    if (!key) return key.error();
    gpgme_signers_clear(ctx);
    if (auto err = gpgme_signers_add(ctx, key->get()))
        return detail::engine_error("selecting the bot's signing key", err);
    return {};
}

core::Error sign_error(const char* doing, gpgme_error_t err, const detail::PassphraseHook& hook) {
    const auto code = gpgme_err_code(err);
    if (hook.asked && (code == GPG_ERR_BAD_PASSPHRASE || code == GPG_ERR_NO_PASSPHRASE ||
                       code == GPG_ERR_CANCELED))
        return make_error(ErrorKind::config,
                          "the bot's secret key needs a passphrase and the one configured is "
                          "missing or wrong (crypto.passphrase_file)");
    return detail::engine_error(doing, err);
}

Result<std::string> encrypt_in_process(const Keyring& keyring, gpgme_ctx_t ctx,
                                       std::string_view plaintext,
                                       const std::vector<KeyInfo>& recipients,
                                       const KeyInfo* signer, const std::string& passphrase) {
    if (signer == nullptr) return detail::encrypt_direct(keyring, plaintext, recipients, nullptr);
    auto key = ContextAccess::secret_key(keyring, ctx, signer->fingerprint);
    if (!key) return key.error();
    detail::SignWith with{&ContextAccess::agent(keyring), key->get(), &passphrase};
    return detail::encrypt_direct(keyring, plaintext, recipients, &with);
}

}  // namespace

Result<std::string> Keyring::encrypt(std::string_view plaintext,
                                     const std::vector<std::string>& recipient_fingerprints,
                                     const EncryptOptions& options) const {
    if (recipient_fingerprints.empty())
        return make_error(ErrorKind::invalid_input, "encrypting needs at least one recipient");
    auto keys = list_keys();
    if (!keys) return keys.error();
    std::vector<std::string> recipients;
    std::vector<KeyInfo> recipient_keys;
    for (const auto& given : recipient_fingerprints) {
        std::string fpr = normalize_fingerprint(given);
        if (fpr.size() != 40 && fpr.size() != 64)
            return make_error(ErrorKind::invalid_input,
                              detail::quoted(given) + " is not a key fingerprint (40 hex digits)");
        if (auto s = check_recipient(*keys, fpr); !s) return s.error();
        recipient_keys.push_back(*detail::find_in(*keys, fpr));
        recipients.push_back(std::move(fpr));
    }
    std::optional<KeyInfo> bot;
    if (options.sign || options.encrypt_to_self) {
        auto key = signing_key();
        if (!key) return key.error();
        bot = std::move(*key);
        if (options.encrypt_to_self) {
            recipients.push_back(bot->fingerprint);
            recipient_keys.push_back(*bot);
        }
    }
    // Fingerprints as a recipient string: no key objects (and no gpg run per recipient).
    std::string recpstring;
    for (const auto& r : recipients) recpstring += r + "\n";

    detail::PassphraseHook hook;
    auto ctx = ContextAccess::make(*this, &hook);
    if (!ctx) return ctx.error();
    gpgme_ctx_t c = ctx->get();
    // Built in process when every key allows it (no gpg run once the keys are cached); what
    // that path cannot do is left to gpg, as for detached signatures.
    auto made = encrypt_in_process(*this, c, plaintext, recipient_keys,
                                   options.sign ? &*bot : nullptr, passphrase_);
    if (made) return made;
    if (settings_.on_fallback) settings_.on_fallback(made.error().message);
    if (options.sign)
        if (auto s = add_signer(*this, c, *bot); !s) return s.error();
    auto in = detail::data_over(plaintext);
    if (!in) return in.error();
    auto out = detail::data_buffer();
    if (!out) return out.error();
    // ALWAYS_TRUST: cvdbot chose these keys itself; NO_ENCRYPT_TO: ignore gpg.conf extras.
    const auto flags = static_cast<gpgme_encrypt_flags_t>(GPGME_ENCRYPT_ALWAYS_TRUST |
                                                          GPGME_ENCRYPT_NO_ENCRYPT_TO);
    const gpgme_error_t err =
        options.sign
            ? gpgme_op_encrypt_sign_ext(c, nullptr, recpstring.c_str(), flags, in->get(),
                                        out->get())
            : gpgme_op_encrypt_ext(c, nullptr, recpstring.c_str(), flags, in->get(), out->get());
    if (err) {
        if (gpgme_encrypt_result_t r = gpgme_op_encrypt_result(c); r && r->invalid_recipients) {
            const auto* bad = r->invalid_recipients;
            return make_error(ErrorKind::crypto, "gpg refused recipient key " +
                                                     std::string(bad->fpr ? bad->fpr : "?") + ": " +
                                                     gpgme_strerror(bad->reason));
        }
        return sign_error("encrypting a message", err, hook);
    }
    if (options.sign) {
        gpgme_sign_result_t r = gpgme_op_sign_result(c);
        if (r == nullptr || r->signatures == nullptr)
            return make_error(ErrorKind::internal, "gpg encrypted but did not sign the message");
    }
    return detail::take(out->get());
}

Result<DetachedSignature> Keyring::sign_detached(std::string_view data) const {
    auto bot = signing_key();
    if (!bot) return bot.error();
    detail::PassphraseHook hook;
    auto ctx = ContextAccess::make(*this, &hook);
    if (!ctx) return ctx.error();
    gpgme_ctx_t c = ctx->get();
    auto key = ContextAccess::secret_key(*this, c, bot->fingerprint);
    if (!key) return key.error();
    // gpg-agent signs without a gpg process per signature. What it cannot do is left to gpg,
    // which then also words the error.
    auto made = ContextAccess::agent(*this).sign(key->get(), data, passphrase_, std::time(nullptr));
    if (made) return made;
    if (settings_.on_fallback) settings_.on_fallback(made.error().message);
    if (auto s = add_signer(*this, c, *bot); !s) return s.error();
    auto in = detail::data_over(data);
    if (!in) return in.error();
    auto out = detail::data_buffer();
    if (!out) return out.error();
    if (auto err = gpgme_op_sign(c, in->get(), out->get(), GPGME_SIG_MODE_DETACH))
        return sign_error("signing a message", err, hook);
    gpgme_sign_result_t r = gpgme_op_sign_result(c);
    if (r == nullptr || r->signatures == nullptr)
        return make_error(ErrorKind::internal, "gpg did not sign the message");
    DetachedSignature sig;
    sig.armored = detail::take(out->get());
    const char* hash = gpgme_hash_algo_name(r->signatures->hash_algo);
    sig.micalg = "pgp-" + core::to_lower_ascii(hash ? hash : "sha256");
    return sig;
}

}  // namespace cvd::crypto
