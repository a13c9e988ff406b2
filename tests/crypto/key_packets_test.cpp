// The pure parts of in-process encryption: the key parser on keys gpg made (and on every
// truncation and a few corruptions of them), and the packet builders' bytes. The ECDH session
// key packet is opened again here with libgcrypt, the recipient's way (RFC 6637 §8).

#include "key_packets.hpp"

#include <gcrypt.h>

#include <catch2/catch.hpp>

#include "direct_encrypt.hpp"
#include "gpg_cli.hpp"
#include "message_packets.hpp"

using namespace cvd::crypto::detail;
using cvd::test::GpgHome;

namespace {

std::string from_hex(std::string_view hex) {
    std::string out;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
        out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
    return out;
}

// Fingerprints of the primary key and subkeys in gpg's --with-colons listing, in order.
std::vector<std::string> listed_fingerprints(const GpgHome& home, const std::string& fpr) {
    const std::string listing = home.gpg_ok({"--with-colons", "--list-keys", fpr});
    std::vector<std::string> out;
    for (std::size_t at = listing.find("\nfpr:"); at != std::string::npos;
         at = listing.find("\nfpr:", at + 1))
        out.push_back(from_hex(listing.substr(at + 13, 40)));
    return out;
}

struct Made {
    std::string fpr;
    std::string exported;  // binary
};

Made cv25519_key(const GpgHome& home) {
    Made m;
    m.fpr = home.generate("cv <cv@example.test>");
    m.exported = home.gpg_ok({"--export", m.fpr});
    return m;
}

std::string x25519(std::string_view scalar, std::string_view point) {
    unsigned char out[32];
    REQUIRE(gcry_ecc_mul_point(GCRY_ECC_CURVE25519, out,
                               reinterpret_cast<const unsigned char*>(scalar.data()),
                               reinterpret_cast<const unsigned char*>(point.data())) == 0);
    return std::string(reinterpret_cast<const char*>(out), 32);
}

}  // namespace

TEST_CASE("a cv25519 key from gpg: fingerprints, ECDH parameters, preferences") {
    GpgHome home("kpcv");
    const Made k = cv25519_key(home);
    auto block = parse_public_key_block(k.exported);
    REQUIRE(block.ok());
    const auto fprs = listed_fingerprints(home, k.fpr);
    REQUIRE(fprs.size() == 2);
    CHECK(block->primary.fingerprint == fprs[0]);
    CHECK(block->primary.algo == 22);  // EdDSA: kept by fingerprint only
    REQUIRE(block->subkeys.size() == 1);
    const KeyMaterial& sub = block->subkeys[0];
    CHECK(sub.fingerprint == fprs[1]);
    CHECK(block->find(fprs[1]) == &sub);
    CHECK(block->find(std::string(20, 'x')) == nullptr);
    CHECK(sub.algo == pk_ecdh);
    CHECK(sub.curve_oid == cv25519_oid);
    REQUIRE(sub.point.size() == 33);
    CHECK(sub.point[0] == 0x40);
    CHECK(sub.kdf_hash == 8);                // SHA-256, gpg 2.2's choice for cv25519
    CHECK(sub.kdf_cipher == cipher_aes128);  // AES-128
    CHECK(sub.key_id() == fprs[1].substr(12));
    // gpg 2.2's default preferences: AES256 AES192 AES 3DES.
    CHECK(block->cipher_prefs == std::vector<std::uint8_t>{9, 8, 7, 2});
    CHECK(choose_cipher({block->cipher_prefs}) == cipher_aes256);
}

TEST_CASE("an RSA key from gpg: modulus and exponent") {
    GpgHome home("kprsa");
    home.gpg_ok({"--quick-gen-key", "rsa <rsa@example.test>", "rsa2048", "sign,cert", "never"});
    const std::string fpr = listed_fingerprints(home, "rsa@example.test")[0];
    std::string hex;
    for (unsigned char c : fpr) {
        static constexpr char d[] = "0123456789ABCDEF";
        hex += d[c >> 4];
        hex += d[c & 15];
    }
    home.gpg_ok({"--quick-add-key", hex, "rsa2048", "encr", "never"});
    auto block = parse_public_key_block(home.gpg_ok({"--export", hex}));
    REQUIRE(block.ok());
    REQUIRE(block->subkeys.size() == 1);
    CHECK(block->primary.algo == pk_rsa);
    const KeyMaterial& sub = block->subkeys[0];
    CHECK(sub.algo == pk_rsa);
    CHECK(sub.rsa_n.size() == 256);
    CHECK(static_cast<unsigned char>(sub.rsa_n[0]) >= 0x80);
    CHECK(sub.rsa_e == std::string("\x01\x00\x01", 3));
    CHECK(sub.fingerprint == listed_fingerprints(home, hex)[1]);
}

TEST_CASE("truncated and corrupted key data is refused, never read out of bounds") {
    GpgHome home("kpbad");
    const Made k = cv25519_key(home);
    const std::string& data = k.exported;
    // Every prefix: an error, or (cut between packets) a shorter but consistent block.
    std::size_t refused = 0;
    for (std::size_t n = 0; n < data.size(); ++n) {
        auto block = parse_public_key_block(std::string_view(data).substr(0, n));
        if (!block) {
            ++refused;
            CHECK(block.error().kind == cvd::core::ErrorKind::invalid_input);
        }
    }
    CHECK(refused + 10 > data.size());

    // The first packet is the primary key, old format with a 2-byte length (gpg's habit)
    // or new format.
    const auto first = static_cast<unsigned char>(data[0]);
    REQUIRE((first == 0x98 || first == 0x99 || first == 0xC6));
    const std::size_t body_at = first == 0x99 ? 3 : 2;
    std::string v5 = data;
    v5[body_at] = 5;
    CHECK_FALSE(parse_public_key_block(v5).ok());
    std::string v3 = data;
    v3[body_at] = 3;
    CHECK_FALSE(parse_public_key_block(v3).ok());
    std::string secret = data;
    secret[0] = static_cast<char>(0x95);  // old format, tag 5: secret key
    CHECK_FALSE(parse_public_key_block(secret).ok());
    if (first == 0x98) {  // ed25519 primary keys are short: a one-byte length
        const auto len = static_cast<unsigned char>(data[1]);
        std::string longer = data.substr(0, 2u + len);
        longer[1] = static_cast<char>(len + 1);  // a length past the end
        CHECK_FALSE(parse_public_key_block(longer).ok());
        CHECK(parse_public_key_block(data.substr(0, 2u + len)).ok());
    }
    CHECK_FALSE(parse_public_key_block("").ok());
    CHECK_FALSE(parse_public_key_block(std::string("\xB4\x00", 2)).ok());  // a user id first
    CHECK_FALSE(parse_public_key_block(std::string("\x9B", 1)).ok());      // indeterminate length
    CHECK_FALSE(parse_public_key_block(std::string("\xC6\xFF\xFF\xFF\xFF\xFF", 6)).ok());

    // The ECDH subkey with its KDF parameters cut short (the length says 3, bytes are 2).
    auto at = data.find(std::string(cv25519_oid));
    REQUIRE(at != std::string::npos);
    std::string bad_kdf = data;
    const std::size_t kdf_at = at + cv25519_oid.size() + 2 + 33;
    REQUIRE(bad_kdf[kdf_at] == 3);
    bad_kdf[kdf_at + 1] = 2;  // reserved byte must be 1
    CHECK_FALSE(parse_public_key_block(bad_kdf).ok());
}

TEST_CASE("new-format packet headers, literal data, one-pass signature, session key block") {
    auto header = [](std::size_t n) {
        auto p = new_packet(11, std::string(n, 'x'));
        REQUIRE(p.has_value());
        REQUIRE(p->size() > n);
        return p->substr(0, p->size() - n);
    };
    CHECK(header(0) == std::string("\xCB\x00", 2));
    CHECK(header(191) == "\xCB\xBF");
    CHECK(header(192) == std::string("\xCB\xC0\x00", 3));
    CHECK(header(8383) == "\xCB\xDF\xFF");
    CHECK(header(8384) == std::string("\xCB\xFF\x00\x00\x20\xC0", 6));
    CHECK(header(1u << 20) == std::string("\xCB\xFF\x00\x10\x00\x00", 6));

    CHECK(*literal_packet("hi") == std::string("\xCB\x08"
                                               "b\x00\x00\x00\x00\x00hi",
                                               10));
    CHECK(one_pass_signature_packet(HashAlgo::sha256, PubkeyAlgo::eddsa, "12345678") ==
          std::string("\xC4\x0D\x03\x00\x08\x16"
                      "12345678\x01",
                      15));
    CHECK(session_key_block(9, std::string("\x01\x02\xFF", 3)) ==
          std::string("\x09\x01\x02\xFF\x01\x02", 6));
    CHECK(cipher_key_size(cipher_aes128) == 16);
    CHECK(cipher_key_size(cipher_aes256) == 32);
    CHECK(cipher_key_size(2) == 0);

    CHECK(choose_cipher({{9, 8, 7, 2}, {9, 7}}) == cipher_aes256);
    CHECK(choose_cipher({{9, 8, 7, 2}, {7, 2}}) == cipher_aes128);
    CHECK(choose_cipher({{9, 8, 7, 2}, {}}) == 0);
    CHECK(choose_cipher({{9}, {7}}) == 0);
    CHECK(choose_cipher({}) == 0);
}

TEST_CASE("an ECDH session key packet opens with the recipient's X25519 secret") {
    std::string secret(32, '\0'), ephemeral(32, '\0');
    gcry_randomize(secret.data(), 32, GCRY_STRONG_RANDOM);
    gcry_randomize(ephemeral.data(), 32, GCRY_STRONG_RANDOM);
    std::string base(32, '\0');
    base[0] = 9;
    KeyMaterial k;
    k.algo = pk_ecdh;
    k.fingerprint = std::string(20, '\xAB');
    k.curve_oid = std::string(cv25519_oid);
    k.point = "\x40" + x25519(secret, base);
    k.kdf_hash = 8;
    k.kdf_cipher = cipher_aes128;
    const std::string block = session_key_block(cipher_aes256, std::string(32, 'K'));
    auto packet = ecdh_pkesk(k, block, ephemeral);
    REQUIRE(packet.has_value());

    // C1 len | 03 | key id | 12 | MPI 263 bits: 40 ‖ V | 48 | wrapped
    REQUIRE(packet->size() == 2 + 1 + 8 + 1 + 2 + 33 + 1 + 48);
    CHECK(packet->substr(0, 2) == std::string("\xC1") + static_cast<char>(packet->size() - 2));
    CHECK(packet->substr(2, 1) == "\x03");
    CHECK(packet->substr(3, 8) == k.key_id());
    CHECK(packet->substr(11, 3) == std::string("\x12\x01\x07", 3));
    const std::string v = packet->substr(15, 32);
    CHECK(packet->substr(14, 1) == "\x40");
    CHECK(v == x25519(ephemeral, base));
    CHECK(static_cast<unsigned char>((*packet)[47]) == 48);

    const std::string shared = x25519(secret, v);
    const std::string param = ecdh_kdf_param(k);
    CHECK(param.size() == 1 + 10 + 1 + 4 + 20 + 20);
    std::string kdf_in = std::string("\0\0\0\1", 4) + shared + param;
    unsigned char digest[32];
    gcry_md_hash_buffer(GCRY_MD_SHA256, digest, kdf_in.data(), kdf_in.size());
    gcry_cipher_hd_t h = nullptr;
    REQUIRE(gcry_cipher_open(&h, GCRY_CIPHER_AES128, GCRY_CIPHER_MODE_AESWRAP, 0) == 0);
    REQUIRE(gcry_cipher_setkey(h, digest, 16) == 0);
    std::string unwrapped(40, '\0');
    REQUIRE(gcry_cipher_decrypt(h, unwrapped.data(), 40, packet->data() + 48, 48) == 0);
    gcry_cipher_close(h);
    CHECK(unwrapped == block + std::string(5, '\x05'));

    // Not cv25519, or a point without gpg's prefix: refused.
    KeyMaterial other = k;
    other.curve_oid = "\x2A\x86\x48\xCE\x3D\x03\x01\x07";  // NIST P-256
    CHECK_FALSE(ecdh_pkesk(other, block, ephemeral));
    other = k;
    other.point[0] = 0x04;
    CHECK_FALSE(ecdh_pkesk(other, block, ephemeral));
    other = k;
    other.kdf_cipher = 2;
    CHECK_FALSE(ecdh_pkesk(other, block, ephemeral));
}

TEST_CASE("the encrypted data packet: prefix, plaintext and MDC under plain CFB") {
    const std::string key(32, 'k'), prefix = "0123456789abcdef", inner = "inner packets";
    auto packet = seipd_packet(cipher_aes256, key, prefix, inner);
    REQUIRE(packet.has_value());
    const std::size_t body = 1 + 18 + inner.size() + 22;
    REQUIRE(packet->size() == 2 + body);
    CHECK(packet->substr(0, 3) == std::string("\xD2") + static_cast<char>(body) + "\x01");
    gcry_cipher_hd_t h = nullptr;
    REQUIRE(gcry_cipher_open(&h, GCRY_CIPHER_AES256, GCRY_CIPHER_MODE_CFB, 0) == 0);
    REQUIRE(gcry_cipher_setkey(h, key.data(), key.size()) == 0);
    std::string plain(body - 1, '\0');
    REQUIRE(gcry_cipher_decrypt(h, plain.data(), plain.size(), packet->data() + 3, plain.size()) ==
            0);
    gcry_cipher_close(h);
    CHECK(plain.substr(0, 18) == prefix + "ef");
    CHECK(plain.substr(18, inner.size()) == inner);
    CHECK(plain.substr(18 + inner.size(), 2) == "\xD3\x14");
    unsigned char sha1[20];
    gcry_md_hash_buffer(GCRY_MD_SHA1, sha1, plain.data(), 18 + inner.size() + 2);
    CHECK(plain.substr(plain.size() - 20) == std::string(reinterpret_cast<char*>(sha1), 20));
    CHECK_FALSE(seipd_packet(cipher_aes256, "short", prefix, inner));
    CHECK_FALSE(seipd_packet(2, key, prefix, inner));
}
