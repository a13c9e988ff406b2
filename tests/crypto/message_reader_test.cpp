// The in-process message reader (message_reader.hpp) on messages built by the packet
// builders and by hand: what it accepts, and that it says no to damage and to what it does
// not judge. Its agreement with gpg is in direct_decrypt_test.cpp.

#include "message_reader.hpp"

#include <gcrypt.h>
#include <zlib.h>

#include <catch2/catch.hpp>

#include "cvdbot/crypto/armor.hpp"
#include "message_packets.hpp"
#include "pgp_world.hpp"
#include "signature_packet.hpp"

using namespace cvd::crypto;
using namespace cvd::crypto::detail;
using cvd::test::PgpWorld;

namespace {

std::string bytes(std::size_t n, char fill) {
    return std::string(n, fill);
}

std::string x25519(std::string_view scalar, std::string_view point) {
    unsigned char out[32];
    REQUIRE(gcry_ecc_mul_point(GCRY_ECC_CURVE25519, out,
                               reinterpret_cast<const unsigned char*>(scalar.data()),
                               reinterpret_cast<const unsigned char*>(point.data())) == 0);
    return std::string(reinterpret_cast<const char*>(out), 32);
}

// A cv25519 recipient whose secret scalar the test knows.
struct Recipient {
    std::string secret = bytes(32, '\x11');
    KeyMaterial key;
    Recipient() {
        init_gcrypt();
        key.algo = pk_ecdh;
        key.curve_oid = std::string(cv25519_oid);
        static constexpr char base[32] = {9};
        key.point = "\x40" + x25519(secret, std::string_view(base, 32));
        key.kdf_hash = 8;
        key.kdf_cipher = cipher_aes128;
        key.fingerprint = bytes(20, '\x42');
    }
};

std::string literal(char format, std::string_view name, std::string_view data) {
    std::string body{format};
    body.push_back(static_cast<char>(name.size()));
    body += name;
    body += bytes(4, '\0');
    body += data;
    return *new_packet(11, body);
}

// A new-format packet whose body is sent in partial chunks of 512 bytes.
std::string partial_packet(int tag, std::string_view body) {
    std::string out(1, static_cast<char>(0xC0 | tag));
    while (body.size() > 512) {
        out.push_back(static_cast<char>(0xE9));  // 2^9
        out += body.substr(0, 512);
        body.remove_prefix(512);
    }
    out += new_packet(tag, body)->substr(1);
    return out;
}

std::string compressed(int algo, std::string_view data) {
    z_stream z{};
    REQUIRE(deflateInit2(&z, 9, Z_DEFLATED, algo == 2 ? 15 : -15, 8, Z_DEFAULT_STRATEGY) == Z_OK);
    std::string out(deflateBound(&z, data.size()), '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    z.avail_in = static_cast<uInt>(data.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    REQUIRE(deflate(&z, Z_FINISH) == Z_STREAM_END);
    out.resize(z.total_out);
    deflateEnd(&z);
    // Old format, indeterminate length, as gpg writes it.
    return std::string(1, static_cast<char>(0xA3)) + static_cast<char>(algo) + out;
}

// A signature packet body with these hashed subpackets (type byte, then the body).
std::string signature_body(const std::vector<std::string>& hashed_subpackets) {
    std::string hashed;
    for (const auto& sp : hashed_subpackets) {
        hashed.push_back(static_cast<char>(sp.size()));
        hashed += sp;
    }
    std::string body("\x04\x00\x16\x08", 4);  // v4, binary, EdDSA, SHA-256
    put16(body, hashed.size());
    body += hashed;
    put16(body, 0);
    body += "\xAB\xCD";
    body += mpi(bytes(32, '\x01'));
    body += mpi(bytes(32, '\x02'));
    return body;
}

// A session key packet to an RSA key: listed, its value not read.
std::string rsa_pkesk_stub() {
    return "\xC1\x0A\x03" + bytes(8, 'k') + "\x01";
}

std::string created_subpacket() {
    return std::string("\x02\x60\x00\x00\x00", 5);
}
std::string issuer_subpacket() {
    return "\x21\x04" + bytes(20, '\x33');
}

}  // namespace

TEST_CASE("ECDH: the session key comes back from the shared point, and only from it") {
    Recipient r;
    const std::string session = bytes(32, '\x5A');
    const std::string ephemeral_secret = bytes(32, '\x23');
    auto pkesk = ecdh_pkesk(r.key, session_key_block(cipher_aes256, session), ephemeral_secret);
    REQUIRE(pkesk);
    auto seipd = seipd_packet(cipher_aes256, session, bytes(16, 'p'), literal('b', "", "x"));
    REQUIRE(seipd);
    auto message = read_encrypted_message(*pkesk + *seipd);
    REQUIRE(message.ok());
    REQUIRE(message->session_keys.size() == 1);
    const auto& esk = message->session_keys[0];
    CHECK(esk.key_id == r.key.key_id());
    REQUIRE(esk.ephemeral.size() == 33);
    const std::string shared = x25519(r.secret, std::string_view(esk.ephemeral).substr(1));
    auto key = ecdh_session_key(r.key, "\x40" + shared, esk.wrapped);
    REQUIRE(key.ok());
    CHECK(key->cipher == cipher_aes256);
    CHECK(key->key == session);
    // The agent may answer without the 0x40 prefix.
    CHECK(ecdh_session_key(r.key, shared, esk.wrapped).ok());
    // Another point (another key) does not unwrap.
    std::string wrong = shared;
    wrong[5] ^= 1;
    CHECK_FALSE(ecdh_session_key(r.key, wrong, esk.wrapped).ok());
    std::string damaged = esk.wrapped;
    damaged[3] ^= 1;
    CHECK_FALSE(ecdh_session_key(r.key, shared, damaged).ok());
}

TEST_CASE("SEIPD: the quick check and the MDC guard the data") {
    const std::string key = bytes(16, '\x07');
    const std::string inner = literal('b', "", bytes(200, 't'));
    auto seipd = seipd_packet(cipher_aes128, key, bytes(16, 'r'), inner);
    REQUIRE(seipd);
    auto message = read_encrypted_message(rsa_pkesk_stub() + *seipd);
    REQUIRE(message.ok());
    auto opened = open_protected_data({cipher_aes128, key}, message->encrypted);
    REQUIRE(opened.ok());
    CHECK(*opened == inner);

    SECTION("a changed byte in the data") {
        std::string changed = message->encrypted;
        changed[20] ^= 0x01;
        auto o = open_protected_data({cipher_aes128, key}, changed);
        REQUIRE_FALSE(o.ok());
        CHECK_THAT(o.error().message, Catch::Contains("MDC does not match"));
    }
    SECTION("the wrong session key") {
        auto o = open_protected_data({cipher_aes128, bytes(16, '\x08')}, message->encrypted);
        REQUIRE_FALSE(o.ok());
        CHECK_THAT(o.error().message, Catch::Contains("quick check"));
    }
    SECTION("cut short") {
        CHECK_FALSE(open_protected_data({cipher_aes128, key}, bytes(30, 'x')).ok());
    }
}

TEST_CASE("the message's framing: only session keys, then one SEIPD v1") {
    const std::string pkesk = rsa_pkesk_stub();
    const std::string seipd = *new_packet(18, "\x01" + bytes(60, 'e'));
    CHECK(read_encrypted_message(pkesk + seipd).ok());
    CHECK_FALSE(read_encrypted_message(seipd).ok());                        // no session key
    CHECK_FALSE(read_encrypted_message(pkesk).ok());                        // no data
    CHECK_FALSE(read_encrypted_message(pkesk + seipd + pkesk).ok());        // after the data
    CHECK_FALSE(read_encrypted_message(pkesk + *new_packet(9, "x")).ok());  // no MDC (SED)
    CHECK_FALSE(read_encrypted_message(pkesk + *new_packet(18, "\x02" + bytes(60, 'e'))).ok());
    CHECK_FALSE(read_encrypted_message(pkesk + seipd.substr(0, seipd.size() - 1)).ok());
    // Partial body lengths, as gpg writes data of unknown length.
    auto partial = read_encrypted_message(pkesk + partial_packet(18, "\x01" + bytes(3000, 'e')));
    REQUIRE(partial.ok());
    CHECK(partial->encrypted == bytes(3000, 'e'));
}

TEST_CASE("literal data: alone, compressed, partial, MIME; bombs and odd layouts refused") {
    std::string big;
    for (int i = 0; i < 3000; ++i) big += "line " + std::to_string(i) + "\n";
    SECTION("MIME with a file name") {
        auto c = read_literal_content(literal('m', "msg.eml", "MIME-Version: 1.0\n"), 1 << 20);
        REQUIRE(c.ok());
        CHECK(c->format == 'm');
        CHECK(c->file_name == "msg.eml");
        CHECK(c->data == "MIME-Version: 1.0\n");
        CHECK_FALSE(c->signature);
    }
    SECTION("ZIP and ZLIB") {
        for (int algo : {1, 2}) {
            auto c = read_literal_content(compressed(algo, literal('b', "", big)), 1 << 20);
            REQUIRE(c.ok());
            CHECK(c->data == big);
        }
    }
    SECTION("partial body lengths") {
        std::string body = "b";
        body += '\0';
        body += bytes(4, '\0') + big;
        auto c = read_literal_content(partial_packet(11, body), 1 << 20);
        REQUIRE(c.ok());
        CHECK(c->data == big);
    }
    SECTION("a decompression bomb") {
        const std::string zeros(8 << 20, '\0');
        auto c = read_literal_content(compressed(2, literal('b', "", zeros)), 1 << 20);
        REQUIRE_FALSE(c.ok());
        CHECK_THAT(c.error().message, Catch::Contains("expands beyond"));
    }
    SECTION("truncated compression") {
        std::string packet = compressed(2, literal('b', "", big));
        CHECK_FALSE(read_literal_content(packet.substr(0, packet.size() / 2), 1 << 20).ok());
    }
    SECTION("compressed twice, unknown algorithms, extra packets") {
        CHECK_FALSE(
            read_literal_content(compressed(1, compressed(1, literal('b', "", "x"))), 1 << 20)
                .ok());
        CHECK_FALSE(read_literal_content(compressed(3, "x"), 1 << 20).ok());
        CHECK_FALSE(
            read_literal_content(literal('b', "", "x") + literal('b', "", "y"), 1 << 20).ok());
        CHECK_FALSE(read_literal_content(literal('x', "", "x"), 1 << 20).ok());
        CHECK_FALSE(read_literal_content(literal('b', "", big), 100).ok());
    }
}

TEST_CASE("a one-pass signed literal in partial chunks, then its signature in one piece") {
    // Regression: the signature packet after a partial-length one was read as a continuation
    // of it (the chunk buffer was still full), and the message was refused.
    std::string body = "b";
    body += '\0';
    body += bytes(4, '\0') + bytes(1500, 'd');
    const std::string packets =
        one_pass_signature_packet(HashAlgo::sha256, PubkeyAlgo::eddsa, bytes(8, '\x33')) +
        partial_packet(11, body) +
        *new_packet(2, signature_body({created_subpacket(), issuer_subpacket()}));
    auto c = read_literal_content(packets, 1 << 20);
    INFO((c.ok() ? std::string() : c.error().message));
    REQUIRE(c.ok());
    CHECK(c->data == bytes(1500, 'd'));
    REQUIRE(c->signature);
    CHECK(c->signature->issuer_key_id == bytes(8, '\x33'));
}

TEST_CASE("signature packets: what the reader judges and what it leaves to gpg") {
    auto ok = read_signature(signature_body({created_subpacket(), issuer_subpacket()}));
    REQUIRE(ok.ok());
    CHECK(ok->created == 0x60000000u);
    CHECK(ok->issuer_fingerprint == bytes(20, '\x33'));
    CHECK(ok->issuer_key_id == bytes(8, '\x33'));
    CHECK(ok->values.size() == 2);
    CHECK(ok->hashed_part.size() ==
          6 + created_subpacket().size() + 1 + issuer_subpacket().size() + 1);

    auto refused = [](const std::vector<std::string>& sps, std::string_view why) {
        auto s = read_signature(signature_body(sps));
        REQUIRE_FALSE(s.ok());
        CHECK_THAT(s.error().message, Catch::Contains(std::string(why)));
    };
    refused({issuer_subpacket()}, "without a creation time");
    refused({created_subpacket()}, "names no issuer");
    refused({created_subpacket(), issuer_subpacket(), std::string("\x03\x00\x00\x01\x00", 5)},
            "expiry");
    refused({created_subpacket(), issuer_subpacket(), std::string("\xE5\x01", 2)},
            "critical signature subpacket 101");
    // Not critical: ignored, as gpg does.
    CHECK(read_signature(
              signature_body({created_subpacket(), issuer_subpacket(), std::string("\x65\x01", 2)}))
              .ok());
    std::string text_mode = signature_body({created_subpacket(), issuer_subpacket()});
    text_mode[1] = 0x01;
    CHECK_FALSE(read_signature(text_mode).ok());
}

TEST_CASE("Ed25519: values with leading zero bytes verify, changed data does not") {
    auto& w = PgpWorld::get();
    auto exported = w.bot.export_public_key(w.bot_fingerprint, false, true);
    REQUIRE(exported.ok());
    auto block = parse_public_key_block(*exported);
    REQUIRE(block.ok());
    // Ed25519 is deterministic: try data until r or s has a leading zero byte (the MPI drops
    // it), one in 128 on average.
    int tries = 0;
    bool short_value = false;
    for (; tries < 3000 && !short_value; ++tries) {
        const std::string data = "data " + std::to_string(tries);
        auto sig = w.bot.sign_detached(data);
        REQUIRE(sig.ok());
        auto packet = binary_message(sig->armored);
        REQUIRE(packet);
        const std::size_t header = (static_cast<unsigned char>((*packet)[0]) & 0x03) == 0 ? 2 : 3;
        auto s = read_signature(packet->substr(header));
        REQUIRE(s.ok());
        short_value = s->values[0].size() < 32 || s->values[1].size() < 32;
        if (!short_value && tries > 3) continue;
        auto good = signature_verifies(*s, data, block->primary);
        REQUIRE(good.ok());
        CHECK(*good);
        auto bad = signature_verifies(*s, data + "!", block->primary);
        REQUIRE(bad.ok());
        CHECK_FALSE(*bad);
    }
    CHECK(short_value);
}
