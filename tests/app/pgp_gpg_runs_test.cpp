// What outgoing mail costs in gpg runs: GPGME starts a gpg for every operation, and a reply
// used to need four of them (secret key lookup, two key exports, the signature). The bot's
// key and its exports are kept until the keyring files change; these tests count the gpg
// runs through a wrapper program and check that a changed key is still seen.

#include <gpgme.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "cvdbot/crypto/keyring.hpp"
#include "cvdbot/mail/parser.hpp"
#include "pgp_mime.hpp"
#include "pgp_open.hpp"
#include "pgp_world.hpp"

using namespace cvd;
using test::PgpWorld;

namespace {

// Makes GPGME run gpg through a script that logs each run's arguments, for contexts created
// while it lives (a new Keyring's pool); restores the previous program afterwards.
class GpgRunCounter {
  public:
    GpgRunCounter() : dir_(test::make_temp_dir("runs")) {
        gpgme_check_version(nullptr);
        for (gpgme_engine_info_t info = gpgme_get_engine_info_or_null(); info; info = info->next)
            if (info->protocol == GPGME_PROTOCOL_OpenPGP && info->file_name)
                real_gpg_ = info->file_name;
        REQUIRE_FALSE(real_gpg_.empty());
        log_ = dir_ + "/runs.log";
        const std::string script = dir_ + "/gpg";
        std::ofstream(script) << "#!/bin/sh\necho \"$*\" >> '" << log_ << "'\nexec '" << real_gpg_
                              << "' \"$@\"\n";
        std::filesystem::permissions(script, std::filesystem::perms::owner_all);
        REQUIRE(gpgme_set_engine_info(GPGME_PROTOCOL_OpenPGP, script.c_str(), nullptr) == 0);
    }
    ~GpgRunCounter() {
        gpgme_set_engine_info(GPGME_PROTOCOL_OpenPGP, real_gpg_.c_str(), nullptr);
        std::filesystem::remove_all(dir_);
    }

    // The runs so far, one line of arguments each.
    std::vector<std::string> runs() const {
        std::vector<std::string> lines;
        std::ifstream in(log_);
        for (std::string line; std::getline(in, line);) lines.push_back(line);
        return lines;
    }
    std::string listing() const {
        std::string out;
        for (const auto& line : runs()) out += line + "\n";
        return out;
    }

  private:
    static gpgme_engine_info_t gpgme_get_engine_info_or_null() {
        gpgme_engine_info_t info = nullptr;
        return gpgme_get_engine_info(&info) == 0 ? info : nullptr;
    }
    std::string dir_, log_, real_gpg_;
};

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

TEST_CASE("an outgoing reply costs one gpg run once the bot's key is known") {
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
    // Warm-up: engine checks (GPGME's, the context's), key listing, two exports, secret key
    // lookup (with its own engine check), the operation. Before the cache, every reply
    // paid five of these.
    CHECK(warm_up_runs <= 8);
    CHECK(total_runs - warm_up_runs == replies);

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

TEST_CASE("an incoming encrypted message costs one gpg run once the keys are listed") {
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
    const std::size_t before = counter.runs().size();
    for (const auto& ciphertext : ciphertexts) {
        auto opened = keyring.decrypt(ciphertext);
        REQUIRE(opened.ok());
        REQUIRE(opened->signatures.size() == 1);
        CHECK(opened->signatures[0].status == crypto::SignatureStatus::good);
    }
    INFO("gpg runs:\n" << counter.listing());
    CHECK(counter.runs().size() - before == messages);
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
