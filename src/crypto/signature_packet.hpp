#pragma once
// An OpenPGP v4 detached signature packet built from its parts (internal): what gpg writes
// for `gpg --detach-sign` over binary data (RFC 4880 §5.2), with the signature value made
// elsewhere (gpg-agent, agent_signer.hpp). Pure: no I/O, so it is tested against packets
// made by gpg itself.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cvd::crypto::detail {

// Big-endian 16- and 32-bit numbers appended to a packet being built (the low bits of `v`).
void put16(std::string& out, std::size_t v);
void put32(std::string& out, std::uint64_t v);

// RFC 4880 §9.1 (EdDSA: RFC 4880bis) and §9.4.
enum class PubkeyAlgo : std::uint8_t { rsa = 1, eddsa = 22 };
enum class HashAlgo : std::uint8_t { sha256 = 8, sha512 = 10 };

// libgcrypt's one-time initialisation; call before any other libgcrypt function.
void init_gcrypt();

// The MIME micalg parameter naming the hash: "pgp-sha256".
const char* micalg(HashAlgo hash);

struct SignatureParams {
    std::string issuer_fingerprint;  // v4 key: 20 bytes, binary
    PubkeyAlgo pubkey_algo = PubkeyAlgo::eddsa;
    HashAlgo hash_algo = HashAlgo::sha256;
    std::uint32_t created = 0;  // seconds since 1970
};

// The hashed part of a binary-document (type 0x00) signature: version, type, algorithms and
// the hashed subpackets issuer fingerprint (33) and creation time (2), in gpg's order.
std::string hashed_part(const SignatureParams& params);

// What the key signs: the hash of data ‖ hashed part ‖ 0x04 0xFF ‖ length of the hashed part
// (RFC 4880 §5.2.4). nullopt when libgcrypt cannot compute it.
std::optional<std::string> signature_digest(HashAlgo hash, std::string_view data,
                                            std::string_view hashed);

// A multiprecision integer (RFC 4880 §3.2) from big-endian bytes: leading zero bits dropped
// and counted out of the length.
std::string mpi(std::string_view big_endian);

// The whole packet: old-format header as gpg writes it, the hashed part, the issuer key id as
// unhashed subpacket (16), the digest's left 16 bits and the signature values as MPIs (EdDSA:
// r, s; RSA: s).
std::string signature_packet(std::string_view hashed, std::string_view issuer_fingerprint,
                             std::string_view digest, const std::vector<std::string>& values);

// The values of a signature in gpg-agent's answer, a canonical S-expression such as
// (7:sig-val(5:eddsa(1:r32:…)(1:s32:…))), in packet order for `algo`; nullopt when the answer
// is malformed or for another algorithm.
std::optional<std::vector<std::string>> signature_values(std::string_view sig_val, PubkeyAlgo algo);

}  // namespace cvd::crypto::detail
