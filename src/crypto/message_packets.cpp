#include "message_packets.hpp"

#include <gcrypt.h>

#include <cstring>
#include <memory>

namespace cvd::crypto::detail {
namespace {

std::optional<std::string> x25519(std::string_view scalar, std::string_view point) {
    if (scalar.size() != 32 || point.size() != 32) return std::nullopt;
    unsigned char out[32];
    if (gcry_ecc_mul_point(GCRY_ECC_CURVE25519, out,
                           reinterpret_cast<const unsigned char*>(scalar.data()),
                           reinterpret_cast<const unsigned char*>(point.data())) != 0)
        return std::nullopt;
    return std::string(reinterpret_cast<const char*>(out), 32);
}

std::string pkesk_head(const KeyMaterial& key) {
    std::string body;
    body.push_back(3);  // version
    body += key.key_id();
    body.push_back(static_cast<char>(key.algo));
    return body;
}

}  // namespace

Cipher open_cipher(std::uint8_t cipher, int mode, std::string_view key) {
    if (cipher_key_size(cipher) == 0 || key.size() != cipher_key_size(cipher)) return nullptr;
    gcry_cipher_hd_t h = nullptr;
    if (gcry_cipher_open(&h, cipher, mode, 0) != 0) return nullptr;
    Cipher c(h);
    if (gcry_cipher_setkey(h, key.data(), key.size()) != 0) return nullptr;
    return c;
}

std::optional<std::string> hash(int algo, std::initializer_list<std::string_view> parts) {
    gcry_md_hd_t md = nullptr;
    if (gcry_md_open(&md, algo, 0) != 0) return std::nullopt;
    for (auto p : parts) gcry_md_write(md, p.data(), p.size());
    const unsigned char* d = gcry_md_read(md, algo);
    std::optional<std::string> out;
    if (d != nullptr) out.emplace(reinterpret_cast<const char*>(d), gcry_md_get_algo_dlen(algo));
    gcry_md_close(md);
    return out;
}

void wipe(std::string& secret) {
    explicit_bzero(secret.data(), secret.size());
}

std::optional<std::string> new_packet(int tag, std::string_view body) {
    const std::uint64_t n = body.size();
    if (n > 0xFFFFFFFFull) return std::nullopt;
    std::string out;
    out.reserve(body.size() + 6);
    out.push_back(static_cast<char>(0xC0 | tag));
    if (n < 192) {
        out.push_back(static_cast<char>(n));
    } else if (n < 8384) {
        out.push_back(static_cast<char>(((n - 192) >> 8) + 192));
        out.push_back(static_cast<char>((n - 192) & 0xFF));
    } else {
        out.push_back(static_cast<char>(0xFF));
        put32(out, n);
    }
    out.append(body);
    return out;
}

std::optional<std::string> literal_packet(std::string_view data) {
    std::string body;
    body.reserve(data.size() + 6);
    body.push_back('b');
    body.push_back(0);  // no file name
    put32(body, 0);     // no date: the mail has its own
    body.append(data);
    return new_packet(11, body);
}

std::string one_pass_signature_packet(HashAlgo hash, PubkeyAlgo algo, std::string_view key_id) {
    std::string body;
    body.push_back(3);     // version
    body.push_back(0x00);  // signature of a binary document
    body.push_back(static_cast<char>(hash));
    body.push_back(static_cast<char>(algo));
    body.append(key_id);
    body.push_back(1);  // not followed by another one-pass signature over the same data
    return *new_packet(4, body);
}

std::size_t cipher_key_size(std::uint8_t cipher) {
    switch (cipher) {
        case cipher_aes128:
            return 16;
        case cipher_aes192:
            return 24;
        case cipher_aes256:
            return 32;
        default:
            return 0;
    }
}

std::string session_key_block(std::uint8_t cipher, std::string_view session_key) {
    std::string out;
    out.push_back(static_cast<char>(cipher));
    out.append(session_key);
    unsigned sum = 0;
    for (char c : session_key) sum += static_cast<unsigned char>(c);
    put16(out, sum & 0xFFFF);
    return out;
}

std::string ecdh_kdf_param(const KeyMaterial& key) {
    std::string out;
    out.push_back(static_cast<char>(key.curve_oid.size()));
    out += key.curve_oid;
    out.push_back(static_cast<char>(pk_ecdh));
    out.push_back(3);
    out.push_back(1);
    out.push_back(static_cast<char>(key.kdf_hash));
    out.push_back(static_cast<char>(key.kdf_cipher));
    out += "Anonymous Sender    ";
    out += key.fingerprint;
    return out;
}

std::optional<std::string> ecdh_pkesk(const KeyMaterial& key, std::string_view session_block,
                                      std::string_view ephemeral_secret) {
    init_gcrypt();
    // gpg's cv25519 public point: the 0x40 "native" prefix, then the RFC 7748 u-coordinate.
    if (key.algo != pk_ecdh || key.curve_oid != cv25519_oid || key.point.size() != 33 ||
        key.point[0] != 0x40 || key.fingerprint.size() != 20)
        return std::nullopt;
    // RFC 6637 §9 allows these; gpg refuses others too.
    if (key.kdf_hash != 8 && key.kdf_hash != 9 && key.kdf_hash != 10) return std::nullopt;
    const std::size_t kek_size = cipher_key_size(key.kdf_cipher);
    if (kek_size == 0) return std::nullopt;

    static constexpr unsigned char base[32] = {9};
    auto ephemeral = x25519(ephemeral_secret, {reinterpret_cast<const char*>(base), 32});
    auto shared = x25519(ephemeral_secret, std::string_view(key.point).substr(1));
    if (!ephemeral || !shared) return std::nullopt;
    // A low-order recipient point gives an all-zero secret: no key to wrap with.
    if (shared->find_first_not_of('\0') == std::string::npos) return std::nullopt;
    // The KDF hashes the shared u-coordinate as X25519 returns it (gpg's convention).
    auto mb = hash(key.kdf_hash, {std::string_view("\0\0\0\1", 4), *shared, ecdh_kdf_param(key)});
    if (!mb || mb->size() < kek_size) return std::nullopt;

    // PKCS#5 padding to a multiple of 8 bytes (RFC 6637 §8), as gpg pads it.
    std::string m(session_block);
    const std::size_t pad = 8 - m.size() % 8;
    m.append(pad, static_cast<char>(pad));
    auto kw = open_cipher(key.kdf_cipher, GCRY_CIPHER_MODE_AESWRAP, mb->substr(0, kek_size));
    if (!kw) return std::nullopt;
    std::string wrapped(m.size() + 8, '\0');
    const bool wrapped_ok =
        gcry_cipher_encrypt(kw.get(), wrapped.data(), wrapped.size(), m.data(), m.size()) == 0;
    wipe(m);
    wipe(*mb);
    wipe(*shared);
    if (!wrapped_ok) return std::nullopt;

    std::string body = pkesk_head(key);
    body += mpi("\x40" + *ephemeral);
    body.push_back(static_cast<char>(wrapped.size()));
    body += wrapped;
    return new_packet(1, body);
}

std::optional<std::string> rsa_pkesk(const KeyMaterial& key, std::string_view session_block) {
    init_gcrypt();
    if (key.algo != pk_rsa || key.rsa_n.empty() || key.rsa_e.empty()) return std::nullopt;
    gcry_sexp_t raw = nullptr;
    if (gcry_sexp_build(&raw, nullptr, "(public-key(rsa(n%b)(e%b)))",
                        static_cast<int>(key.rsa_n.size()), key.rsa_n.data(),
                        static_cast<int>(key.rsa_e.size()), key.rsa_e.data()) != 0)
        return std::nullopt;
    Sexp pub(raw);
    if (gcry_sexp_build(&raw, nullptr, "(data(flags pkcs1)(value%b))",
                        static_cast<int>(session_block.size()), session_block.data()) != 0)
        return std::nullopt;
    Sexp data(raw);
    if (gcry_pk_encrypt(&raw, data.get(), pub.get()) != 0) return std::nullopt;
    Sexp result(raw);
    Sexp a(gcry_sexp_find_token(result.get(), "a", 0));
    if (!a) return std::nullopt;
    std::size_t len = 0;
    const char* bytes = gcry_sexp_nth_data(a.get(), 1, &len);
    if (bytes == nullptr || len == 0) return std::nullopt;
    std::string body = pkesk_head(key);
    body += mpi(std::string_view(bytes, len));
    return new_packet(1, body);
}

std::optional<std::string> seipd_packet(std::uint8_t cipher, std::string_view key,
                                        std::string_view random16, std::string_view inner) {
    init_gcrypt();
    if (random16.size() != 16) return std::nullopt;
    auto c = open_cipher(cipher, GCRY_CIPHER_MODE_CFB, key);
    if (!c) return std::nullopt;
    // Prefix: a random block and its last two bytes repeated (RFC 4880 §5.13).
    std::string plain;
    plain.reserve(18 + inner.size() + 22);
    plain += random16;
    plain += random16.substr(14, 2);
    plain += inner;
    plain += "\xD3\x14";  // the MDC packet's header is part of what it hashes
    auto mdc = hash(GCRY_MD_SHA1, {plain});
    if (!mdc) return std::nullopt;
    plain += *mdc;
    const std::string iv(16, '\0');
    if (gcry_cipher_setiv(c.get(), iv.data(), iv.size()) != 0) return std::nullopt;
    std::string body(1 + plain.size(), '\0');
    body[0] = 1;  // version
    if (gcry_cipher_encrypt(c.get(), body.data() + 1, plain.size(), plain.data(), plain.size()) !=
        0)
        return std::nullopt;
    return new_packet(18, body);
}

}  // namespace cvd::crypto::detail
