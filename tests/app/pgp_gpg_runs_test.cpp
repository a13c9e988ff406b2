// What mail costs in gpg runs: GPGME starts a gpg for every operation, and a reply
// used to need four of them (secret key lookup, two key exports, the signature). The bot's
// key and its exports are kept until the keyring files change, and signatures (detached, or
// inside an encrypted message built in process) are made by gpg-agent without gpg; these
// tests count the gpg runs through a wrapper program and check that a changed key is still
// seen.

#include <catch2/catch.hpp>

#include "cvdbot/crypto/keyring.hpp"
#include "cvdbot/mail/parser.hpp"
#include "gpg_runs.hpp"
#include "pgp_mime.hpp"
#include "pgp_open.hpp"
#include "pgp_world.hpp"

using namespace cvd;
using test::GpgRunCounter;
using test::PgpWorld;

namespace {

mail::OutgoingMessage reply(int i) {
    mail::OutgoingMessage m;
    m.from = {"CVD Bot", "bot@example.test"};
    m.to = {{"Taro Discoverer", "disc@example.test"}};
    m.subject = "[CVD#2026-0042] reply " + std::to_string(i);
    m.message_id = "runs-" + std::to_string(i) + "@example.test";
    m.date = core::from_unix(1795600000);
    m.text_body = "Reply number " + std::to_string(i) + ".\n";
    return m;
}

// A reply as the daemon sends it: the bot's key attached, an Autocrypt header, signed, and
// encrypted to `encrypt_to` unless empty.
std::string compose_reply(const crypto::Keyring& keyring, int i, const std::string& encrypt_to) {
    mail::OutgoingMessage m = reply(i);
    auto key = app::bot_key_attachment(keyring);
    REQUIRE(key.ok());
    m.attachments.push_back(*key);
    app::PgpComposeOptions o;
    o.autocrypt_address = "bot@example.test";
    if (!encrypt_to.empty()) {
        o.encrypt_to = {encrypt_to};
        o.outer_subject = "[CVD#2026-0042]";
    }
    auto bytes = app::compose_pgp(m, o, keyring);
    INFO((bytes.ok() ? std::string() : bytes.error().message));
    REQUIRE(bytes.ok());
    return *bytes;
}

}  // namespace

TEST_CASE("an encrypted reply and a signed one cost no gpg run, once the keys are known") {
    auto& w = PgpWorld::get();
    const auto& disc = w.discoverer();
    constexpr int replies = 6;
    std::vector<std::string> sent;
    std::size_t warm_up_runs = 0, total_runs = 0;
    std::string listing;
    {
        GpgRunCounter counter;
        // A keyring of its own, so that its contexts are made with the counting program.
        const crypto::Keyring keyring = test::open_keyring(w.bot_home->path());
        sent.push_back(compose_reply(keyring, 0, disc.fingerprint));
        warm_up_runs = counter.runs().size();
        for (int i = 1; i <= replies; ++i)
            sent.push_back(compose_reply(keyring, i, i % 2 ? disc.fingerprint : std::string()));
        total_runs = counter.runs().size();
        listing = counter.listing();
    }
    INFO("gpg runs:\n" << listing);
    // Warm-up: engine checks (GPGME's, the contexts'), key listing, two exports of the bot's
    // key, secret key lookup (with its own engine check), the recipient's key export (read by
    // the in-process encryption). Before the cache, every reply paid five of these.
    CHECK(warm_up_runs <= 9);
    // Replies 1, 3 and 5 are encrypted and signed in process (each cost a gpg run before);
    // 2, 4 and 6 are only signed, by gpg-agent without any gpg process.
    CHECK(total_runs - warm_up_runs == 0);

    // Still real mail: the recipient's gpg reads every one.
    for (std::size_t i = 0; i < sent.size(); ++i) {
        auto opened = app::open_pgp(mail::parse_message(sent[i]), sent[i], w.bot);
        REQUIRE(opened.ok());
        CHECK(opened->report.signature == crypto::SignatureStatus::good);
        CHECK(opened->message.text_body.find("Reply number " + std::to_string(i)) !=
              std::string::npos);
    }
    const std::string& encrypted = sent[1];
    const auto e = app::pgp::split_entity(encrypted);
    auto parts =
        app::pgp::split_multipart(e.body, app::pgp::content_type_of(e.header).param("boundary"));
    REQUIRE(parts.size() == 2);
    auto r = disc.home->gpg({"--status-fd", "2", "--decrypt"},
                            std::string(app::pgp::split_entity(parts[1]).body));
    INFO(r.err);
    CHECK(r.status == 0);
    CHECK(r.err.find("[GNUPG:] VALIDSIG ") != std::string::npos);
}

TEST_CASE("an incoming encrypted message costs no gpg run once the keys are known") {
    auto& w = PgpWorld::get();
    const auto& disc = w.discoverer();
    constexpr int messages = 4;
    std::vector<std::string> ciphertexts;
    for (int i = 0; i < messages; ++i)
        ciphertexts.push_back(
            disc.encrypt_to(w.bot_fingerprint, "report " + std::to_string(i), true));
    GpgRunCounter counter;
    const crypto::Keyring keyring = test::open_keyring(w.bot_home->path());
    REQUIRE(keyring.list_keys().ok());
    std::size_t after_first = 0;
    for (const auto& ciphertext : ciphertexts) {
        auto opened = keyring.decrypt(ciphertext);
        REQUIRE(opened.ok());
        REQUIRE(opened->signatures.size() == 1);
        CHECK(opened->signatures[0].status == crypto::SignatureStatus::good);
        if (after_first == 0) after_first = counter.runs().size();
    }
    INFO("gpg runs:\n" << counter.listing());
    // The first message exports the bot's key and the signer's and looks the secret key up
    // (each kept until the keyring changes); gpg-agent opens the session keys, and the rest is
    // done in process. Before, every message was a gpg run.
    CHECK(counter.runs().size() == after_first);
}

TEST_CASE("a key changed by another gpg or a new bot key is seen despite the cache") {
    test::GpgHome home("keychange");
    crypto::Keyring keyring = test::open_keyring(home.path());
    auto first = keyring.ensure_bot_key();
    REQUIRE(first.ok());
    auto before = keyring.export_public_key(first->fingerprint);
    REQUIRE(before.ok());
    REQUIRE(keyring.export_public_key(first->fingerprint).ok());  // now from the cache
    auto signed_before = keyring.sign_detached("text\r\n");
    REQUIRE(signed_before.ok());

    // The administrator adds a user id with gpg itself: the next export carries it.
    home.gpg_ok({"--quick-add-uid", first->fingerprint, "cvdbot <second@example.test>"});
    auto after = keyring.export_public_key(first->fingerprint);
    REQUIRE(after.ok());
    CHECK(*after != *before);
    test::GpgHome reader("keyreader");
    reader.import(*after);
    CHECK(reader.gpg_ok({"--list-keys", first->fingerprint}).find("second@example.test") !=
          std::string::npos);

    // A rollover: the new key signs and is the one attached.
    auto second = keyring.generate_bot_key();
    REQUIRE(second.ok());
    REQUIRE(second->fingerprint != first->fingerprint);
    auto signed_after = keyring.sign_detached("text\r\n");
    REQUIRE(signed_after.ok());
    auto verified = keyring.verify_detached("text\r\n", signed_after->armored);
    REQUIRE(verified.ok());
    REQUIRE(verified->signatures.size() == 1);
    CHECK(verified->signatures[0].fingerprint == second->fingerprint);
    auto attached = app::bot_key_attachment(keyring);
    REQUIRE(attached.ok());
    CHECK(attached->filename == "OpenPGP_0x" + second->fingerprint.substr(24) + ".asc");
}
