// Outgoing: what the bot encrypts and signs, checked by the recipient's own gpg holding only
// the recipient's key (and the bot's public key).

#include <catch2/catch.hpp>

#include "cvdbot/crypto/keyring.hpp"
#include "pgp_world.hpp"

using namespace cvd::crypto;
using cvd::test::PgpWorld;

TEST_CASE("encrypted and signed to the discoverer: their gpg decrypts and verifies it") {
    auto& w = PgpWorld::get();
    const std::string text = "Thank you for your report.\r\n受付番号 CVD#2026-0042\r\n";
    auto ciphertext = w.bot.encrypt(text, {w.discoverer().fingerprint});
    REQUIRE(ciphertext.ok());
    CHECK(ciphertext->rfind("-----BEGIN PGP MESSAGE-----", 0) == 0);

    auto r = w.discoverer().home->gpg({"--status-fd", "2", "--decrypt"}, *ciphertext);
    INFO(r.err);
    REQUIRE(r.status == 0);
    CHECK(r.out == text);
    CHECK(r.err.find("[GNUPG:] GOODSIG") != std::string::npos);
    CHECK(r.err.find("[GNUPG:] VALIDSIG " + w.bot_fingerprint) != std::string::npos);

    // The vendor holds neither key: it cannot read it.
    auto vendor = w.vendor().home->gpg({"--decrypt"}, *ciphertext);
    CHECK(vendor.status != 0);

    // Encrypted to the bot too: the archive stays readable.
    auto own = w.bot.decrypt(*ciphertext);
    REQUIRE(own.ok());
    CHECK(own->ok());
    CHECK(own->plaintext == text);
    REQUIRE(own->signatures.size() == 1);
    CHECK(own->signatures[0].status == SignatureStatus::good);
    CHECK(own->signatures[0].fingerprint == w.bot_fingerprint);
}

TEST_CASE("encryption without signature and without our own key") {
    auto& w = PgpWorld::get();
    EncryptOptions options;
    options.sign = false;
    options.encrypt_to_self = false;
    auto ciphertext = w.bot.encrypt("only for the vendor\n", {w.vendor().fingerprint}, options);
    REQUIRE(ciphertext.ok());
    auto own = w.bot.decrypt(*ciphertext);
    REQUIRE(own.ok());
    CHECK(own->status == DecryptStatus::not_for_us);
    auto r = w.vendor().home->gpg({"--status-fd", "2", "--decrypt"}, *ciphertext);
    REQUIRE(r.status == 0);
    CHECK(r.out == "only for the vendor\n");
    CHECK(r.err.find("GOODSIG") == std::string::npos);
}

TEST_CASE("unusable recipients are errors that name the key and what to do") {
    auto& w = PgpWorld::get();
    auto revoked = w.bot.encrypt("x", {w.revoked().fingerprint});
    REQUIRE_FALSE(revoked.ok());
    CHECK(revoked.error().kind == cvd::core::ErrorKind::crypto);
    CHECK(revoked.error().message.find("revoked") != std::string::npos);
    CHECK(revoked.error().message.find(w.revoked().fingerprint) != std::string::npos);

    auto expired = w.bot.encrypt("x", {w.expired().fingerprint});
    REQUIRE_FALSE(expired.ok());
    CHECK(expired.error().kind == cvd::core::ErrorKind::crypto);
    CHECK(expired.error().message.find("expired") != std::string::npos);

    auto unknown = w.bot.encrypt("x", {w.stranger().fingerprint});
    REQUIRE_FALSE(unknown.ok());
    CHECK(unknown.error().kind == cvd::core::ErrorKind::not_found);

    auto malformed = w.bot.encrypt("x", {"not-a-fingerprint"});
    REQUIRE_FALSE(malformed.ok());
    CHECK(malformed.error().kind == cvd::core::ErrorKind::invalid_input);

    auto none = w.bot.encrypt("x", {});
    REQUIRE_FALSE(none.ok());
}

TEST_CASE("detached signature verifies with the recipient's gpg") {
    auto& w = PgpWorld::get();
    const std::string part = "Content-Type: text/plain; charset=utf-8\r\n\r\nsigned body\r\n";
    auto sig = w.bot.sign_detached(part);
    REQUIRE(sig.ok());
    CHECK(sig->armored.rfind("-----BEGIN PGP SIGNATURE-----", 0) == 0);
    CHECK(sig->micalg.rfind("pgp-sha", 0) == 0);

    const std::string dir = cvd::test::make_temp_dir("sig");
    {
        std::FILE* f = std::fopen((dir + "/sig.asc").c_str(), "wb");
        std::fwrite(sig->armored.data(), 1, sig->armored.size(), f);
        std::fclose(f);
    }
    auto r =
        w.discoverer().home->gpg({"--status-fd", "2", "--verify", dir + "/sig.asc", "-"}, part);
    INFO(r.err);
    CHECK(r.status == 0);
    CHECK(r.err.find("[GNUPG:] VALIDSIG " + w.bot_fingerprint) != std::string::npos);
    auto changed = w.discoverer().home->gpg({"--verify", dir + "/sig.asc", "-"}, part + "x");
    CHECK(changed.status != 0);
    std::filesystem::remove_all(dir);
}
