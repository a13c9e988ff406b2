#pragma once
// The public key material inside an exported OpenPGP key (internal): the v4 key and subkey
// packets (RFC 4880 §5.5.2) with their fingerprints, and the symmetric ciphers the key's owner
// prefers, so that a message can be encrypted to the key without a gpg run. Only what
// in-process encryption and signature checks need is decoded (RSA, ECDH, EdDSA); other algorithms
// are kept by fingerprint so that a caller can tell "unsupported" from "absent". Which subkey to
// use, and whether it is valid, is GPGME's listing's decision: self-signatures are not verified
// here.
//
// The input is gpg's own export, yet every length is checked: a malformed block is an error
// value and the caller leaves the message to gpg.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cvdbot/core/result.hpp"

namespace cvd::crypto::detail {

// RFC 4880 §9.1.
constexpr std::uint8_t pk_rsa = 1, pk_ecdh = 18, pk_eddsa = 22;
// RFC 4880 §9.2.
constexpr std::uint8_t cipher_aes128 = 7, cipher_aes192 = 8, cipher_aes256 = 9;

// 1.3.6.1.4.1.3029.1.5.1, as the OID bytes of a key packet (without the length byte).
inline constexpr std::string_view cv25519_oid{"\x2B\x06\x01\x04\x01\x97\x55\x01\x05\x01", 10};
// 1.3.6.1.4.1.11591.15.1 (Ed25519 in OpenPGP).
inline constexpr std::string_view ed25519_oid{"\x2B\x06\x01\x04\x01\xDA\x47\x0F\x01", 9};

struct KeyMaterial {
    std::string fingerprint;  // v4: SHA-1 over the packet, 20 bytes
    std::uint8_t algo = 0;
    std::uint32_t created = 0;
    std::string rsa_n, rsa_e;   // RSA: big-endian, as in the MPIs
    std::string curve_oid;      // ECDH, EdDSA: OID bytes
    std::string point;          // ECDH, EdDSA: the MPI's bytes (0x40 ‖ 32 bytes for 25519)
    std::uint8_t kdf_hash = 0;  // ECDH: KDF parameters (RFC 6637 §9)
    std::uint8_t kdf_cipher = 0;

    // The last 8 bytes of the fingerprint (v4).
    std::string key_id() const { return fingerprint.substr(fingerprint.size() - 8); }
};

struct PublicKeyBlock {
    KeyMaterial primary;
    std::vector<KeyMaterial> subkeys;
    // Preferred symmetric algorithms (subpacket 11) of the newest self-signature on a user id
    // that has them; empty when none says.
    std::vector<std::uint8_t> cipher_prefs;

    // The primary key or subkey with this binary fingerprint, or nullptr.
    const KeyMaterial* find(std::string_view fingerprint) const;
};

// The first transferable public key in binary OpenPGP data (gpg --export). Refuses v3/v5 key
// packets, secret keys, truncated or inconsistent packets (kind invalid_input).
core::Result<PublicKeyBlock> parse_public_key_block(std::string_view binary);

// The v4 fingerprint of a key packet body: SHA-1 of 0x99, its 2-byte length and the body.
std::string v4_fingerprint(std::string_view key_body);

}  // namespace cvd::crypto::detail
