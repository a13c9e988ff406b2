// Messages encrypted (and signed) without a gpg run: each recipient's own gpg decrypts them,
// checks the integrity protection and the bot's signature, and gets the plaintext back byte
// for byte. The gpg runs GPGME starts are counted: a message that silently went through gpg
// would pass every other check. Keys the in-process path does not handle still get a message
// (gpg's).

#include <catch2/catch.hpp>
#include <ctime>
#include <filesystem>
#include <fstream>

#include "cvdbot/crypto/keyring.hpp"
#include "gpg_runs.hpp"
#include "pgp_world.hpp"

using namespace cvd::crypto;
using cvd::test::GpgHome;
using cvd::test::GpgRunCounter;
using cvd::test::RunResult;

namespace {

// A bot home with its key, gpg runs counted from the keyring's start.
struct Bot {
    explicit Bot(const std::string& tag, const std::string& passphrase_file = {})
        : home(tag), keyring(cvd::test::open_keyring(home.path(), passphrase_file)) {
        auto made = keyring.ensure_bot_key();
        REQUIRE(made.ok());
        key = *made;
        exported = *keyring.export_public_key(key.fingerprint);
    }
    // A reader the bot knows: `home` has the bot's public key, the bot theirs.
    void meet(const GpgHome& reader, const std::string& fpr) {
        reader.import(exported);
        auto imported = keyring.import_keys(reader.export_public(fpr));
        REQUIRE(imported.ok());
        REQUIRE(imported->keys.size() == 1);
    }
    GpgHome home;
    GpgRunCounter counter;  // before the keyring: its contexts run the counting program
    Keyring keyring;
    KeyInfo key;
    std::string exported;
};

std::string rsa_key(const GpgHome& home, const std::string& uid, const std::string& size) {
    home.gpg_ok({"--quick-gen-key", uid, size, "sign,cert", "never"});
    const std::string listing = home.gpg_ok({"--with-colons", "--list-keys"});
    const std::string fpr = listing.substr(listing.find("\nfpr:::::::::") + 13, 40);
    home.gpg_ok({"--quick-add-key", fpr, size, "encr", "never"});
    return fpr;
}

RunResult decrypt(const GpgHome& reader, const std::string& armored) {
    return reader.gpg({"--status-fd", "2", "--decrypt"}, armored);
}

// gpg decrypted it, with integrity protection, to `plaintext`; signed by `signer` or not.
void check_decrypts(const GpgHome& reader, const std::string& armored, const std::string& plaintext,
                    const std::string& signer) {
    auto r = decrypt(reader, armored);
    INFO(r.err);
    REQUIRE(r.status == 0);
    CHECK(r.out == plaintext);
    CHECK(r.err.find("[GNUPG:] DECRYPTION_OKAY") != std::string::npos);
    CHECK(r.err.find("[GNUPG:] GOODMDC") != std::string::npos);
    CHECK(r.err.find("not integrity protected") == std::string::npos);
    if (signer.empty()) {
        CHECK(r.err.find("SIG") == std::string::npos);
    } else {
        CHECK(r.err.find("[GNUPG:] GOODSIG") != std::string::npos);
        CHECK(r.err.find("[GNUPG:] VALIDSIG " + signer) != std::string::npos);
    }
}

std::vector<std::pair<const char*, std::string>> samples() {
    std::string binary;
    for (int i = 0; i < 5000; ++i) binary.push_back(static_cast<char>((i * 31) & 0xFF));
    binary[0] = '\0';
    std::string large;
    while (large.size() < (1u << 20)) large += "a line of a large report, about 1 MiB\r\n";
    return {{"CRLF text", "Thank you for your report.\r\nCVD#2026-0042\r\n"},
            {"empty", ""},
            {"binary with NUL bytes", binary},
            {"1 MiB", large}};
}

}  // namespace

TEST_CASE("in-process encryption: gpg decrypts and verifies, no gpg run once keys are cached") {
    Bot bot("dec");
    GpgHome cv("decv");
    const std::string cv_fpr = cv.generate("cv <cv@example.test>");
    bot.meet(cv, cv_fpr);
    GpgHome rsa("dersa");
    const std::string rsa_fpr = rsa_key(rsa, "rsa <rsa@example.test>", "rsa3072");
    bot.meet(rsa, rsa_fpr);

    // Warm-up: the listing, the recipients' exports and the secret key handle are cached.
    REQUIRE(bot.keyring.encrypt("warm-up", {cv_fpr, rsa_fpr}).ok());

    for (const auto& [name, text] : samples()) {
        INFO(name);
        const std::size_t before = bot.counter.runs().size();
        auto both = bot.keyring.encrypt(text, {cv_fpr, rsa_fpr});
        REQUIRE(both.ok());
        INFO("gpg runs:\n" << bot.counter.listing());
        CHECK(bot.counter.runs().size() == before);
        CHECK(both->rfind("-----BEGIN PGP MESSAGE-----\n", 0) == 0);
        // Each secret key alone opens it: the cv25519 one, the RSA one, the bot's own.
        check_decrypts(cv, *both, text, bot.key.fingerprint);
        check_decrypts(rsa, *both, text, bot.key.fingerprint);
        auto own = bot.keyring.decrypt(*both);
        REQUIRE(own.ok());
        CHECK(own->ok());
        CHECK(own->plaintext == text);
        REQUIRE(own->signatures.size() == 1);
        CHECK(own->signatures[0].status == SignatureStatus::good);
    }

    // One recipient of each kind alone, unsigned, not to the bot.
    EncryptOptions plain;
    plain.sign = false;
    plain.encrypt_to_self = false;
    for (const auto& [home, fpr] :
         {std::pair<const GpgHome*, std::string>{&cv, cv_fpr}, {&rsa, rsa_fpr}}) {
        auto alone = bot.keyring.encrypt("unsigned\n", {fpr}, plain);
        REQUIRE(alone.ok());
        check_decrypts(*home, *alone, "unsigned\n", "");
        auto own = bot.keyring.decrypt(*alone);
        REQUIRE(own.ok());
        CHECK(own->status == DecryptStatus::not_for_us);
    }
    // (the bot's own decrypt attempts are gpg runs; the encryptions are not)
    INFO("gpg runs:\n" << bot.counter.listing());
    for (const auto& line : bot.counter.runs())
        CHECK((" " + line + " ").find(" --encrypt ") == std::string::npos);

    // What gpg sees: AES-256 data with an MDC, one session key packet per recipient.
    auto message = bot.keyring.encrypt("packets", {cv_fpr, rsa_fpr});
    REQUIRE(message.ok());
    auto listed = cv.gpg({"--verbose", "--list-packets"}, *message);
    REQUIRE(listed.status == 0);
    const std::string& packets = listed.out;
    INFO(packets << listed.err);
    CHECK(packets.find(":pubkey enc packet: version 3, algo 18") != std::string::npos);
    CHECK(packets.find(":pubkey enc packet: version 3, algo 1") != std::string::npos);
    CHECK(packets.find("mdc_method: 2") != std::string::npos);
    CHECK(listed.err.find("AES256") != std::string::npos);
    CHECK(packets.find("sigclass 0x00, digest 8, pubkey 22, last=1") != std::string::npos);
}

TEST_CASE("a recipient whose key the in-process path does not handle gets gpg's message") {
    Bot bot("defb");
    GpgHome nist("denist");
    nist.gpg_ok({"--quick-gen-key", "p256 <p256@example.test>", "nistp256", "sign,cert", "never"});
    const std::string listing = nist.gpg_ok({"--with-colons", "--list-keys"});
    const std::string fpr = listing.substr(listing.find("\nfpr:::::::::") + 13, 40);
    nist.gpg_ok({"--quick-add-key", fpr, "nistp256", "encr", "never"});
    bot.meet(nist, fpr);
    // The keyring says why (the daemon logs it at debug level).
    KeyringSettings settings = bot.keyring.settings();
    std::vector<std::string> reasons;
    settings.on_fallback = [&](const std::string& why) { reasons.push_back(why); };
    auto keyring = Keyring::open(settings);
    REQUIRE(keyring.ok());
    REQUIRE(keyring->encrypt("warm-up", {fpr}).ok());
    const std::size_t before = bot.counter.runs().size();
    auto message = keyring->encrypt("to P-256\r\n", {fpr});
    REQUIRE(message.ok());
    INFO("gpg runs:\n" << bot.counter.listing());
    CHECK(bot.counter.runs().size() == before + 1);  // gpg encrypted it
    CHECK(bot.counter.signing_runs() == 2);
    check_decrypts(nist, *message, "to P-256\r\n", bot.key.fingerprint);
    REQUIRE(reasons.size() == 2);
    CHECK(reasons[1].find("is neither cv25519 ECDH nor RSA (algorithm 18)") != std::string::npos);
}

TEST_CASE("unusable recipients give the same errors through either path") {
    auto& w = cvd::test::PgpWorld::get();
    // The discoverer's key is handled in process; the checks come first all the same.
    REQUIRE(w.bot.encrypt("x", {w.discoverer().fingerprint}).ok());
    auto revoked = w.bot.encrypt("x", {w.discoverer().fingerprint, w.revoked().fingerprint});
    REQUIRE_FALSE(revoked.ok());
    CHECK(revoked.error().message.find("revoked") != std::string::npos);
    auto expired = w.bot.encrypt("x", {w.discoverer().fingerprint, w.expired().fingerprint});
    REQUIRE_FALSE(expired.ok());
    CHECK(expired.error().message.find("expired") != std::string::npos);
    auto unknown = w.bot.encrypt("x", {w.discoverer().fingerprint, w.stranger().fingerprint});
    REQUIRE_FALSE(unknown.ok());
    CHECK(unknown.error().kind == cvd::core::ErrorKind::not_found);
}

TEST_CASE("of two encryption subkeys the newer one is used, as gpg would") {
    Bot bot("denew");
    GpgHome two("detwo");
    const std::int64_t past = static_cast<std::int64_t>(std::time(nullptr)) - 3600;
    const std::string fpr = two.generate("two <two@example.test>", "never",
                                         {"--faked-system-time", std::to_string(past) + "!"});
    two.gpg_ok({"--quick-add-key", fpr, "cv25519", "encr", "never"});
    const std::string listing = two.gpg_ok({"--with-colons", "--list-keys", fpr});
    const auto last_fpr = listing.rfind("\nfpr:::::::::");
    const std::string newest = listing.substr(last_fpr + 13, 40);
    REQUIRE(newest != fpr);
    bot.meet(two, fpr);

    EncryptOptions plain;
    plain.sign = false;
    plain.encrypt_to_self = false;
    REQUIRE(bot.keyring.encrypt("warm-up", {fpr}, plain).ok());
    const std::size_t before = bot.counter.runs().size();
    auto message = bot.keyring.encrypt("to the newer subkey\n", {fpr}, plain);
    REQUIRE(message.ok());
    CHECK(bot.counter.runs().size() == before);
    const std::string packets = two.gpg_ok({"--list-packets"}, *message);
    INFO(packets);
    CHECK(packets.find("keyid " + newest.substr(24)) != std::string::npos);
    // gpg's own choice for the same key.
    const std::string by_gpg =
        two.gpg_ok({"--list-packets"}, two.gpg_ok({"--always-trust", "--encrypt", "-r", fpr}, "x"));
    CHECK(by_gpg.find("keyid " + newest.substr(24)) != std::string::npos);
    check_decrypts(two, *message, "to the newer subkey\n", "");
}

TEST_CASE("a passphrase-protected bot key: the agent asks, a wrong passphrase is gpg's error") {
    const std::string dir = cvd::test::make_temp_dir("depwf");
    std::ofstream(dir + "/right") << "correct horse battery staple\n";
    std::ofstream(dir + "/wrong") << "Tr0ub4dor&3\n";
    Bot bot("depw", dir + "/right");
    GpgHome reader("depwr");
    const std::string fpr = reader.generate("r <r@example.test>");
    bot.meet(reader, fpr);
    bot.home.kill_agent();  // forget the cached passphrase: the agent must ask for it

    auto message = bot.keyring.encrypt("protected\r\n", {fpr});
    REQUIRE(message.ok());
    INFO("gpg runs:\n" << bot.counter.listing());
    CHECK(bot.counter.signing_runs() == 0);
    check_decrypts(reader, *message, "protected\r\n", bot.key.fingerprint);

    // Refused by the agent, then by gpg, which says what to fix.
    bot.home.kill_agent();
    auto wrong = cvd::test::open_keyring(bot.home.path(), dir + "/wrong");
    auto failed = wrong.encrypt("x", {fpr});
    REQUIRE_FALSE(failed.ok());
    CHECK(failed.error().kind == cvd::core::ErrorKind::config);
    CHECK(bot.counter.signing_runs() == 1);
    std::filesystem::remove_all(dir);
}
