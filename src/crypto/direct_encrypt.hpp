#pragma once
// Encryption without a gpg process (internal). gpgme_op_encrypt_sign starts gpg for every
// message (15-45 ms); here the message is built in process: the recipients' public keys come
// from the keyring's cached export, libgcrypt encrypts, and gpg-agent signs (AgentSigner).
//
// Only what is known to come out as gpg would write it is done here: cv25519 ECDH and RSA
// encryption subkeys, v4 keys, recipients that all prefer AES. Anything else is an error
// value naming the reason, and Keyring::encrypt leaves the message to gpg.

#include <gpgme.h>

#include <string>
#include <string_view>
#include <vector>

#include "cvdbot/core/result.hpp"
#include "cvdbot/crypto/keyring.hpp"
#include "cvdbot/crypto/types.hpp"

namespace cvd::crypto::detail {

class AgentSigner;

struct SignWith {
    AgentSigner* agent = nullptr;
    gpgme_key_t key = nullptr;  // the bot's secret key handle
    const std::string* passphrase = nullptr;
};

// The armored message to `recipients` (checked usable by the caller), signed first when `sign`
// is given.
core::Result<std::string> encrypt_direct(const Keyring& keyring, std::string_view plaintext,
                                         const std::vector<KeyInfo>& recipients,
                                         const SignWith* sign);

// The cipher for recipients with these preferences: AES-256 when all list it, else AES-128
// when all list it; 0 when they do not agree on AES (gpg then chooses).
std::uint8_t choose_cipher(const std::vector<std::vector<std::uint8_t>>& preferences);

}  // namespace cvd::crypto::detail
