#include "direct_decrypt.hpp"

#include <ctime>

#include "agent_signer.hpp"
#include "cvdbot/core/hash.hpp"
#include "cvdbot/crypto/armor.hpp"
#include "gpgme_support.hpp"
#include "key_packets.hpp"
#include "message_packets.hpp"
#include "message_reader.hpp"

namespace cvd::crypto::detail {
namespace {

std::string upper_hex(std::string_view bytes) {
    return normalize_fingerprint(core::to_hex(bytes));
}

// The public key packets of `fingerprint` (a primary key), from the cached export.
core::Result<PublicKeyBlock> key_block(const Keyring& keyring, const std::string& fingerprint) {
    auto exported = keyring.export_public_key(fingerprint, false, true);
    if (!exported) return exported.error();
    auto block = parse_public_key_block(*exported);
    if (!block) return refuse(block.error().message);
    if (block->primary.fingerprint != core::from_hex(fingerprint).value_or(""))
        return refuse("the export of " + fingerprint + " is another key");
    return block;
}

struct Recipient {
    const EncryptedSessionKey* session_key = nullptr;
    KeyInfo key;             // our key
    std::string subkey_fpr;  // upper-case hex
};

core::Result<Recipient> our_recipient(const Keyring& keyring, const EncryptedMessage& message) {
    auto ours = keyring.bot_keys();
    if (!ours) return ours.error();
    for (const auto& k : message.session_keys) {
        if (k.algo != pk_ecdh) continue;
        const std::string id = upper_hex(k.key_id);
        for (const auto& key : *ours)
            for (const auto& sub : key.subkey_fingerprints)
                if (sub.size() == 40 && sub.compare(24, 16, id) == 0)
                    return Recipient{&k, key, sub};
    }
    return refuse("not encrypted to an ECDH subkey of ours");
}

core::Result<std::string> keygrip_of(gpgme_key_t key, const std::string& subkey_fpr) {
    for (gpgme_subkey_t sub = key != nullptr ? key->subkeys : nullptr; sub; sub = sub->next)
        if (sub->fpr != nullptr && normalize_fingerprint(sub->fpr) == subkey_fpr &&
            sub->keygrip != nullptr)
            return std::string(sub->keygrip);
    return refuse("no key grip for our subkey " + subkey_fpr);
}

// A good signature by the primary key of a usable key we hold; anything else is gpg's call.
core::Result<Signature> good_signature(const Keyring& keyring, const SignatureInfo& sig,
                                       std::string_view data) {
    const std::string issuer =
        upper_hex(sig.issuer_fingerprint.empty() ? sig.issuer_key_id : sig.issuer_fingerprint);
    auto found = keyring.lookup(issuer);
    if (!found) return found.error();
    if (!*found) return refuse("signed by key " + issuer + ", which we do not have");
    const KeyInfo& signer = **found;
    if (!signer.usable() || !signer.primary_can_sign)
        return refuse("signed by key " + signer.fingerprint + ", which cannot sign now");
    const std::int64_t now = std::time(nullptr);
    if (signer.expires && core::to_unix(*signer.expires) <= now)
        return refuse("signed by key " + signer.fingerprint + ", which has just expired");
    auto block = key_block(keyring, signer.fingerprint);
    if (!block) return block.error();
    // A signing subkey's own validity (binding, back-signature, expiry) is gpg's to judge.
    if (block->primary.key_id() != sig.issuer_key_id ||
        (!sig.issuer_fingerprint.empty() && sig.issuer_fingerprint != block->primary.fingerprint))
        return refuse("signed by a subkey of " + signer.fingerprint);
    if (sig.created < block->primary.created)
        return refuse("a signature older than its key (gpg reports the time conflict)");
    auto verifies = signature_verifies(sig, data, block->primary);
    if (!verifies) return verifies.error();
    if (!*verifies) return refuse("the signature does not verify");
    Signature s;
    s.status = SignatureStatus::good;
    s.fingerprint = signer.fingerprint;
    s.signer_addresses = signer.addresses;
    s.created = core::from_unix(sig.created);
    return s;
}

}  // namespace

core::Result<Decryption> decrypt_direct(const Keyring& keyring, gpgme_ctx_t ctx,
                                        std::string_view ciphertext) {
    if (ciphertext.size() > max_direct_ciphertext)
        return refuse("a message over " + std::to_string(max_direct_ciphertext >> 20) +
                      " MiB (gpg streams it)");
    auto binary = binary_message(ciphertext);
    if (!binary) return refuse("malformed armor");
    auto message = read_encrypted_message(*binary);
    binary.reset();
    if (!message) return message.error();
    auto recipient = our_recipient(keyring, *message);
    if (!recipient) return recipient.error();
    auto ours = key_block(keyring, recipient->key.fingerprint);
    if (!ours) return ours.error();
    const KeyMaterial* subkey = ours->find(core::from_hex(recipient->subkey_fpr).value_or(""));
    if (subkey == nullptr)
        return refuse("our subkey " + recipient->subkey_fpr + " is not exported");
    auto handle = ContextAccess::secret_key(keyring, ctx, recipient->key.fingerprint);
    if (!handle) return handle.error();
    auto keygrip = keygrip_of(handle->get(), recipient->subkey_fpr);
    if (!keygrip) return keygrip.error();

    const EncryptedSessionKey& esk = *recipient->session_key;
    auto shared = ContextAccess::agent(keyring).ecdh_shared_point(
        *keygrip, esk.ephemeral, esk.wrapped, ContextAccess::passphrase(keyring));
    if (!shared) return shared.error();
    auto session = ecdh_session_key(*subkey, *shared, esk.wrapped);
    wipe(*shared);
    if (!session) return session.error();
    auto inner = open_protected_data(*session, message->encrypted);
    wipe(session->key);
    if (!inner) return inner.error();
    message->encrypted.clear();
    auto content = read_literal_content(*inner, max_direct_plaintext);
    if (!content) return content.error();
    inner->clear();

    Decryption d;
    for (const auto& k : message->session_keys) d.recipient_key_ids.push_back(upper_hex(k.key_id));
    d.decrypted_with = recipient->key.fingerprint;
    d.file_name = std::move(content->file_name);
    d.mime = content->format == 'm';
    if (content->signature) {
        auto s = good_signature(keyring, *content->signature, content->data);
        if (!s) return s.error();
        d.signatures.push_back(std::move(*s));
    }
    d.plaintext = std::move(content->data);
    return d;
}

}  // namespace cvd::crypto::detail
