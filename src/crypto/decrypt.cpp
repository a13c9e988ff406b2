// Opening what arrives: decryption (with any signature inside) and signature checks.
// The hard part is the split between "the message is wrong" (a reply to the sender) and "we
// are wrong" (an Error: retry, fix the configuration); see keyring.hpp.

#include <algorithm>

#include "cvdbot/crypto/armor.hpp"
#include "cvdbot/crypto/keyring.hpp"
#include "direct_decrypt.hpp"
#include "gpgme_support.hpp"

namespace cvd::crypto {

using core::ErrorKind;
using core::make_error;
using core::Result;

namespace {

// Failures caused by the data itself. Anything else (agent gone, out of memory, gpg crashed)
// is ours and must not be blamed on the sender.
bool is_data_error(gpgme_error_t err) {
    switch (gpgme_err_code(err)) {
        case GPG_ERR_NO_DATA:
        case GPG_ERR_BAD_DATA:
        case GPG_ERR_INV_DATA:
        case GPG_ERR_INV_PACKET:
        case GPG_ERR_UNKNOWN_PACKET:
        case GPG_ERR_DECRYPT_FAILED:
        case GPG_ERR_BAD_MPI:
        case GPG_ERR_CHECKSUM:
        case GPG_ERR_TRUNCATED:
        case GPG_ERR_INV_LENGTH:
        case GPG_ERR_INV_VALUE:
        case GPG_ERR_UNEXPECTED:
        case GPG_ERR_BAD_KEY:
        case GPG_ERR_WRONG_SECKEY:
        case GPG_ERR_CORRUPTED_PROTECTION:
        case GPG_ERR_INV_ARMOR:
        case GPG_ERR_BAD_SIGNATURE:
            return true;
        default:
            return false;
    }
}

bool is_algorithm_error(gpgme_error_t err) {
    switch (gpgme_err_code(err)) {
        case GPG_ERR_UNSUPPORTED_ALGORITHM:
        case GPG_ERR_CIPHER_ALGO:
        case GPG_ERR_DIGEST_ALGO:
        case GPG_ERR_PUBKEY_ALGO:
        case GPG_ERR_WRONG_PUBKEY_ALGO:
        case GPG_ERR_NOT_IMPLEMENTED:
        case GPG_ERR_UNKNOWN_VERSION:
            return true;
        default:
            return false;
    }
}

bool is_passphrase_error(gpgme_error_t err) {
    switch (gpgme_err_code(err)) {
        case GPG_ERR_BAD_PASSPHRASE:
        case GPG_ERR_NO_PASSPHRASE:
        case GPG_ERR_CANCELED:
        case GPG_ERR_FULLY_CANCELED:
            return true;
        default:
            return false;
    }
}

std::string key_ids_text(const std::vector<std::string>& ids) {
    std::string out;
    for (std::size_t i = 0; i < ids.size(); ++i) {
        if (i > 0) out += i + 1 == ids.size() ? " and " : ", ";
        out += "0x" + ids[i];
    }
    return out;
}

// "which is not one of ours (ours: 0x...)": tells the sender what to use instead.
std::string not_for_us_problem(const Keyring& keyring, const std::vector<std::string>& ids) {
    std::string who = ids.size() == 1 ? "key " + key_ids_text(ids) + ", which is"
                                      : "keys " + key_ids_text(ids) + ", which are";
    std::string problem = "the message was encrypted to " + who + " not one of ours";
    if (auto key = keyring.signing_key(); key)
        problem += ": please encrypt to our key " + key->fingerprint + " (attached)";
    return problem;
}

}  // namespace

Result<Decryption> Keyring::decrypt(std::string_view ciphertext) const {
    if (precomputed_)
        if (auto ahead = precomputed_->take(ciphertext)) return std::move(*ahead);
    Decryption d;
    if (classify(ciphertext) == PgpKind::none) {
        d.status = DecryptStatus::corrupt;
        d.problem =
            "the encrypted part holds no OpenPGP data (it may have been damaged or "
            "altered in transit)";
        return d;
    }
    detail::PassphraseHook hook;
    auto ctx = ContextAccess::make(*this, &hook);
    if (!ctx) return ctx.error();
    gpgme_ctx_t c = ctx->get();
    // Opened in process when it is the plain good case (no gpg run once the keys are cached);
    // everything else, damage and doubtful signatures included, is gpg's verdict.
    auto direct = detail::decrypt_direct(*this, c, ciphertext);
    if (direct) return direct;
    if (settings_.on_fallback) settings_.on_fallback(direct.error().message);
    auto in = detail::data_over(ciphertext);
    if (!in) return in.error();
    auto out = detail::data_buffer();
    if (!out) return out.error();
    const gpgme_error_t err = gpgme_op_decrypt_ext(c, GPGME_DECRYPT_VERIFY, in->get(), out->get());

    std::vector<std::string> opened_by;  // key ids whose secret key worked (status 0)
    bool unsupported_algorithm = false;
    bool no_mdc = false;
    if (gpgme_decrypt_result_t r = gpgme_op_decrypt_result(c)) {
        for (gpgme_recipient_t rc = r->recipients; rc; rc = rc->next) {
            if (rc->keyid == nullptr) continue;
            const std::string id = normalize_fingerprint(rc->keyid);
            d.recipient_key_ids.push_back(id);
            if (rc->status == 0) opened_by.push_back(id);
        }
        if (r->file_name) d.file_name = r->file_name;
        d.mime = r->is_mime;
        unsupported_algorithm = r->unsupported_algorithm != nullptr;
        no_mdc = r->legacy_cipher_nomdc;
    }
    // Hidden recipients ("throw keyids") are listed as key id 0: gpg tried all our keys.
    const bool all_hidden =
        !d.recipient_key_ids.empty() &&
        std::all_of(d.recipient_key_ids.begin(), d.recipient_key_ids.end(),
                    [](const std::string& id) { return id == "0000000000000000"; });

    // A bad signature inside a good encryption is reported by the verify result; should
    // GPGME also fail the operation for it, the decryption still stands.
    const bool decrypted =
        err == 0 || (gpgme_err_code(err) == GPG_ERR_BAD_SIGNATURE && !opened_by.empty());
    if (decrypted) {
        d.plaintext = detail::take(out->get());
        d.signatures = detail::collect_signatures(*this, c);
        for (const auto& id : opened_by) {
            auto key = lookup(id);
            if (!key) return key.error();
            if (*key && (*key)->has_secret) {
                d.decrypted_with = (*key)->fingerprint;
                break;
            }
        }
        return d;
    }

    const auto code = gpgme_err_code(err);
    if (hook.symmetric) {
        d.status = DecryptStatus::password_only;
        d.problem =
            "the message was encrypted with a password, which we cannot know: please "
            "encrypt it to our public key (attached) instead";
        return d;
    }
    if (hook.asked && is_passphrase_error(err))
        return make_error(ErrorKind::config,
                          "the bot's secret key needs a passphrase and the one configured is "
                          "missing or wrong (crypto.passphrase_file)");
    // Does the message name one of our keys? Then a failure is damage, not a wrong key.
    std::string ours_named;
    for (const auto& id : d.recipient_key_ids) {
        auto key = lookup(id);
        if (!key) return key.error();
        if (*key && (*key)->has_secret) ours_named = (*key)->fingerprint;
    }
    if (code == GPG_ERR_NO_SECKEY && !ours_named.empty())
        return make_error(ErrorKind::internal,
                          "the message is encrypted to our key " + ours_named +
                              " but gpg cannot use its secret part: check the keyring in " +
                              settings_.gnupg_home.string());
    if (ours_named.empty() && !d.recipient_key_ids.empty() &&
        (code == GPG_ERR_NO_SECKEY || code == GPG_ERR_DECRYPT_FAILED)) {
        d.status = DecryptStatus::not_for_us;
        d.problem = all_hidden ? "the message was encrypted to hidden recipients and none of our "
                                 "keys can open it: please encrypt to our key (attached)"
                               : not_for_us_problem(*this, d.recipient_key_ids);
        return d;
    }
    if (no_mdc || unsupported_algorithm || is_algorithm_error(err)) {
        d.status = DecryptStatus::unsupported;
        d.problem = no_mdc ? "the message uses a legacy encryption without integrity protection, "
                             "which we refuse because it can be altered undetected: please use a "
                             "current OpenPGP program"
                           : "the message uses an encryption algorithm we do not support (" +
                                 detail::describe_gpgme_error(err) +
                                 "): please use a current OpenPGP program";
        return d;
    }
    if (is_data_error(err)) {
        d.status = DecryptStatus::corrupt;
        d.problem = "the encrypted data is damaged and cannot be decrypted (" +
                    detail::describe_gpgme_error(err) +
                    "): please send the message again, as an attachment if your mail program "
                    "changes the text";
        return d;
    }
    return detail::engine_error("decrypting a message", err);
}

namespace {

Result<Verification> run_verify(const Keyring& keyring, std::string_view signature,
                                std::string_view signed_data, bool detached) {
    Verification v;
    detail::PassphraseHook hook;
    auto ctx = ContextAccess::make(keyring, &hook);
    if (!ctx) return ctx.error();
    auto sig = detail::data_over(signature);
    if (!sig) return sig.error();
    detail::Data text;
    if (detached) {
        auto over = detail::data_over(signed_data);
        if (!over) return over.error();
        text = std::move(*over);
    }
    auto plain = detail::data_buffer();
    if (!plain) return plain.error();
    const gpgme_error_t err = gpgme_op_verify(
        ctx->get(), sig->get(), detached ? text.get() : nullptr, detached ? nullptr : plain->get());
    v.signatures = detail::collect_signatures(keyring, ctx->get());
    if (!detached) v.plaintext = detail::take(plain->get());
    if (err == 0) return v;
    if (is_data_error(err) || is_algorithm_error(err)) {
        // No signature could be read at all: report it like an unreadable signature.
        if (v.signatures.empty()) {
            Signature s;
            s.status = SignatureStatus::error;
            s.problem = "the signature could not be read (" + detail::describe_gpgme_error(err) +
                        "): it may have been damaged in transit";
            v.signatures.push_back(std::move(s));
        }
        return v;
    }
    return detail::engine_error("checking a signature", err);
}

}  // namespace

Result<Verification> Keyring::verify_detached(std::string_view signed_data,
                                              std::string_view signature) const {
    return run_verify(*this, signature, signed_data, true);
}

Result<Verification> Keyring::verify_inline(std::string_view signed_message) const {
    return run_verify(*this, signed_message, {}, false);
}

}  // namespace cvd::crypto
