#pragma once
// The packets of an encrypted (and signed) OpenPGP message built in process (internal), as
// gpg 2.2 writes them: public-key encrypted session keys (RFC 4880 §5.1; ECDH over Curve25519
// per RFC 6637 and gpg's cv25519 conventions), the symmetrically encrypted integrity protected
// data packet with its MDC (§5.13, §5.14), and what goes inside it: one-pass signature (§5.4)
// and literal data (§5.9). libgcrypt does the crypto; randomness is passed in, so the builders
// are pure and testable.

#include <gcrypt.h>

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "key_packets.hpp"
#include "signature_packet.hpp"

namespace cvd::crypto::detail {

struct CipherDeleter {
    void operator()(gcry_cipher_hd_t h) const { gcry_cipher_close(h); }
};
using Cipher = std::unique_ptr<std::remove_pointer_t<gcry_cipher_hd_t>, CipherDeleter>;
struct SexpDeleter {
    void operator()(gcry_sexp_t s) const { gcry_sexp_release(s); }
};
using Sexp = std::unique_ptr<std::remove_pointer_t<gcry_sexp_t>, SexpDeleter>;

// An AES cipher (OpenPGP's numbers are libgcrypt's) in `mode` with `key`; null when the
// cipher is not AES, the key has the wrong size or libgcrypt refuses.
Cipher open_cipher(std::uint8_t cipher, int mode, std::string_view key);
// The digest of the parts, one after the other (OpenPGP's hash numbers are libgcrypt's).
std::optional<std::string> hash(int algo, std::initializer_list<std::string_view> parts);

// Overwrites a secret (a session key, a key-encryption key) before its memory is freed.
void wipe(std::string& secret);

// A new-format packet (RFC 4880 §4.2.2): one-, two- or five-byte length. nullopt when the
// body does not fit 32 bits.
std::optional<std::string> new_packet(int tag, std::string_view body);

// Literal data, binary ('b'), no file name, date 0.
std::optional<std::string> literal_packet(std::string_view data);

// A v3 one-pass signature packet for a binary-document signature; the only one (nested = 1).
std::string one_pass_signature_packet(HashAlgo hash, PubkeyAlgo algo, std::string_view key_id);

// The key size in bytes of an AES cipher number (7, 8, 9), or 0.
std::size_t cipher_key_size(std::uint8_t cipher);

// What a public-key packet encrypts: cipher number ‖ session key ‖ 16-bit sum of its bytes.
std::string session_key_block(std::uint8_t cipher, std::string_view session_key);

// RFC 6637 §8 KDF "Param": OID, algorithm 18, KDF parameters, "Anonymous Sender    " and the
// recipient subkey's fingerprint.
std::string ecdh_kdf_param(const KeyMaterial& key);

// A PKESK v3 packet to a cv25519 ECDH subkey. `ephemeral_secret` is 32 random bytes (the
// X25519 scalar, RFC 7748 byte order). nullopt for another curve, bad KDF parameters, a bad
// point or a libgcrypt failure.
std::optional<std::string> ecdh_pkesk(const KeyMaterial& key, std::string_view session_block,
                                      std::string_view ephemeral_secret);

// A PKESK v3 packet to an RSA key (PKCS#1 v1.5 padding by libgcrypt, its own randomness).
std::optional<std::string> rsa_pkesk(const KeyMaterial& key, std::string_view session_block);

// The SEIPD v1 packet: `inner` (packets) behind the 16+2 byte prefix made from `random16`,
// then the MDC packet, all in OpenPGP CFB without resync (IV zero) under `key`.
std::optional<std::string> seipd_packet(std::uint8_t cipher, std::string_view key,
                                        std::string_view random16, std::string_view inner);

}  // namespace cvd::crypto::detail
