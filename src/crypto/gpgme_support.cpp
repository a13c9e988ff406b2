#include "gpgme_support.hpp"

#include <algorithm>
#include <array>
#include <mutex>

#include "cvdbot/core/text.hpp"

namespace cvd::crypto::detail {
namespace {

// gpg asks through the agent's loopback inquiry; we answer only for our own key. A message
// password (symmetric encryption) is refused rather than answered with our passphrase.
gpgme_error_t passphrase_cb(void* hook_value, const char* uid_hint, const char* passphrase_info,
                            int prev_was_bad, int fd) {
    auto* hook = static_cast<PassphraseHook*>(hook_value);
    // For a public-key session key gpg names the key: "KEYID MAINKEYID ALGO LENGTH". For
    // a symmetric one there is no user id hint and the info starts with the cipher number.
    const bool for_key = uid_hint != nullptr && *uid_hint != '\0';
    (void)passphrase_info;
    if (!for_key && !hook->generating) {
        hook->symmetric = true;
        return gpg_error(GPG_ERR_CANCELED);
    }
    hook->asked = true;
    if (prev_was_bad || hook->passphrase == nullptr) return gpg_error(GPG_ERR_CANCELED);
    std::string line = *hook->passphrase + "\n";
    if (gpgme_io_writen(fd, line.data(), line.size()) != 0) return gpg_error(GPG_ERR_CANCELED);
    return 0;
}

gpgme_error_t init_once() {
    static std::once_flag once;
    static gpgme_error_t result = 0;
    std::call_once(once, [] {
        // Must run before any other GPGME call; it also initialises the library's threads.
        if (gpgme_check_version(nullptr) == nullptr) {
            result = gpg_error(GPG_ERR_NOT_INITIALIZED);
            return;
        }
        result = gpgme_engine_check_version(GPGME_PROTOCOL_OpenPGP);
    });
    return result;
}

}  // namespace

std::string describe_gpgme_error(gpgme_error_t err) {
    return std::string(gpgme_strsource(err)) + ": " + gpgme_strerror(err);
}

core::Error engine_error(std::string_view doing, gpgme_error_t err) {
    return core::make_error(core::ErrorKind::internal,
                            std::string(doing) + " failed (" + describe_gpgme_error(err) + ")");
}

core::Result<Data> data_over(std::string_view bytes) {
    gpgme_data_t raw = nullptr;
    if (auto err = gpgme_data_new_from_mem(&raw, bytes.data(), bytes.size(), 0))
        return engine_error("creating a GPGME data buffer", err);
    return Data(raw);
}

core::Result<Data> data_buffer() {
    gpgme_data_t raw = nullptr;
    if (auto err = gpgme_data_new(&raw)) return engine_error("creating a GPGME data buffer", err);
    return Data(raw);
}

std::string take(gpgme_data_t data) {
    std::string out;
    gpgme_data_seek(data, 0, SEEK_SET);
    std::array<char, 16384> chunk{};
    while (true) {
        ssize_t n = gpgme_data_read(data, chunk.data(), chunk.size());
        if (n <= 0) break;
        out.append(chunk.data(), static_cast<std::size_t>(n));
    }
    return out;
}

core::Result<Key> get_key(gpgme_ctx_t ctx, std::string_view fingerprint, bool secret) {
    const std::string fpr = normalize_fingerprint(fingerprint);
    if (fpr.size() != 16 && fpr.size() != 40 && fpr.size() != 64)
        return core::make_error(
            core::ErrorKind::invalid_input,
            quoted(fingerprint) + " is not a key fingerprint (40 hex digits) or key id");
    gpgme_key_t raw = nullptr;
    gpgme_error_t err = gpgme_get_key(ctx, fpr.c_str(), &raw, secret ? 1 : 0);
    if (gpgme_err_code(err) == GPG_ERR_EOF || (err == 0 && raw == nullptr))
        return core::make_error(
            core::ErrorKind::not_found,
            std::string(secret ? "no secret key " : "no key ") + fpr + " in the keyring");
    if (gpgme_err_code(err) == GPG_ERR_AMBIGUOUS_NAME)
        return core::make_error(core::ErrorKind::conflict,
                                "key id " + fpr + " matches several keys: use the fingerprint");
    if (err) return engine_error("looking up key " + fpr, err);
    return Key(raw);
}

std::string quoted(std::string_view text) {
    std::string out;
    out.reserve(text.size() + 2);
    out.push_back('"');
    out.append(text);
    out.push_back('"');
    return out;
}

std::string uid_address(const char* email) {
    if (email == nullptr) return {};
    std::string a = core::to_lower_ascii(core::trim(email));
    return a.find('@') == std::string::npos ? std::string() : a;
}

KeyInfo key_info(gpgme_key_t key) {
    KeyInfo info;
    if (key->fpr) info.fingerprint = normalize_fingerprint(key->fpr);
    info.revoked = key->revoked;
    info.expired = key->expired;
    info.disabled = key->disabled;
    info.invalid = key->invalid;
    info.has_secret = key->secret;
    for (gpgme_user_id_t uid = key->uids; uid; uid = uid->next) {
        if (uid->uid) info.user_ids.emplace_back(uid->uid);
        if (uid->revoked || uid->invalid) continue;
        std::string a = uid_address(uid->address ? uid->address : uid->email);
        if (!a.empty() &&
            std::find(info.addresses.begin(), info.addresses.end(), a) == info.addresses.end())
            info.addresses.push_back(a);
    }
    bool primary = true;
    // gpg's choice (getkey.c, finish_lookup): the newest usable subkey, the first of equals;
    // the primary key only when no subkey will do.
    long newest = -1;
    bool primary_encrypts = false;
    for (gpgme_subkey_t sub = key->subkeys; sub; sub = sub->next) {
        if (sub->fpr) info.subkey_fingerprints.push_back(normalize_fingerprint(sub->fpr));
        if (primary) {
            if (info.fingerprint.empty() && sub->fpr) info.fingerprint = sub->fpr;
            info.created = core::from_unix(sub->timestamp);
            if (sub->expires > 0) info.expires = core::from_unix(sub->expires);
            primary = false;
        }
        const bool sub_usable = !sub->revoked && !sub->expired && !sub->disabled && !sub->invalid;
        if (!sub_usable || !info.usable()) continue;
        info.can_encrypt = info.can_encrypt || sub->can_encrypt;
        info.can_sign = info.can_sign || sub->can_sign;
        if (sub == key->subkeys) info.primary_can_sign = sub->can_sign;
        if (!sub->can_encrypt || sub->fpr == nullptr) continue;
        if (sub == key->subkeys) {
            primary_encrypts = true;
        } else if (static_cast<long>(sub->timestamp) > newest) {
            newest = static_cast<long>(sub->timestamp);
            info.encryption_key = normalize_fingerprint(sub->fpr);
            info.encryption_key_expires.reset();
            if (sub->expires > 0) info.encryption_key_expires = core::from_unix(sub->expires);
        }
    }
    if (info.encryption_key.empty() && primary_encrypts && !info.subkey_fingerprints.empty()) {
        info.encryption_key = info.subkey_fingerprints.front();
        info.encryption_key_expires = info.expires;
    }
    return info;
}

namespace {

struct RawSignature {
    gpgme_error_t status = 0;
    std::string fpr;
    unsigned long timestamp = 0;
    unsigned long expires = 0;
};

std::string short_id(std::string_view fpr) {
    return "0x" + std::string(fpr.size() > 16 ? fpr.substr(fpr.size() - 16) : fpr);
}

Signature judge(const RawSignature& raw, const std::optional<KeyInfo>& signer) {
    Signature s;
    s.fingerprint = signer ? signer->fingerprint : normalize_fingerprint(raw.fpr);
    if (signer) s.signer_addresses = signer->addresses;
    if (raw.timestamp) s.created = core::from_unix(static_cast<std::int64_t>(raw.timestamp));
    const std::string who = "key " + short_id(s.fingerprint);
    switch (gpgme_err_code(raw.status)) {
        case GPG_ERR_NO_ERROR:
            s.status = SignatureStatus::good;
            break;
        case GPG_ERR_BAD_SIGNATURE:
            s.status = SignatureStatus::bad;
            s.problem = "the signature by " + who +
                        " does not match the message: the message was changed after it was "
                        "signed (some mail servers and clients do this), or the signature is "
                        "forged";
            break;
        case GPG_ERR_NO_PUBKEY:
            s.status = SignatureStatus::unknown_key;
            s.problem = "the message is signed by " + who +
                        ", which we do not have: please send your public key (attach it, or "
                        "let your mail program send an Autocrypt header)";
            break;
        case GPG_ERR_KEY_EXPIRED:
            s.status = SignatureStatus::expired;
            s.problem = "the message is signed by " + who +
                        ", which has expired: please extend its expiry date or create a new "
                        "key, and send us the updated public key";
            break;
        case GPG_ERR_SIG_EXPIRED:
            s.status = SignatureStatus::expired;
            s.problem = "the signature by " + who + " has expired";
            break;
        case GPG_ERR_CERT_REVOKED:
            s.status = SignatureStatus::revoked;
            s.problem = "the message is signed by " + who +
                        ", which has been revoked by its owner: signatures by it are no longer "
                        "accepted; please use your current key";
            break;
        default:
            s.status = SignatureStatus::error;
            s.problem = "the signature by " + who + " could not be checked (" +
                        describe_gpgme_error(raw.status) + ")";
            break;
    }
    return s;
}

}  // namespace

std::vector<Signature> collect_signatures(const Keyring& keyring, gpgme_ctx_t ctx) {
    std::vector<RawSignature> raws;
    if (gpgme_verify_result_t result = gpgme_op_verify_result(ctx)) {
        for (gpgme_signature_t sig = result->signatures; sig; sig = sig->next)
            raws.push_back(
                {sig->status, sig->fpr ? sig->fpr : "", sig->timestamp, sig->exp_timestamp});
    }
    std::vector<Signature> out;
    for (const auto& raw : raws) {
        std::optional<KeyInfo> signer;
        // The listing is cached; a key gpg did not know (NO_PUBKEY) is not looked up.
        if (!raw.fpr.empty() && gpgme_err_code(raw.status) != GPG_ERR_NO_PUBKEY)
            if (auto found = keyring.lookup(raw.fpr); found) signer = *found;
        out.push_back(judge(raw, signer));
    }
    return out;
}

}  // namespace cvd::crypto::detail

namespace cvd::crypto {

core::Result<detail::KeyCache::SharedKey> ContextAccess::secret_key(
    const Keyring& keyring, gpgme_ctx_t ctx, const std::string& fingerprint) {
    using SharedKey = detail::KeyCache::SharedKey;
    return keyring.cache_->signer(fingerprint, [&]() -> core::Result<SharedKey> {
        auto found = detail::get_key(ctx, fingerprint, true);
        if (!found) return found.error();
        return SharedKey(std::move(*found));
    });
}

core::Result<detail::Lease> ContextAccess::make(const Keyring& keyring,
                                                detail::PassphraseHook* hook) {
    if (auto err = detail::init_once())
        return core::make_error(
            core::ErrorKind::config,
            "GnuPG (gpg 2.2 or later) is not usable: " + detail::describe_gpgme_error(err) +
                "; install the gnupg package");
    auto lease = keyring.pool_->acquire();
    if (!lease) return lease.error();
    gpgme_ctx_t raw = lease->get();
    gpgme_set_armor(raw, 1);
    gpgme_set_textmode(raw, 0);
    gpgme_signers_clear(raw);
    gpgme_set_keylist_mode(raw, GPGME_KEYLIST_MODE_LOCAL);
    if (hook != nullptr) {
        hook->passphrase = &keyring.passphrase_;
        gpgme_set_passphrase_cb(raw, detail::passphrase_cb, hook);
    } else {
        gpgme_set_passphrase_cb(raw, nullptr, nullptr);
    }
    return lease;
}

}  // namespace cvd::crypto
