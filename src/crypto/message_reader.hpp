#pragma once
// Opening an encrypted OpenPGP message in process (internal): the inverse of
// message_packets.hpp for what gpg 2.2 and the usual mail clients send: public-key encrypted
// session keys (v3), one integrity-protected data packet (SEIPD v1 with its MDC), inside it
// optionally one compressed packet (ZIP or ZLIB), then literal data, alone or between a
// one-pass signature and its binary-document signature (v4). The private-key step is not
// here: gpg-agent does it (AgentSigner::pkdecrypt), so these functions are pure and tested
// against gpg's own messages.
//
// Every function here answers a narrow question and says "no" (an error value naming why)
// for anything else: another structure, algorithm, or version, and any damage. The caller
// then leaves the message to gpg, which decides and words the verdict. This reader never
// declares a message corrupt or a signature bad by itself.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cvdbot/core/result.hpp"
#include "key_packets.hpp"

namespace cvd::crypto::detail {

// The error saying why a message is left to gpg ("not decrypting in process: <why>").
core::Error refuse(const std::string& why);

struct EncryptedSessionKey {
    std::string key_id;  // 8 bytes; all zero for a hidden recipient
    std::uint8_t algo = 0;
    std::string ephemeral;  // ECDH: the sender's ephemeral point (MPI bytes)
    std::string wrapped;    // ECDH: the wrapped session key block
};

struct EncryptedMessage {
    std::vector<EncryptedSessionKey> session_keys;
    std::string encrypted;  // the SEIPD v1 body after its version byte
};

// The packets of a binary message: one or more PKESK v3, then one SEIPD v1, nothing else.
core::Result<EncryptedMessage> read_encrypted_message(std::string_view binary);

struct SessionKey {
    std::uint8_t cipher = 0;  // AES-128/192/256
    std::string key;
};

// The session key from the shared point gpg-agent computed for an ECDH session key packet
// (`shared`: 0x40 ‖ the X25519 u-coordinate, or the 32 bytes alone) and the recipient
// subkey's public material: RFC 6637 KDF, AES key unwrap, padding and checksum.
core::Result<SessionKey> ecdh_session_key(const KeyMaterial& subkey, std::string_view shared,
                                          std::string_view wrapped);

// The packets inside a SEIPD v1 body: decrypted, the quick check and the MDC verified, the
// prefix and the MDC packet removed.
core::Result<std::string> open_protected_data(const SessionKey& key, std::string_view encrypted);

struct SignatureInfo {
    std::uint8_t pubkey_algo = 0;
    std::uint8_t hash_algo = 0;
    std::string hashed_part;          // version to the end of the hashed subpackets, as hashed
    std::string left16;               // the digest's first two bytes, as the packet states them
    std::vector<std::string> values;  // the MPIs' bytes: EdDSA r, s; RSA s
    std::string issuer_fingerprint;   // 20 bytes when the signature names it
    std::string issuer_key_id;        // 8 bytes (from the fingerprint when only that is given)
    std::uint32_t created = 0;
};

struct LiteralContent {
    char format = 'b';  // 'b', 't', 'u' or 'm' (MIME)
    std::string file_name;
    std::string data;
    std::optional<SignatureInfo> signature;
};

// Literal data, alone or one-pass signed, perhaps inside one compressed packet. More than
// `max_size` bytes of literal data (a decompression bomb) is an error, left to gpg.
core::Result<LiteralContent> read_literal_content(std::string_view packets, std::size_t max_size);

// A v4 binary-document signature packet body that this reader can judge: creation time
// given, no expiry, no critical subpacket other than the creation time and issuer.
core::Result<SignatureInfo> read_signature(std::string_view body);

// Does `signature` verify over `data` with `signer` (Ed25519 EdDSA or RSA, SHA-2)? An error
// means it could not be checked here; false means the math says no.
core::Result<bool> signature_verifies(const SignatureInfo& signature, std::string_view data,
                                      const KeyMaterial& signer);

}  // namespace cvd::crypto::detail
