// Recognising OpenPGP data in text and attachments, and the Autocrypt header: no gpg needed.

#include "cvdbot/crypto/armor.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <random>

#include "cvdbot/crypto/autocrypt.hpp"

using namespace cvd::crypto;

namespace {

const char* const clear_signed =
    "-----BEGIN PGP SIGNED MESSAGE-----\n"
    "Hash: SHA256\n"
    "\n"
    "accept\n"
    "- -----BEGIN PGP SIGNATURE-----\n"
    "-----BEGIN PGP SIGNATURE-----\n"
    "\n"
    "iHUEARYIAB0WIQQ=\n"
    "=abcd\n"
    "-----END PGP SIGNATURE-----\n";

}  // namespace

TEST_CASE("armored blocks in a mail body") {
    const std::string text =
        std::string("Hello,\n\n") +
        "-----BEGIN PGP MESSAGE-----\r\n\r\nhQEMA1234\r\n=xyzw\r\n"
        "-----END PGP MESSAGE-----\r\n"
        "between\n" +
        clear_signed +
        "> -----BEGIN PGP MESSAGE-----\n> quoted\n> -----END PGP MESSAGE-----\n"
        "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmDMEX\n-----END PGP PUBLIC KEY BLOCK-----"
        "\nbye\n";
    auto blocks = find_armored_blocks(text);
    REQUIRE(blocks.size() == 3);
    CHECK(blocks[0].kind == PgpKind::message);
    CHECK(text.substr(blocks[0].begin, 27) == "-----BEGIN PGP MESSAGE-----");
    CHECK(text.substr(blocks[0].end, 7) == "between");
    CHECK(blocks[1].kind == PgpKind::signed_message);
    CHECK(text.substr(blocks[1].end, 2) == "> ");  // the signature's END, not the escaped line
    CHECK(blocks[2].kind == PgpKind::public_key);
    CHECK(text.substr(blocks[2].end) == "bye\n");
}

TEST_CASE("unclosed and unknown blocks are not blocks") {
    CHECK(find_armored_blocks("-----BEGIN PGP MESSAGE-----\n\nabc\n").empty());
    CHECK(find_armored_blocks(
              "-----BEGIN PGP MESSAGE, PART 1/2-----\nx\n-----END PGP MESSAGE, PART 1/2-----\n")
              .empty());
    CHECK(find_armored_blocks("-----BEGIN PGP SIGNED MESSAGE-----\n\ntext without signature\n")
              .empty());
    CHECK(find_armored_blocks("").empty());
    std::string many;
    for (int i = 0; i < 100; ++i)
        many += "-----BEGIN PGP MESSAGE-----\nx\n-----END PGP MESSAGE-----\n";
    CHECK(find_armored_blocks(many, 5).size() == 5);
}

TEST_CASE("classify armored and binary data") {
    CHECK(classify("\n  -----BEGIN PGP MESSAGE-----\n") == PgpKind::message);
    CHECK(classify(clear_signed) == PgpKind::signed_message);
    CHECK(classify("-----BEGIN PGP SIGNATURE-----\n") == PgpKind::signature);
    CHECK(classify("-----BEGIN PGP PRIVATE KEY BLOCK-----\n") == PgpKind::secret_key);
    CHECK(classify("-----BEGIN PGP PUBLIC KEY BLOCK-----\n") == PgpKind::public_key);
    CHECK(classify("Hello") == PgpKind::none);
    CHECK(classify("") == PgpKind::none);
    // New-format headers: tag 1 (session key), 6 (public key), 5 (secret key), 2 (signature).
    CHECK(classify(std::string("\xC1\x02\x03\x04", 4)) == PgpKind::message);
    CHECK(classify(std::string("\xC6\x01\x04", 3)) == PgpKind::public_key);
    CHECK(classify(std::string("\xC5\x01\x04", 3)) == PgpKind::secret_key);
    CHECK(classify(std::string("\xC2\x01\x04", 3)) == PgpKind::signature);
    // A signature followed by literal data: an old-style signed message.
    CHECK(classify(std::string("\xC2\x01\x04\xCB\x01\x62", 6)) == PgpKind::message);
    // Old-format header, tag 6, one length byte.
    CHECK(classify(std::string("\x98\x01\x04", 3)) == PgpKind::public_key);
}

TEST_CASE("random bytes are rarely taken for OpenPGP data (a capture is not decoded whole)") {
    // About one random first byte in five reads as a message, signature or key packet header;
    // the version or format octet after the header rules nearly all of those out.
    std::mt19937 random(20261126);
    int taken = 0;
    constexpr int kSamples = 20000;
    for (int i = 0; i < kSamples; ++i) {
        std::string bytes(64, '\0');
        for (auto& c : bytes) c = static_cast<char>(random() & 0xFF);
        if (classify(bytes) != PgpKind::none) ++taken;
    }
    INFO(taken << " of " << kSamples << " random buffers classified as OpenPGP data");
    CHECK(taken < kSamples / 200);  // under 0.5 %; ~17 % by the packet tag alone
    // What real packets start with still counts; bad version octets do not.
    CHECK(classify(std::string("\xC1\x02\x07\x04", 4)) == PgpKind::none);
    CHECK(classify(std::string("\xD2\x02\x01\x00", 4)) == PgpKind::message);  // SEIPD v1
    CHECK(classify(std::string("\xD2\x02\x09\x00", 4)) == PgpKind::none);
    CHECK(classify(std::string("\xA3\x78", 2)) == PgpKind::none);     // compressed, algorithm 120
    CHECK(classify(std::string("\xA3\x01", 2)) == PgpKind::message);  // compressed, ZIP
    CHECK(classify(std::string("\xA4\x02\x55\x55", 4)) == PgpKind::none);      // SED, no MDC
    CHECK(classify(std::string("\xCB\x03\x78\x00\x00", 5)) == PgpKind::none);  // literal 'x'
}

TEST_CASE("packet walk: partial lengths, truncation, secret packets anywhere") {
    // Public key (tag 6), then a secret subkey (tag 7) with a two-byte length.
    std::string data("\xC6\x01\x04", 3);
    data += std::string("\xC7\xC0\x00", 3) + std::string(192, 'k');
    CHECK(packet_tags(data) == std::vector<int>{6, 7});
    CHECK(contains_secret_key(data));
    // Partial body length: 2^1 bytes, then a final 1-byte chunk; then a literal packet.
    std::string partial("\xCB\xE1xy\x01z\xCB\x00", 8);
    CHECK(packet_tags(partial) == std::vector<int>{11, 11});
    // Truncated packet: the tag is still reported, the walk ends.
    CHECK(packet_tags(std::string("\xC6\x10\x04", 3)) == std::vector<int>{6});
    CHECK(packet_tags("text").empty());
    CHECK_FALSE(contains_secret_key(std::string("\xC6\x01\x04", 3)));
    CHECK(contains_secret_key("-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nlQ\n"));
    CHECK_FALSE(contains_secret_key("just text"));
}

TEST_CASE("Autocrypt header: parse and format") {
    const std::string key = std::string("\xC6\x01\x04", 3) + std::string(300, 'k');
    const std::string value = format_autocrypt("bot@example.test", key);
    CHECK(value.rfind("addr=bot@example.test; prefer-encrypt=mutual; keydata=", 0) == 0);
    // Folding points: no word longer than the composer's encoded-word threshold.
    std::size_t word = 0, longest = 0;
    for (char c : value) {
        word = c == ' ' ? 0 : word + 1;
        longest = std::max(longest, word);
    }
    CHECK(longest <= 76);
    auto parsed = parse_autocrypt(value);
    REQUIRE(parsed.ok());
    CHECK(parsed->address == "bot@example.test");
    CHECK(parsed->prefer_encrypt_mutual);
    CHECK(parsed->keydata == key);

    auto folded =
        parse_autocrypt("addr=Alice@Example.TEST; _ignored=x; keydata=\r\n xsBN\r\n AQ==");
    REQUIRE(folded.ok());
    CHECK(folded->address == "alice@example.test");
    CHECK_FALSE(folded->prefer_encrypt_mutual);
    CHECK(folded->keydata == std::string("\xC6\xC0\x4D\x01", 4));

    CHECK_FALSE(parse_autocrypt("addr=a@b.test; keydata=!!!").ok());
    CHECK_FALSE(parse_autocrypt("keydata=xsBN").ok());
    CHECK_FALSE(parse_autocrypt("addr=a@b.test").ok());
    CHECK_FALSE(parse_autocrypt("addr=a@b.test; critical=1; keydata=xsBN").ok());
    CHECK_FALSE(parse_autocrypt("").ok());
}
