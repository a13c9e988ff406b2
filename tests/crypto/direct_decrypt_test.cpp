// Decryption in process (direct_decrypt.hpp): the plain good case costs no gpg run, and gives
// what gpg gives; everything it does not judge goes to gpg, which gives the verdict.

#include <catch2/catch.hpp>

#include "cvdbot/crypto/keyring.hpp"
#include "gpg_runs.hpp"
#include "pgp_world.hpp"

using namespace cvd::crypto;
using cvd::test::GpgRunCounter;
using cvd::test::Party;
using cvd::test::PgpWorld;

namespace {

// The bot's keyring, opened again with its fallbacks recorded.
struct Watched {
    std::shared_ptr<std::vector<std::string>> fallbacks =
        std::make_shared<std::vector<std::string>>();
    Keyring keyring;

    Watched() : keyring(open(fallbacks)) {}

    static Keyring open(const std::shared_ptr<std::vector<std::string>>& log) {
        KeyringSettings s;
        s.gnupg_home = PgpWorld::get().bot_home->path();
        s.bot_user_id = "cvdbot <bot@example.test>";
        s.on_fallback = [log](const std::string& why) { log->push_back(why); };
        auto k = Keyring::open(s);
        REQUIRE(k.ok());
        return std::move(*k);
    }
    std::string fallback_text() const {
        std::string out;
        for (const auto& f : *fallbacks) out += f + "\n";
        return out;
    }
};

std::string from(const Party& p, std::vector<std::string> extra, std::string_view text,
                 bool sign = true) {
    auto& w = PgpWorld::get();
    std::vector<std::string> args{"--always-trust", "--encrypt", "-r", w.bot_fingerprint};
    if (sign) args.insert(args.begin(), {"--sign", "--local-user", p.fingerprint});
    args.insert(args.begin(), extra.begin(), extra.end());
    return p.gpg(args, text);
}

void check_good(const Decryption& d, const std::string& text, const Party& signer) {
    auto& w = PgpWorld::get();
    CHECK(d.ok());
    CHECK(d.plaintext == text);
    CHECK(d.decrypted_with == w.bot_fingerprint);
    CHECK_FALSE(d.recipient_key_ids.empty());
    REQUIRE(d.signatures.size() == 1);
    CHECK(d.signatures[0].status == SignatureStatus::good);
    CHECK(d.signatures[0].fingerprint == signer.fingerprint);
    CHECK(d.signatures[0].signer_addresses == std::vector<std::string>{signer.address});
    CHECK(d.signatures[0].created.has_value());
    CHECK(d.signatures[0].problem.empty());
}

}  // namespace

TEST_CASE("what gpg and the usual clients send is opened without a gpg run") {
    auto& w = PgpWorld::get();
    const Party& disc = w.discoverer();
    std::string big;  // over 8 KiB: gpg writes partial body lengths
    for (int i = 0; i < 2000; ++i) big += "line " + std::to_string(i) + " of a long report\n";
    struct Case {
        std::vector<std::string> options;
        std::string text;
        bool sign = true;
    };
    const std::vector<Case> cases{
        {{"--armor"}, "SQL injection in /login\n"},
        {{"--armor", "--compress-algo", "none"}, "uncompressed\n"},
        {{"--armor", "--compress-algo", "zip"}, big},
        {{"--armor", "--compress-algo", "zlib"}, big},
        {{}, "binary, not armored\n"},
        {{"--armor", "--cipher-algo", "AES128"}, "AES-128\n"},
        {{"--armor"}, "not signed\n", false},
    };
    Watched watched;
    GpgRunCounter counter;
    const Keyring keyring = Watched::open(watched.fallbacks);  // contexts with the counter
    std::vector<std::string> messages;
    for (const auto& c : cases) messages.push_back(from(disc, c.options, c.text, c.sign));
    // Warm-up: the key listing, the exports of the bot's and the signer's keys, the secret key.
    auto first = keyring.decrypt(from(disc, {"--armor"}, "warm-up\n"));
    REQUIRE(first.ok());
    const std::size_t warm_up = counter.runs().size();
    for (std::size_t i = 0; i < cases.size(); ++i) {
        INFO("case " << i);
        auto d = keyring.decrypt(messages[i]);
        REQUIRE(d.ok());
        if (cases[i].sign) {
            check_good(*d, cases[i].text, disc);
        } else {
            CHECK(d->ok());
            CHECK(d->plaintext == cases[i].text);
            CHECK(d->signatures.empty());
        }
    }
    INFO("gpg runs:\n" << counter.listing() << "fallbacks:\n" << watched.fallback_text());
    CHECK(counter.runs().size() == warm_up);
    CHECK(watched.fallbacks->empty());
}

TEST_CASE("the file name of the literal data comes through") {
    auto& w = PgpWorld::get();
    Watched watched;
    auto d =
        watched.keyring.decrypt(from(w.discoverer(), {"--armor", "--set-filename", "report.eml"},
                                     "Content-Type: text/plain\n\nbody\n"));
    REQUIRE(d.ok());
    INFO(watched.fallback_text());
    CHECK(watched.fallbacks->empty());
    check_good(*d, "Content-Type: text/plain\n\nbody\n", w.discoverer());
    CHECK(d->file_name == "report.eml");
    CHECK_FALSE(d->mime);
}

TEST_CASE("what the in-process path does not judge is left to gpg, which gives the verdict") {
    auto& w = PgpWorld::get();
    Watched watched;
    auto open = [&](const std::string& message, std::string_view expected_reason) {
        watched.fallbacks->clear();
        auto d = watched.keyring.decrypt(message);
        REQUIRE(d.ok());
        INFO(watched.fallback_text());
        REQUIRE(watched.fallbacks->size() == 1);
        CHECK_THAT(watched.fallbacks->front(), Catch::Contains(std::string(expected_reason)));
        return std::move(*d);
    };
    SECTION("a signer we do not know") {
        auto d = open(from(w.stranger(), {"--armor"}, "from a stranger\n"), "which we do not have");
        CHECK(d.ok());
        REQUIRE(d.signatures.size() == 1);
        CHECK(d.signatures[0].status == SignatureStatus::unknown_key);
    }
    SECTION("a revoked signer") {
        auto d = open(from(w.revoked(), {"--armor"}, "revoked\n"), "cannot sign now");
        REQUIRE(d.signatures.size() == 1);
        CHECK(d.signatures[0].status == SignatureStatus::revoked);
    }
    SECTION("BZip2 compression") {
        auto d = open(from(w.discoverer(), {"--armor", "--compress-algo", "bzip2"}, "bzip2\n"),
                      "compression algorithm 3");
        check_good(d, "bzip2\n", w.discoverer());
    }
    SECTION("a text-mode signature") {
        auto d = open(from(w.discoverer(), {"--armor", "--textmode"}, "text mode\n"),
                      "not over a binary document");
        check_good(d, "text mode\n", w.discoverer());
    }
    SECTION("damage inside the encrypted data") {
        std::string binary = from(w.discoverer(), {"--compress-algo", "none"}, "to be damaged\n");
        binary[binary.size() - 30] ^= 0x01;  // inside the MDC'd data, not the framing
        auto d = open(binary, "MDC does not match");
        CHECK(d.status == DecryptStatus::corrupt);
        CHECK(d.plaintext.empty());
    }
    SECTION("encrypted to someone else") {
        const std::string to_vendor = w.discoverer().gpg(
            {"--armor", "--always-trust", "--encrypt", "-r", w.vendor().fingerprint}, "not ours\n");
        auto d = open(to_vendor, "not encrypted to an ECDH subkey of ours");
        CHECK(d.status == DecryptStatus::not_for_us);
    }
    SECTION("a message too large to hold whole (gpg streams it)") {
        std::string large;
        for (long long i = 0; large.size() < (9 << 20); ++i)
            large += std::to_string(i * 7919) + "\n";
        auto d = open(from(w.discoverer(), {"--compress-algo", "none"}, large), "over 8 MiB");
        check_good(d, large, w.discoverer());
    }
    SECTION("a password") {
        const std::string symmetric = w.discoverer().gpg(
            {"--armor", "--symmetric", "--passphrase", "pw", "--pinentry-mode", "loopback"},
            "secret\n");
        auto d = open(symmetric, "packet 3");
        CHECK(d.status == DecryptStatus::password_only);
    }
}

TEST_CASE("an RSA signer's signature is checked in process too") {
    auto& w = PgpWorld::get();
    cvd::test::GpgHome rsa("rsasig");
    rsa.gpg_ok(
        {"--quick-gen-key", "RSA Signer <rsa@example.test>", "rsa2048", "sign,cert", "never"});
    const std::string listing = rsa.gpg_ok({"--with-colons", "--list-keys"});
    const std::string fpr = listing.substr(listing.find("\nfpr:::::::::") + 13, 40);
    rsa.import(w.bot_public);
    REQUIRE(w.bot.import_keys(rsa.export_public(fpr)).ok());
    Watched watched;
    const std::string message = rsa.gpg_ok({"--armor", "--sign", "--local-user", fpr,
                                            "--always-trust", "--encrypt", "-r", w.bot_fingerprint},
                                           "signed with RSA\n");
    auto d = watched.keyring.decrypt(message);
    REQUIRE(d.ok());
    INFO(watched.fallback_text());
    CHECK(watched.fallbacks->empty());
    CHECK(d->plaintext == "signed with RSA\n");
    REQUIRE(d->signatures.size() == 1);
    CHECK(d->signatures[0].status == SignatureStatus::good);
    CHECK(d->signatures[0].fingerprint == fpr);
}

TEST_CASE("the bot's own encrypted and signed message opens in process") {
    auto& w = PgpWorld::get();
    Watched watched;
    auto sent = watched.keyring.encrypt("to myself\n", {w.discoverer().fingerprint});
    REQUIRE(sent.ok());
    auto d = watched.keyring.decrypt(*sent);  // encrypted to self as well
    REQUIRE(d.ok());
    INFO(watched.fallback_text());
    CHECK(watched.fallbacks->empty());
    CHECK(d->plaintext == "to myself\n");
    REQUIRE(d->signatures.size() == 1);
    CHECK(d->signatures[0].status == SignatureStatus::good);
    CHECK(d->signatures[0].fingerprint == w.bot_fingerprint);
}
