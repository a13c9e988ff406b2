#include "direct_encrypt.hpp"

#include <gcrypt.h>

#include <algorithm>
#include <ctime>

#include "agent_signer.hpp"
#include "cvdbot/core/hash.hpp"
#include "cvdbot/crypto/armor.hpp"
#include "key_packets.hpp"
#include "message_packets.hpp"

namespace cvd::crypto::detail {
namespace {

using core::ErrorKind;
using core::make_error;

core::Error unusable(const std::string& why) {
    return make_error(ErrorKind::crypto, "not encrypting in process: " + why);
}

std::string random_bytes(std::size_t n) {
    std::string out(n, '\0');
    gcry_randomize(out.data(), n, GCRY_STRONG_RANDOM);
    return out;
}

struct Target {
    PublicKeyBlock block;
    const KeyMaterial* key = nullptr;
};

core::Result<Target> target_for(const Keyring& keyring, const KeyInfo& recipient) {
    if (recipient.encryption_key.size() != 40)
        return unusable("no v4 encryption key listed for " + recipient.fingerprint);
    // Expired since the listing: gpg words the error.
    if (recipient.encryption_key_expires &&
        core::to_unix(*recipient.encryption_key_expires) <= std::time(nullptr))
        return unusable("subkey " + recipient.encryption_key + " has just expired");
    if (recipient.expires && core::to_unix(*recipient.expires) <= std::time(nullptr))
        return unusable("key " + recipient.fingerprint + " has just expired");
    // Exported once and kept until the keyring changes (KeyCache). Minimal: the key packets
    // and self-signatures are all that is read, and the bot's own key is already exported so
    // for its attachment.
    auto exported = keyring.export_public_key(recipient.fingerprint, false, true);
    if (!exported) return exported.error();
    auto block = parse_public_key_block(*exported);
    if (!block) return unusable(block.error().message);
    if (block->primary.fingerprint != core::from_hex(recipient.fingerprint).value_or(""))
        return unusable("the export of " + recipient.fingerprint + " is another key");
    Target t{std::move(*block), nullptr};
    t.key = t.block.find(core::from_hex(recipient.encryption_key).value_or(""));
    if (t.key == nullptr)
        return unusable("subkey " + recipient.encryption_key + " is not in the export");
    const bool cv25519 = t.key->algo == pk_ecdh && t.key->curve_oid == cv25519_oid;
    if (!cv25519 && t.key->algo != pk_rsa)
        return unusable("subkey " + recipient.encryption_key + " is neither cv25519 ECDH nor RSA " +
                        "(algorithm " + std::to_string(t.key->algo) + ")");
    return t;
}

}  // namespace

std::uint8_t choose_cipher(const std::vector<std::vector<std::uint8_t>>& preferences) {
    auto all_list = [&](std::uint8_t cipher) {
        return std::all_of(preferences.begin(), preferences.end(), [&](const auto& p) {
            return std::find(p.begin(), p.end(), cipher) != p.end();
        });
    };
    if (preferences.empty()) return 0;
    if (all_list(cipher_aes256)) return cipher_aes256;
    if (all_list(cipher_aes128)) return cipher_aes128;
    return 0;
}

core::Result<std::string> encrypt_direct(const Keyring& keyring, std::string_view plaintext,
                                         const std::vector<KeyInfo>& recipients,
                                         const SignWith* sign) {
    init_gcrypt();
    std::vector<Target> targets;
    std::vector<std::vector<std::uint8_t>> prefs;
    for (const auto& r : recipients) {
        auto t = target_for(keyring, r);
        if (!t) return t.error();
        prefs.push_back(t->block.cipher_prefs);
        targets.push_back(std::move(*t));
    }
    const std::uint8_t cipher = choose_cipher(prefs);
    if (cipher == 0) return unusable("the recipients' keys do not all prefer AES");

    std::string inner;
    if (sign != nullptr) {
        auto sig = sign->agent->sign_packet(sign->key, plaintext, *sign->passphrase,
                                            static_cast<std::int64_t>(std::time(nullptr)));
        if (!sig) return sig.error();
        auto literal = literal_packet(plaintext);
        if (!literal) return unusable("the plaintext is too large");
        inner.reserve(literal->size() + sig->packet.size() + 16);
        inner += one_pass_signature_packet(sig->hash_algo, sig->pubkey_algo,
                                           std::string_view(sig->issuer_fingerprint).substr(12));
        inner += *literal;
        inner += sig->packet;
    } else {
        auto literal = literal_packet(plaintext);
        if (!literal) return unusable("the plaintext is too large");
        inner = std::move(*literal);
    }

    std::string session_key = random_bytes(cipher_key_size(cipher));
    std::string block = session_key_block(cipher, session_key);
    std::string message;
    bool encrypted = true;
    for (const auto& t : targets) {
        std::string ephemeral = t.key->algo == pk_rsa ? std::string() : random_bytes(32);
        auto pkesk =
            t.key->algo == pk_rsa ? rsa_pkesk(*t.key, block) : ecdh_pkesk(*t.key, block, ephemeral);
        wipe(ephemeral);
        if (!pkesk) {
            encrypted = false;
            break;
        }
        message += *pkesk;
    }
    wipe(block);
    std::optional<std::string> data;
    if (encrypted) {
        std::string prefix(16, '\0');
        gcry_create_nonce(prefix.data(), prefix.size());
        data = seipd_packet(cipher, session_key, prefix, inner);
    }
    wipe(session_key);
    if (!encrypted) return unusable("libgcrypt could not encrypt the session key");
    if (!data) return unusable("libgcrypt could not encrypt the message");
    message += *data;
    return armor(PgpKind::message, message);
}

}  // namespace cvd::crypto::detail
