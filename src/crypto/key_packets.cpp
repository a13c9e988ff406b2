#include "key_packets.hpp"

#include <gcrypt.h>

#include <optional>

#include "packet_reader.hpp"
#include "signature_packet.hpp"

namespace cvd::crypto::detail {
namespace {

using core::ErrorKind;
using core::make_error;

// Real keys have a few dozen packets; flooded ones thousands. Beyond this: not ours to parse.
constexpr std::size_t max_packets = 20000;

core::Error malformed(const std::string& why) {
    return make_error(ErrorKind::invalid_input, "malformed OpenPGP key data: " + why);
}

core::Result<KeyMaterial> parse_key(std::string_view body) {
    if (body.size() > 0xFFFF) return malformed("a key packet is too long");
    Reader r{body};
    auto version = r.byte();
    if (!version) return malformed("an empty key packet");
    if (*version != 4)
        return malformed("a version " + std::to_string(*version) + " key (only v4 is handled)");
    KeyMaterial k;
    auto created = r.be(4);
    auto algo = r.byte();
    if (!created || !algo) return malformed("a truncated key packet");
    k.created = *created;
    k.algo = *algo;
    k.fingerprint = v4_fingerprint(body);
    if (k.algo == pk_rsa) {
        auto n = r.mpi();
        auto e = r.mpi();
        if (!n || !e || n->empty() || e->empty()) return malformed("a truncated RSA key");
        k.rsa_n = std::string(*n);
        k.rsa_e = std::string(*e);
    } else if (k.algo == pk_ecdh) {
        auto oid_len = r.byte();
        if (!oid_len || *oid_len == 0 || *oid_len == 0xFF) return malformed("a bad curve OID");
        auto oid = r.take(*oid_len);
        auto point = r.mpi();
        auto kdf_len = r.byte();
        if (!oid || !point || !kdf_len) return malformed("a truncated ECDH key");
        auto kdf = r.take(*kdf_len);
        // RFC 6637 §9: size 3, reserved 1, hash, cipher.
        if (!kdf || kdf->size() != 3 || (*kdf)[0] != 1) return malformed("bad ECDH KDF parameters");
        k.curve_oid = std::string(*oid);
        k.point = std::string(*point);
        k.kdf_hash = static_cast<std::uint8_t>((*kdf)[1]);
        k.kdf_cipher = static_cast<std::uint8_t>((*kdf)[2]);
    } else if (k.algo == pk_eddsa) {
        auto oid_len = r.byte();
        if (!oid_len || *oid_len == 0 || *oid_len == 0xFF) return malformed("a bad curve OID");
        auto oid = r.take(*oid_len);
        auto point = r.mpi();
        if (!oid || !point) return malformed("a truncated EdDSA key");
        k.curve_oid = std::string(*oid);
        k.point = std::string(*point);
    }
    // Other algorithms: the fingerprint is all we need (the caller does not use them).
    // For ours, bytes left over mean the packet is not what it seems.
    if ((k.algo == pk_rsa || k.algo == pk_ecdh || k.algo == pk_eddsa) && r.left() != 0)
        return malformed("trailing bytes in a key packet");
    return k;
}

// What a self-signature on a user id says about ciphers: its creation time and the
// preferred symmetric algorithms, when it lists them and was issued by `primary`.
struct Prefs {
    std::uint32_t created = 0;
    std::vector<std::uint8_t> ciphers;
};

// nullopt when the signature is not a v4 user id certification by `primary` with cipher
// preferences (or is malformed: preferences are a hint, such a signature is just skipped).
std::optional<Prefs> self_signature_prefs(std::string_view body, const KeyMaterial& primary) {
    Reader r{body};
    auto version = r.byte();
    auto type = r.byte();
    if (!version || *version != 4 || !type || *type < 0x10 || *type > 0x13) return std::nullopt;
    if (!r.take(2)) return std::nullopt;  // algorithms
    auto hashed_len = r.be(2);
    if (!hashed_len) return std::nullopt;
    auto hashed = r.take(*hashed_len);
    auto unhashed_len = r.be(2);
    if (!hashed || !unhashed_len) return std::nullopt;
    auto unhashed = r.take(*unhashed_len);
    if (!unhashed) return std::nullopt;
    Prefs p;
    bool by_primary = false, has_prefs = false;
    const std::string key_id = primary.key_id();
    auto look = [&](int type, bool, std::string_view b) {
        if (type == 2 && b.size() == 4) {
            Reader t{b};
            p.created = *t.be(4);
        } else if (type == 11) {
            has_prefs = true;
            p.ciphers.assign(b.begin(), b.end());
        } else if (type == 33 && b.size() == 21 && b.substr(1) == primary.fingerprint) {
            by_primary = true;
        } else if (type == 16 && b == key_id) {
            by_primary = true;
        }
    };
    if (!for_subpackets(*hashed, look)) return std::nullopt;
    // Only the issuer may come from the unhashed area; preferences there are not the owner's.
    const bool had_prefs = has_prefs;
    if (!for_subpackets(*unhashed, [&](int type, bool critical, std::string_view b) {
            if (type == 16 || type == 33) look(type, critical, b);
        }))
        return std::nullopt;
    if (!by_primary || !had_prefs) return std::nullopt;
    return p;
}

}  // namespace

std::string v4_fingerprint(std::string_view key_body) {
    init_gcrypt();
    gcry_md_hd_t md = nullptr;
    if (gcry_md_open(&md, GCRY_MD_SHA1, 0) != 0) return {};
    const char head[3] = {static_cast<char>(0x99), static_cast<char>((key_body.size() >> 8) & 0xFF),
                          static_cast<char>(key_body.size() & 0xFF)};
    gcry_md_write(md, head, 3);
    gcry_md_write(md, key_body.data(), key_body.size());
    std::string out(reinterpret_cast<const char*>(gcry_md_read(md, GCRY_MD_SHA1)), 20);
    gcry_md_close(md);
    return out;
}

const KeyMaterial* PublicKeyBlock::find(std::string_view fingerprint) const {
    if (primary.fingerprint == fingerprint) return &primary;
    for (const auto& s : subkeys)
        if (s.fingerprint == fingerprint) return &s;
    return nullptr;
}

core::Result<PublicKeyBlock> parse_public_key_block(std::string_view binary) {
    Reader in{binary};
    PublicKeyBlock block;
    bool have_primary = false, in_user_id = false;
    Prefs newest;
    bool have_prefs = false;
    for (std::size_t count = 0; in.left() > 0; ++count) {
        if (count >= max_packets) return malformed("too many packets");
        auto p = next_packet(in);
        if (!p) return malformed("a bad packet header or length");
        if (p->tag == 5 || p->tag == 7) return malformed("a secret key");
        if (p->tag == 6) {
            if (have_primary) break;  // the next key: only the first is wanted
            auto k = parse_key(p->body);
            if (!k) return k.error();
            block.primary = std::move(*k);
            have_primary = true;
            continue;
        }
        if (!have_primary) return malformed("data before the primary key packet");
        if (p->tag == 14) {
            auto k = parse_key(p->body);
            if (!k) return k.error();
            block.subkeys.push_back(std::move(*k));
            in_user_id = false;
        } else if (p->tag == 13 || p->tag == 17) {
            in_user_id = p->tag == 13;
        } else if (p->tag == 2 && in_user_id) {
            auto prefs = self_signature_prefs(p->body, block.primary);
            if (prefs && (!have_prefs || prefs->created >= newest.created)) {
                newest = std::move(*prefs);
                have_prefs = true;
            }
        }
        // Trust packets (12), signatures elsewhere, unknown packets: skipped.
    }
    if (!have_primary) return malformed("no public key packet");
    if (have_prefs) block.cipher_prefs = std::move(newest.ciphers);
    return block;
}

}  // namespace cvd::crypto::detail
