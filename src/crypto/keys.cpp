// Key management: listing, the bot's own keys (generation and rollover), import, export.

#include <algorithm>

#include "cvdbot/crypto/armor.hpp"
#include "cvdbot/crypto/keyring.hpp"
#include "gpgme_support.hpp"
#include "key_cache.hpp"

namespace cvd::crypto {

using core::ErrorKind;
using core::make_error;
using core::Result;

namespace {

// Key files larger than this are refused: real public keys are a few KiB (a photo id makes
// tens), and a flooded key with thousands of signatures slows every later gpg run.
constexpr std::size_t max_key_data = 2u << 20;

Result<std::vector<KeyInfo>> list_uncached(const Keyring& keyring) {
    auto ctx = ContextAccess::make(keyring, nullptr);
    if (!ctx) return ctx.error();
    gpgme_ctx_t c = ctx->get();
    // WITH_SECRET marks our own keys in the same listing.
    if (auto err =
            gpgme_set_keylist_mode(c, GPGME_KEYLIST_MODE_LOCAL | GPGME_KEYLIST_MODE_WITH_SECRET))
        return detail::engine_error("listing keys", err);
    if (auto err = gpgme_op_keylist_start(c, nullptr, 0))
        return detail::engine_error("listing keys", err);
    std::vector<KeyInfo> keys;
    while (true) {
        gpgme_key_t raw = nullptr;
        gpgme_error_t err = gpgme_op_keylist_next(c, &raw);
        if (gpgme_err_code(err) == GPG_ERR_EOF) break;
        if (err) {
            gpgme_op_keylist_end(c);
            return detail::engine_error("listing keys", err);
        }
        detail::Key key(raw);
        keys.push_back(detail::key_info(key.get()));
        keys.back().keyring_position = keys.size() - 1;
    }
    gpgme_op_keylist_end(c);
    std::sort(keys.begin(), keys.end(),
              [](const KeyInfo& a, const KeyInfo& b) { return a.fingerprint < b.fingerprint; });
    return keys;
}

Result<std::string> export_uncached(const Keyring& keyring, const std::string& fpr, bool armor,
                                    bool minimal) {
    auto ctx = ContextAccess::make(keyring, nullptr);
    if (!ctx) return ctx.error();
    gpgme_set_armor(ctx->get(), armor ? 1 : 0);
    auto out = detail::data_buffer();
    if (!out) return out.error();
    if (auto err = gpgme_op_export(ctx->get(), fpr.c_str(), minimal ? GPGME_EXPORT_MODE_MINIMAL : 0,
                                   out->get()))
        return detail::engine_error("exporting key " + fpr, err);
    std::string bytes = detail::take(out->get());
    if (bytes.empty()) return make_error(ErrorKind::not_found, "no key " + fpr + " in the keyring");
    return bytes;
}

}  // namespace

Result<std::vector<KeyInfo>> Keyring::list_keys() const {
    auto keys = cache_->keys([this] { return list_uncached(*this); });
    if (!keys) return keys.error();
    return **keys;
}

Result<std::optional<KeyInfo>> Keyring::lookup(std::string_view fingerprint_or_id) const {
    auto keys = cache_->keys([this] { return list_uncached(*this); });
    if (!keys) return keys.error();
    if (const KeyInfo* k = detail::find_in(**keys, fingerprint_or_id)) return std::optional(*k);
    return std::optional<KeyInfo>();
}

Result<std::vector<KeyInfo>> Keyring::bot_keys() const {
    auto all = list_keys();
    if (!all) return all.error();
    std::vector<KeyInfo> ours;
    for (auto& k : *all)
        if (k.has_secret) ours.push_back(std::move(k));
    sort_newest_first(ours);
    return ours;
}

Result<KeyInfo> Keyring::signing_key() const {
    auto ours = bot_keys();
    if (!ours) return ours.error();
    for (const auto& k : *ours)
        if (k.usable() && k.can_sign && k.can_encrypt) return k;
    return make_error(ErrorKind::not_found,
                      "the bot has no usable key pair in " + settings_.gnupg_home.string() +
                          (ours->empty() ? std::string(" (none at all)")
                                         : " (" + std::to_string(ours->size()) +
                                               " key(s), all expired, revoked or incomplete)") +
                          ": start the daemon once to create one");
}

Result<KeyInfo> Keyring::ensure_bot_key() {
    auto key = signing_key();
    if (key || key.error().kind != ErrorKind::not_found) return key;
    return generate_bot_key();
}

Result<KeyInfo> Keyring::generate_bot_key() {
    if (settings_.bot_user_id.empty() || settings_.bot_user_id.find('@') == std::string::npos)
        return make_error(
            ErrorKind::config,
            "cannot create the bot's key: no user id like \"cvdbot <bot@example.org>\"");
    detail::PassphraseHook hook;
    hook.generating = true;
    auto ctx = ContextAccess::make(*this, &hook);
    if (!ctx) return ctx.error();
    gpgme_ctx_t c = ctx->get();
    unsigned int flags = 0;
    if (passphrase_.empty()) flags |= GPGME_CREATE_NOPASSWD;
    unsigned long expires = 0;
    if (settings_.key_validity_days > 0)
        expires = static_cast<unsigned long>(settings_.key_validity_days) * 86400UL;
    else
        flags |= GPGME_CREATE_NOEXPIRE;
    // FORCE: a rollover creates a second key with the same user id.
    if (auto err =
            gpgme_op_createkey(c, settings_.bot_user_id.c_str(), "ed25519", 0, expires, nullptr,
                               flags | GPGME_CREATE_SIGN | GPGME_CREATE_CERT | GPGME_CREATE_FORCE))
        return detail::engine_error(
            "creating the bot's key pair in " + settings_.gnupg_home.string(), err);
    gpgme_genkey_result_t generated = gpgme_op_genkey_result(c);
    if (generated == nullptr || generated->fpr == nullptr)
        return make_error(ErrorKind::internal, "gpg created a key but did not say which");
    const std::string fpr = generated->fpr;
    auto key = detail::get_key(c, fpr, true);
    if (!key) return key.error();
    if (auto err =
            gpgme_op_createsubkey(c, key->get(), "cv25519", 0, expires, flags | GPGME_CREATE_ENCR))
        return detail::engine_error("adding the encryption subkey to " + fpr, err);
    cache_->invalidate();
    auto info = lookup(fpr);
    if (!info) return info.error();
    if (!*info)
        return make_error(ErrorKind::internal, "the new key " + fpr + " is not in the keyring");
    return **info;
}

Result<ImportResult> Keyring::import_keys(std::string_view key_data) {
    if (key_data.size() > max_key_data)
        return make_error(ErrorKind::invalid_input, "the key data is " +
                                                        std::to_string(key_data.size() >> 10) +
                                                        " KiB; public keys that large are refused");
    if (contains_secret_key(key_data))
        return make_error(ErrorKind::invalid_input,
                          "the key data contains a secret (private) key, which must never be "
                          "sent to anyone: send only the public key (gpg --export --armor)");
    auto ctx = ContextAccess::make(*this, nullptr);
    if (!ctx) return ctx.error();
    auto data = detail::data_over(key_data);
    if (!data) return data.error();
    gpgme_error_t import_err = gpgme_op_import(ctx->get(), data->get());
    cache_->invalidate();
    if (import_err) return detail::engine_error("importing keys", import_err);
    gpgme_import_result_t result = gpgme_op_import_result(ctx->get());
    ImportResult out;
    std::vector<std::pair<std::string, bool>> imported;  // fingerprint, new
    if (result != nullptr) {
        for (gpgme_import_status_t st = result->imports; st; st = st->next) {
            const std::string fpr = st->fpr ? normalize_fingerprint(st->fpr) : std::string();
            if (st->result != 0) {
                out.problems.push_back("key " + (fpr.empty() ? std::string("?") : fpr) +
                                       " was not imported: " + gpgme_strerror(st->result));
                continue;
            }
            if (st->status & GPGME_IMPORT_SECRET) continue;
            auto seen = std::find_if(imported.begin(), imported.end(),
                                     [&](const auto& p) { return p.first == fpr; });
            const bool is_new = (st->status & GPGME_IMPORT_NEW) != 0;
            if (seen == imported.end())
                imported.emplace_back(fpr, is_new);
            else
                seen->second = seen->second || is_new;
        }
        if (result->no_user_id > 0)
            out.problems.push_back(std::to_string(result->no_user_id) +
                                   " key(s) without a user id were skipped");
        if (result->considered == 0)
            out.problems.push_back("no OpenPGP public key was found in the data");
    }
    for (const auto& [fpr, is_new] : imported) {
        auto info = lookup(fpr);
        if (!info) return info.error();
        ImportedKey k;
        k.fingerprint = fpr;
        k.is_new = is_new;
        if (*info) k.addresses = (*info)->addresses;
        out.keys.push_back(std::move(k));
    }
    return out;
}

Result<std::string> Keyring::export_public_key(std::string_view fingerprint, bool armor,
                                               bool minimal) const {
    const std::string fpr = normalize_fingerprint(fingerprint);
    if (fpr.size() < 16)
        return make_error(ErrorKind::invalid_input,
                          detail::quoted(fingerprint) + " is not a key fingerprint");
    // Outgoing mail attaches the bot's key to every message: the export is kept until the
    // keyring files change.
    const std::string name = fpr + (armor ? " armor" : " binary") + (minimal ? " minimal" : "");
    auto bytes =
        cache_->exported(name, [&] { return export_uncached(*this, fpr, armor, minimal); });
    if (!bytes) return bytes.error();
    return **bytes;
}

}  // namespace cvd::crypto
