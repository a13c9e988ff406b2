#include "message_reader.hpp"

#include <gcrypt.h>
#include <zlib.h>

#include <cstring>

#include "message_packets.hpp"
#include "packet_reader.hpp"
#include "signature_packet.hpp"

namespace cvd::crypto::detail {
namespace {

using core::ErrorKind;
using core::make_error;

constexpr int tag_pkesk = 1, tag_signature = 2, tag_one_pass = 4, tag_compressed = 8,
              tag_literal = 11, tag_seipd = 18;
constexpr std::size_t aes_block = 16;
constexpr std::size_t mdc_packet_size = 22;  // 0xD3 0x14 and a SHA-1 digest

core::Result<EncryptedSessionKey> read_pkesk(std::string_view body) {
    Reader r{body};
    auto version = r.byte();
    auto key_id = r.take(8);
    auto algo = r.byte();
    if (!version || *version != 3 || !key_id || !algo)
        return refuse("a session key packet that is not version 3");
    EncryptedSessionKey k;
    k.key_id = std::string(*key_id);
    k.algo = *algo;
    if (k.algo != pk_ecdh) return k;  // listed, but not for one of our (ECDH) keys
    auto ephemeral = r.mpi();
    auto wrapped_len = r.byte();
    if (!ephemeral || !wrapped_len) return refuse("a truncated ECDH session key packet");
    auto wrapped = r.take(*wrapped_len);
    if (!wrapped || r.left() != 0) return refuse("a malformed ECDH session key packet");
    k.ephemeral = std::string(*ephemeral);
    k.wrapped = std::string(*wrapped);
    return k;
}

// Decompresses a ZIP (raw deflate) or ZLIB stream completely, up to `max_size` bytes.
core::Result<std::string> inflate_all(std::string_view in, bool zlib_header, std::size_t max_size) {
    z_stream z{};
    if (inflateInit2(&z, zlib_header ? 15 : -15) != Z_OK) return refuse("zlib did not start");
    std::string out;
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    z.avail_in = static_cast<uInt>(in.size());
    if (in.size() != z.avail_in) {
        inflateEnd(&z);
        return refuse("a compressed packet over 4 GiB");
    }
    int rc = Z_OK;
    char chunk[65536];
    while (rc == Z_OK) {
        z.next_out = reinterpret_cast<Bytef*>(chunk);
        z.avail_out = sizeof chunk;
        rc = inflate(&z, Z_NO_FLUSH);
        const std::size_t got = sizeof chunk - z.avail_out;
        if (out.size() + got > max_size) {
            inflateEnd(&z);
            return refuse("the compressed data expands beyond " + std::to_string(max_size) +
                          " bytes");
        }
        out.append(chunk, got);
        if (rc == Z_BUF_ERROR && z.avail_in == 0) break;  // input ended without the stream's end
    }
    inflateEnd(&z);
    if (rc != Z_STREAM_END) return refuse("the compressed data is damaged or truncated");
    return out;
}

struct OnePass {
    std::uint8_t hash_algo = 0;
    std::uint8_t pubkey_algo = 0;
    std::string key_id;
};

core::Result<OnePass> read_one_pass(std::string_view body) {
    Reader r{body};
    auto version = r.byte();
    auto type = r.byte();
    auto hash_algo = r.byte();
    auto pubkey_algo = r.byte();
    auto key_id = r.take(8);
    auto last = r.byte();
    if (!version || *version != 3 || !type || !hash_algo || !pubkey_algo || !key_id || !last ||
        r.left() != 0)
        return refuse("a one-pass signature packet that is not version 3");
    if (*type != 0x00) return refuse("a signature that is not over a binary document");
    if (*last != 1) return refuse("nested one-pass signatures");
    return OnePass{*hash_algo, *pubkey_algo, std::string(*key_id)};
}

core::Status read_literal(std::string_view body, std::size_t max_size, LiteralContent& out) {
    Reader r{body};
    auto format = r.byte();
    auto name_len = r.byte();
    if (!format || !name_len) return refuse("a truncated literal data packet");
    auto name = r.take(*name_len);
    if (!name || !r.take(4)) return refuse("a truncated literal data packet");
    if (r.left() > max_size) return refuse("literal data over " + std::to_string(max_size));
    if (*format != 'b' && *format != 't' && *format != 'u' && *format != 'm')
        return refuse("literal data of format " + std::to_string(*format));
    out.format = static_cast<char>(*format);
    out.file_name = std::string(*name);
    out.data = std::string(body.substr(r.pos));
    return {};
}

// The packets inside the encryption (or inside its one compressed packet).
core::Result<LiteralContent> read_plain_packets(std::string_view packets, std::size_t max_size,
                                                bool may_be_compressed) {
    Reader in{packets};
    std::string joined;
    auto first = next_packet(in, &joined);
    if (!first) return refuse("a bad packet inside the encryption");
    if (first->tag == tag_compressed) {
        if (!may_be_compressed) return refuse("compressed data inside compressed data");
        if (first->body.empty()) return refuse("an empty compressed packet");
        const auto algo = static_cast<std::uint8_t>(first->body[0]);
        if (algo != 1 && algo != 2) return refuse("compression algorithm " + std::to_string(algo));
        if (in.left() != 0) return refuse("packets after the compressed data");
        auto inflated = inflate_all(first->body.substr(1), algo == 2, max_size + 65536);
        if (!inflated) return inflated.error();
        return read_plain_packets(*inflated, max_size, false);
    }
    LiteralContent out;
    if (first->tag == tag_literal) {
        if (auto s = read_literal(first->body, max_size, out); !s) return s.error();
        if (in.left() != 0) return refuse("packets after unsigned literal data");
        return out;
    }
    if (first->tag != tag_one_pass)
        return refuse("packet " + std::to_string(first->tag) + " inside the encryption");
    auto one_pass = read_one_pass(first->body);
    if (!one_pass) return one_pass.error();
    auto literal = next_packet(in, &joined);
    if (!literal || literal->tag != tag_literal)
        return refuse("a one-pass signature not followed by literal data");
    if (auto s = read_literal(literal->body, max_size, out); !s) return s.error();
    auto signature = next_packet(in, &joined);
    if (!signature || signature->tag != tag_signature || in.left() != 0)
        return refuse("signed literal data not followed by exactly its signature");
    auto sig = read_signature(signature->body);
    if (!sig) return sig.error();
    if (sig->hash_algo != one_pass->hash_algo || sig->pubkey_algo != one_pass->pubkey_algo ||
        sig->issuer_key_id != one_pass->key_id)
        return refuse("the signature is not the one its one-pass packet announced");
    out.signature = std::move(*sig);
    return out;
}

std::string left_pad(std::string_view bytes, std::size_t size) {
    std::string out;
    if (bytes.size() < size) out.assign(size - bytes.size(), '\0');
    out += bytes;
    return out;
}

const char* sha2_name(std::uint8_t hash_algo) {
    switch (hash_algo) {
        case 8:
            return "sha256";
        case 9:
            return "sha384";
        case 10:
            return "sha512";
        case 11:
            return "sha224";
        default:
            return nullptr;
    }
}

}  // namespace

core::Error refuse(const std::string& why) {
    return make_error(ErrorKind::crypto, "not decrypting in process: " + why);
}

core::Result<EncryptedMessage> read_encrypted_message(std::string_view binary) {
    Reader in{binary};
    std::string joined;
    EncryptedMessage m;
    bool have_data = false;
    while (in.left() > 0) {
        auto p = next_packet(in, &joined);
        if (!p) return refuse("a bad packet header or length");
        if (have_data) return refuse("packets after the encrypted data");
        if (p->tag == tag_pkesk) {
            auto k = read_pkesk(p->body);
            if (!k) return k.error();
            m.session_keys.push_back(std::move(*k));
        } else if (p->tag == tag_seipd) {
            if (p->body.empty() || p->body[0] != 1)
                return refuse("encrypted data that is not SEIPD version 1");
            m.encrypted = std::string(p->body.substr(1));
            have_data = true;
        } else {
            return refuse("packet " + std::to_string(p->tag) + " in the encrypted message");
        }
    }
    if (m.session_keys.empty() || !have_data)
        return refuse("not a public-key encrypted message with integrity protection");
    return m;
}

core::Result<SessionKey> ecdh_session_key(const KeyMaterial& subkey, std::string_view shared,
                                          std::string_view wrapped) {
    init_gcrypt();
    if (subkey.algo != pk_ecdh || subkey.curve_oid != cv25519_oid ||
        subkey.fingerprint.size() != 20)
        return refuse("the subkey is not cv25519 ECDH");
    if (subkey.kdf_hash != 8 && subkey.kdf_hash != 9 && subkey.kdf_hash != 10)
        return refuse("KDF hash " + std::to_string(subkey.kdf_hash));
    const std::size_t kek_size = cipher_key_size(subkey.kdf_cipher);
    if (kek_size == 0) return refuse("KDF cipher " + std::to_string(subkey.kdf_cipher));
    if (shared.size() == 33 && shared[0] == 0x40) shared.remove_prefix(1);
    if (shared.size() != 32) return refuse("the agent's shared point has an unexpected form");
    if (wrapped.size() < 24 || wrapped.size() % 8 != 0) return refuse("a bad wrapped key size");

    auto kek =
        hash(subkey.kdf_hash, {std::string_view("\0\0\0\1", 4), shared, ecdh_kdf_param(subkey)});
    if (!kek || kek->size() < kek_size) return refuse("libgcrypt could not hash");
    auto kw = open_cipher(subkey.kdf_cipher, GCRY_CIPHER_MODE_AESWRAP, kek->substr(0, kek_size));
    wipe(*kek);
    if (!kw) return refuse("libgcrypt could not open AES key wrap");
    std::string m(wrapped.size() - 8, '\0');
    if (gcry_cipher_decrypt(kw.get(), m.data(), m.size(), wrapped.data(), wrapped.size()) != 0) {
        wipe(m);
        return refuse("the session key does not unwrap (another key, or damage)");
    }
    // PKCS#5 padding, then cipher ‖ key ‖ 16-bit sum of the key's bytes.
    const auto pad = static_cast<std::uint8_t>(m.back());
    bool padded = pad >= 1 && pad <= m.size();
    for (std::size_t i = 0; padded && i < pad; ++i)
        padded = static_cast<std::uint8_t>(m[m.size() - 1 - i]) == pad;
    SessionKey key;
    if (padded) {
        const std::size_t block_size = m.size() - pad;
        key.cipher = static_cast<std::uint8_t>(m[0]);
        const std::size_t key_size = cipher_key_size(key.cipher);
        if (key_size != 0 && block_size == 1 + key_size + 2) {
            key.key = m.substr(1, key_size);
            unsigned sum = 0;
            for (char c : key.key) sum += static_cast<unsigned char>(c);
            const unsigned stated = (static_cast<unsigned char>(m[1 + key_size]) << 8) |
                                    static_cast<unsigned char>(m[2 + key_size]);
            if ((sum & 0xFFFF) != stated) {
                wipe(key.key);
                key.key.clear();
            }
        }
    }
    wipe(m);
    if (key.key.empty()) return refuse("the session key block is not an AES key with its sum");
    return key;
}

core::Result<std::string> open_protected_data(const SessionKey& key, std::string_view encrypted) {
    init_gcrypt();
    if (encrypted.size() < aes_block + 2 + mdc_packet_size)
        return refuse("encrypted data too short to hold its prefix and MDC");
    auto c = open_cipher(key.cipher, GCRY_CIPHER_MODE_CFB, key.key);
    if (!c) return refuse("cipher " + std::to_string(key.cipher));
    const std::string iv(aes_block, '\0');
    std::string plain(encrypted.size(), '\0');
    if (gcry_cipher_setiv(c.get(), iv.data(), iv.size()) != 0 ||
        gcry_cipher_decrypt(c.get(), plain.data(), plain.size(), encrypted.data(),
                            encrypted.size()) != 0)
        return refuse("libgcrypt could not decrypt");
    if (plain.compare(aes_block - 2, 2, plain, aes_block, 2) != 0)
        return refuse("the quick check failed (wrong session key or damage)");
    const std::size_t mdc_at = plain.size() - mdc_packet_size;
    if (plain[mdc_at] != '\xD3' || plain[mdc_at + 1] != '\x14')
        return refuse("no MDC packet at the end of the encrypted data");
    auto mdc = hash(GCRY_MD_SHA1, {std::string_view(plain).substr(0, mdc_at + 2)});
    if (!mdc || plain.compare(mdc_at + 2, 20, *mdc) != 0)
        return refuse("the MDC does not match (the data was changed)");
    plain.resize(mdc_at);
    plain.erase(0, aes_block + 2);
    return plain;
}

core::Result<LiteralContent> read_literal_content(std::string_view packets, std::size_t max_size) {
    return read_plain_packets(packets, max_size, true);
}

core::Result<SignatureInfo> read_signature(std::string_view body) {
    Reader r{body};
    auto version = r.byte();
    auto type = r.byte();
    auto pubkey_algo = r.byte();
    auto hash_algo = r.byte();
    if (!version || *version != 4 || !type || !pubkey_algo || !hash_algo)
        return refuse("a signature that is not version 4");
    if (*type != 0x00) return refuse("a signature that is not over a binary document");
    auto hashed_len = r.be(2);
    if (!hashed_len) return refuse("a truncated signature");
    auto hashed = r.take(*hashed_len);
    auto unhashed_len = r.be(2);
    if (!hashed || !unhashed_len) return refuse("a truncated signature");
    auto unhashed = r.take(*unhashed_len);
    auto left16 = r.take(2);
    if (!unhashed || !left16) return refuse("a truncated signature");
    SignatureInfo s;
    s.pubkey_algo = *pubkey_algo;
    s.hash_algo = *hash_algo;
    s.hashed_part = std::string(body.substr(0, 6 + *hashed_len));
    s.left16 = std::string(*left16);
    const int values = s.pubkey_algo == pk_eddsa ? 2 : s.pubkey_algo == pk_rsa ? 1 : 0;
    if (values == 0) return refuse("signature algorithm " + std::to_string(s.pubkey_algo));
    for (int i = 0; i < values; ++i) {
        auto v = r.mpi();
        if (!v) return refuse("a truncated signature value");
        s.values.emplace_back(*v);
    }
    if (r.left() != 0) return refuse("trailing bytes in a signature");

    bool created = false, refused = false;
    std::string why;
    std::string key_id_given;
    auto issuer = [&](int type, std::string_view b) {
        if (type == 33 && b.size() == 21 && b[0] == 4)
            s.issuer_fingerprint = std::string(b.substr(1));
        if (type == 16 && b.size() == 8) key_id_given = std::string(b);
    };
    const bool hashed_ok =
        for_subpackets(*hashed, [&](int type, bool critical, std::string_view b) {
            if (type == 2 && b.size() == 4) {
                Reader t{b};
                s.created = *t.be(4);
                created = true;
            } else if (type == 3) {
                refused = true;
                why = "a signature with an expiry time";
            } else if (type == 16 || type == 33) {
                issuer(type, b);
            } else if (critical) {
                refused = true;
                why = "critical signature subpacket " + std::to_string(type);
            }
        });
    // Only who the issuer is may come from the unhashed area (it is checked by the math).
    const bool unhashed_ok = for_subpackets(*unhashed, [&](int type, bool, std::string_view b) {
        if ((type == 33 && s.issuer_fingerprint.empty()) || (type == 16 && key_id_given.empty()))
            issuer(type, b);
    });
    if (!hashed_ok || !unhashed_ok) return refuse("malformed signature subpackets");
    if (refused) return refuse(why);
    if (!created) return refuse("a signature without a creation time");
    if (!s.issuer_fingerprint.empty()) {
        s.issuer_key_id = s.issuer_fingerprint.substr(12);
        if (!key_id_given.empty() && key_id_given != s.issuer_key_id)
            return refuse("a signature naming two different issuers");
    } else {
        s.issuer_key_id = key_id_given;
    }
    if (s.issuer_key_id.size() != 8) return refuse("a signature that names no issuer");
    return s;
}

core::Result<bool> signature_verifies(const SignatureInfo& signature, std::string_view data,
                                      const KeyMaterial& signer) {
    init_gcrypt();
    const char* hash_name = sha2_name(signature.hash_algo);
    if (hash_name == nullptr)
        return refuse("hash algorithm " + std::to_string(signature.hash_algo));
    if (signature.pubkey_algo != signer.algo)
        return refuse("the signature's algorithm is not the key's");
    auto digest =
        signature_digest(static_cast<HashAlgo>(signature.hash_algo), data, signature.hashed_part);
    if (!digest) return refuse("libgcrypt could not hash");
    if (digest->compare(0, 2, signature.left16) != 0) return false;

    gcry_sexp_t raw = nullptr;
    Sexp key, hashed, sig;
    if (signer.algo == pk_eddsa) {
        if (signer.curve_oid != ed25519_oid || signer.point.size() != 33 ||
            signer.point[0] != 0x40 || signature.values.size() != 2 ||
            signature.values[0].size() > 32 || signature.values[1].size() > 32)
            return refuse("an EdDSA key or signature that is not Ed25519");
        const std::string r = left_pad(signature.values[0], 32);
        const std::string s = left_pad(signature.values[1], 32);
        if (gcry_sexp_build(&raw, nullptr, "(public-key(ecc(curve Ed25519)(flags eddsa)(q%b)))", 33,
                            signer.point.data()) == 0)
            key.reset(raw);
        if (gcry_sexp_build(&raw, nullptr, "(data(flags eddsa)(hash-algo sha512)(value %b))",
                            static_cast<int>(digest->size()), digest->data()) == 0)
            hashed.reset(raw);
        if (gcry_sexp_build(&raw, nullptr, "(sig-val(eddsa(r%b)(s%b)))", 32, r.data(), 32,
                            s.data()) == 0)
            sig.reset(raw);
    } else if (signer.algo == pk_rsa) {
        if (signature.values.size() != 1 || signer.rsa_n.empty() || signer.rsa_e.empty())
            return refuse("a malformed RSA key or signature");
        if (gcry_sexp_build(&raw, nullptr, "(public-key(rsa(n%b)(e%b)))",
                            static_cast<int>(signer.rsa_n.size()), signer.rsa_n.data(),
                            static_cast<int>(signer.rsa_e.size()), signer.rsa_e.data()) == 0)
            key.reset(raw);
        if (gcry_sexp_build(&raw, nullptr, "(data(flags pkcs1)(hash %s %b))", hash_name,
                            static_cast<int>(digest->size()), digest->data()) == 0)
            hashed.reset(raw);
        if (gcry_sexp_build(&raw, nullptr, "(sig-val(rsa(s%b)))",
                            static_cast<int>(signature.values[0].size()),
                            signature.values[0].data()) == 0)
            sig.reset(raw);
    } else {
        return refuse("key algorithm " + std::to_string(signer.algo));
    }
    if (!key || !hashed || !sig) return refuse("libgcrypt could not read the key or signature");
    const gcry_error_t err = gcry_pk_verify(sig.get(), hashed.get(), key.get());
    if (err == 0) return true;
    if (gcry_err_code(err) == GPG_ERR_BAD_SIGNATURE) return false;
    return refuse(std::string("libgcrypt could not check the signature (") + gcry_strerror(err) +
                  ")");
}

}  // namespace cvd::crypto::detail
