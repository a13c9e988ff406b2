// Incoming: what other OpenPGP clients (the gpg command line) send, opened by the bot.

#include <catch2/catch.hpp>

#include "cvdbot/crypto/armor.hpp"
#include "cvdbot/crypto/keyring.hpp"
#include "pgp_world.hpp"

using namespace cvd::crypto;
using cvd::test::PgpWorld;

namespace {

std::string damage(std::string armored) {
    // Flip characters in the middle of the base64 body (not in the armor lines).
    const std::size_t body = armored.find("\n\n") + 2;
    const std::size_t at = body + (armored.find("\n=", body) - body) / 2;
    for (std::size_t i = at; i < at + 8; ++i)
        if (armored[i] != '\n') armored[i] = armored[i] == 'A' ? 'B' : 'A';
    return armored;
}

}  // namespace

TEST_CASE("signed and encrypted by the discoverer: text, our key, good signature") {
    auto& w = PgpWorld::get();
    const std::string ciphertext =
        w.discoverer().encrypt_to(w.bot_fingerprint, "SQL injection in /login\n", true);
    auto d = w.bot.decrypt(ciphertext);
    REQUIRE(d.ok());
    CHECK(d->ok());
    CHECK(d->problem.empty());
    CHECK(d->plaintext == "SQL injection in /login\n");
    CHECK(d->decrypted_with == w.bot_fingerprint);
    CHECK_FALSE(d->recipient_key_ids.empty());
    REQUIRE(d->signatures.size() == 1);
    CHECK(d->signatures[0].status == SignatureStatus::good);
    CHECK(d->signatures[0].fingerprint == w.discoverer().fingerprint);
    CHECK(d->signatures[0].signer_addresses == std::vector<std::string>{"disc@example.test"});
    CHECK(d->signatures[0].created.has_value());
}

TEST_CASE("encrypted, not signed") {
    auto& w = PgpWorld::get();
    auto d = w.bot.decrypt(w.discoverer().encrypt_to(w.bot_fingerprint, "plain report\n", false));
    REQUIRE(d.ok());
    CHECK(d->ok());
    CHECK(d->plaintext == "plain report\n");
    CHECK(d->signatures.empty());
    CHECK(main_signature(d->signatures) == nullptr);
}

TEST_CASE("binary (not armored) ciphertext") {
    auto& w = PgpWorld::get();
    const std::string binary = w.discoverer().gpg(
        {"--always-trust", "--encrypt", "-r", w.bot_fingerprint}, "binary form\n");
    CHECK(classify(binary) == PgpKind::message);
    auto d = w.bot.decrypt(binary);
    REQUIRE(d.ok());
    CHECK(d->plaintext == "binary form\n");
}

TEST_CASE("encrypted to a key that is not ours: says which key and offers ours") {
    auto& w = PgpWorld::get();
    auto d =
        w.bot.decrypt(w.discoverer().encrypt_to(w.vendor().fingerprint, "for the vendor\n", true));
    REQUIRE(d.ok());
    CHECK(d->status == DecryptStatus::not_for_us);
    CHECK(d->plaintext.empty());
    REQUIRE(d->recipient_key_ids.size() == 1);
    CHECK(d->problem.find("0x" + d->recipient_key_ids[0]) != std::string::npos);
    CHECK(d->problem.find("not one of ours") != std::string::npos);
    CHECK(d->problem.find(w.bot_fingerprint) != std::string::npos);
}

TEST_CASE("hidden recipient that is not us") {
    auto& w = PgpWorld::get();
    auto d = w.bot.decrypt(w.discoverer().gpg(
        {"--armor", "--always-trust", "--encrypt", "--hidden-recipient", w.vendor().fingerprint},
        "x\n"));
    REQUIRE(d.ok());
    CHECK(d->status == DecryptStatus::not_for_us);
    CHECK(d->problem.find("hidden") != std::string::npos);
}

TEST_CASE("hidden recipient that is us still opens") {
    auto& w = PgpWorld::get();
    auto d = w.bot.decrypt(w.discoverer().gpg(
        {"--armor", "--always-trust", "--encrypt", "--hidden-recipient", w.bot_fingerprint},
        "hidden\n"));
    REQUIRE(d.ok());
    CHECK(d->ok());
    CHECK(d->plaintext == "hidden\n");
}

TEST_CASE("corrupt ciphertext is the message's fault, not an error") {
    auto& w = PgpWorld::get();
    const std::string good =
        w.discoverer().encrypt_to(w.bot_fingerprint, std::string(2000, 'x'), true);
    auto d = w.bot.decrypt(damage(good));
    REQUIRE(d.ok());
    CHECK(d->status == DecryptStatus::corrupt);
    CHECK_FALSE(d->problem.empty());

    auto truncated = w.bot.decrypt(good.substr(0, good.size() / 2));
    REQUIRE(truncated.ok());
    CHECK_FALSE(truncated->ok());

    auto garbage = w.bot.decrypt("this is not OpenPGP at all\n");
    REQUIRE(garbage.ok());
    CHECK(garbage->status == DecryptStatus::corrupt);
    CHECK(garbage->problem.find("no OpenPGP data") != std::string::npos);

    auto empty_armor = w.bot.decrypt("-----BEGIN PGP MESSAGE-----\n\n-----END PGP MESSAGE-----\n");
    REQUIRE(empty_armor.ok());
    CHECK(empty_armor->status == DecryptStatus::corrupt);
}

TEST_CASE("password-encrypted (symmetric) messages are refused with a reason") {
    auto& w = PgpWorld::get();
    const std::string sym = w.discoverer().home->gpg_ok(
        {"--armor", "--symmetric", "--passphrase", "secret123", "--cipher-algo", "AES256"}, "pw\n");
    auto d = w.bot.decrypt(sym);
    REQUIRE(d.ok());
    CHECK(d->status == DecryptStatus::password_only);
    CHECK(d->problem.find("password") != std::string::npos);
}

TEST_CASE("signed and encrypted by someone whose key we lack: decrypted, unknown_key") {
    auto& w = PgpWorld::get();
    auto d = w.bot.decrypt(w.stranger().encrypt_to(w.bot_fingerprint, "who am I\n", true));
    REQUIRE(d.ok());
    CHECK(d->ok());
    CHECK(d->plaintext == "who am I\n");
    REQUIRE(d->signatures.size() == 1);
    CHECK(d->signatures[0].status == SignatureStatus::unknown_key);
    // gpg 2.2 signatures carry the issuer fingerprint: we can ask for exactly that key.
    CHECK(d->signatures[0].fingerprint == w.stranger().fingerprint);
    CHECK(d->signatures[0].problem.find("send your public key") != std::string::npos);
}

TEST_CASE("clear-signed text: good, bad, unknown, expired, revoked") {
    auto& w = PgpWorld::get();
    SECTION("good") {
        auto v = w.bot.verify_inline(w.coordinator().clearsign("accept\n"));
        REQUIRE(v.ok());
        REQUIRE(v->signatures.size() == 1);
        CHECK(v->signatures[0].status == SignatureStatus::good);
        CHECK(v->signatures[0].fingerprint == w.coordinator().fingerprint);
        CHECK(v->plaintext == "accept\n");
    }
    SECTION("bad: text changed after signing") {
        std::string signed_text = w.coordinator().clearsign("set publication-date 2027-01-15\n");
        signed_text.replace(signed_text.find("2027"), 4, "2026");
        auto v = w.bot.verify_inline(signed_text);
        REQUIRE(v.ok());
        REQUIRE(v->signatures.size() == 1);
        CHECK(v->signatures[0].status == SignatureStatus::bad);
        CHECK(v->signatures[0].problem.find("changed after it was signed") != std::string::npos);
    }
    SECTION("unknown signer") {
        auto v = w.bot.verify_inline(w.stranger().clearsign("hello\n"));
        REQUIRE(v.ok());
        REQUIRE(v->signatures.size() == 1);
        CHECK(v->signatures[0].status == SignatureStatus::unknown_key);
        CHECK(v->plaintext == "hello\n");
    }
    SECTION("expired key") {
        auto v = w.bot.verify_inline(w.expired_clearsigned());
        REQUIRE(v.ok());
        REQUIRE(v->signatures.size() == 1);
        CHECK(v->signatures[0].status == SignatureStatus::expired);
        CHECK(v->signatures[0].fingerprint == w.expired().fingerprint);
        CHECK(v->signatures[0].problem.find("expired") != std::string::npos);
    }
    SECTION("revoked key") {
        auto v = w.bot.verify_inline(w.revoked_clearsigned());
        REQUIRE(v.ok());
        REQUIRE(v->signatures.size() == 1);
        CHECK(v->signatures[0].status == SignatureStatus::revoked);
        CHECK(v->signatures[0].problem.find("revoked") != std::string::npos);
    }
}

TEST_CASE("detached signatures over exact bytes") {
    auto& w = PgpWorld::get();
    const std::string part = "Content-Type: text/plain; charset=utf-8\r\n\r\nreport body\r\n";
    const std::string sig = w.discoverer().detach_sign(part);
    auto good = w.bot.verify_detached(part, sig);
    REQUIRE(good.ok());
    REQUIRE(good->signatures.size() == 1);
    CHECK(good->signatures[0].status == SignatureStatus::good);
    CHECK(good->signatures[0].fingerprint == w.discoverer().fingerprint);

    std::string changed = part;
    changed.replace(changed.find("report"), 6, "REPORT");
    auto bad = w.bot.verify_detached(changed, sig);
    REQUIRE(bad.ok());
    REQUIRE(bad->signatures.size() == 1);
    CHECK(bad->signatures[0].status == SignatureStatus::bad);

    auto junk = w.bot.verify_detached(
        part, "-----BEGIN PGP SIGNATURE-----\n\nAAAA\n-----END PGP SIGNATURE-----\n");
    REQUIRE(junk.ok());
    REQUIRE(junk->signatures.size() == 1);
    CHECK(junk->signatures[0].status == SignatureStatus::error);
}

TEST_CASE("opaque signed (gpg --sign) data verifies inline") {
    auto& w = PgpWorld::get();
    auto v = w.bot.verify_inline(w.discoverer().gpg({"--armor", "--sign"}, "opaque\n"));
    REQUIRE(v.ok());
    REQUIRE(v->signatures.size() == 1);
    CHECK(v->signatures[0].status == SignatureStatus::good);
    CHECK(v->plaintext == "opaque\n");
}

TEST_CASE("opaque signed data changed after signing is bad, not an error") {
    auto& w = PgpWorld::get();
    std::string blob = w.discoverer().gpg({"--compress-algo", "none", "--sign"}, "pay 100 yen\n");
    const std::size_t at = blob.find("100");
    REQUIRE(at != std::string::npos);
    blob[at] = '9';
    auto v = w.bot.verify_inline(blob);
    REQUIRE(v.ok());
    REQUIRE(v->signatures.size() == 1);
    CHECK(v->signatures[0].status == SignatureStatus::bad);
}

TEST_CASE("signed and encrypted with a bad signature: decrypted and reported bad") {
    auto& w = PgpWorld::get();
    // Sign, change the signed text, then encrypt those packets as they are (--no-literal), as
    // a forger without the signer's key would.
    std::string blob = w.discoverer().gpg({"--compress-algo", "none", "--sign"}, "pay 100 yen\n");
    blob[blob.find("100")] = '9';
    const std::string ciphertext =
        w.discoverer().gpg({"--armor", "--always-trust", "--no-literal", "--compress-algo", "none",
                            "--encrypt", "-r", w.bot_fingerprint},
                           blob);
    auto d = w.bot.decrypt(ciphertext);
    REQUIRE(d.ok());
    CHECK(d->ok());
    CHECK(d->plaintext == "pay 900 yen\n");
    REQUIRE(d->signatures.size() == 1);
    CHECK(d->signatures[0].status == SignatureStatus::bad);
}
