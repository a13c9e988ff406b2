// compose_pgp: the bot's outgoing mail, read by the recipient's gpg holding only the
// recipient's key and the bot's public key.

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "cvdbot/crypto/armor.hpp"
#include "cvdbot/crypto/autocrypt.hpp"
#include "cvdbot/mail/parser.hpp"
#include "pgp_mime.hpp"
#include "pgp_open.hpp"
#include "pgp_world.hpp"

using namespace cvd;
using crypto::SignatureStatus;
using test::GpgHome;
using test::PgpWorld;

namespace {

mail::OutgoingMessage acknowledgment() {
    mail::OutgoingMessage m;
    m.from = {"CVD Bot", "bot@example.test"};
    m.to = {{"Taro Discoverer", "disc@example.test"}};
    m.subject = "[CVD#2026-0042] 受付: SQL injection in /login";
    m.message_id = "ack-42@example.test";
    m.in_reply_to = {"t-rep@example.test"};
    m.date = core::from_unix(1795600000);
    m.text_body = "Thank you for your report.\nDetails: the login form.\n";
    m.auto_submitted = "auto-replied";
    m.attachments.push_back({"details.txt", "text/plain", "confidential details\n"});
    return m;
}

app::PgpComposeOptions options_for(const std::string& fingerprint) {
    app::PgpComposeOptions o;
    o.encrypt_to = {fingerprint};
    o.outer_subject = "[CVD#2026-0042]";
    o.autocrypt_address = "bot@example.test";
    return o;
}

std::string write_temp(const std::string& dir, const std::string& name, const std::string& bytes) {
    std::ofstream(dir + "/" + name, std::ios::binary) << bytes;
    return dir + "/" + name;
}

}  // namespace

TEST_CASE("encrypted and signed: the recipient's gpg reads it, the outside shows only the tag") {
    auto& w = PgpWorld::get();
    auto bytes = app::compose_pgp(acknowledgment(), options_for(w.discoverer().fingerprint), w.bot);
    INFO((bytes.ok() ? std::string() : bytes.error().message));
    REQUIRE(bytes.ok());
    CHECK(bytes->find("受付") == std::string::npos);
    CHECK(bytes->find("confidential") == std::string::npos);
    CHECK(bytes->find("\n") == bytes->find("\r\n") + 1);

    const mail::Message outer = mail::parse_message(*bytes);
    CHECK(outer.subject == "[CVD#2026-0042]");
    CHECK(outer.message_id == "ack-42@example.test");
    CHECK(outer.in_reply_to == std::vector<std::string>{"t-rep@example.test"});
    const std::string* ct = outer.header("Content-Type");
    REQUIRE(ct);
    CHECK(ct->find("multipart/encrypted") != std::string::npos);
    CHECK(ct->find("application/pgp-encrypted") != std::string::npos);

    // The Autocrypt header carries the bot's key.
    const std::string* ac = outer.header("Autocrypt");
    REQUIRE(ac);
    auto parsed_ac = crypto::parse_autocrypt(*ac);
    REQUIRE(parsed_ac.ok());
    CHECK(parsed_ac->address == "bot@example.test");
    GpgHome fresh("acf");
    auto imported = fresh.gpg({"--status-fd", "1", "--import"}, parsed_ac->keydata);
    CHECK(imported.out.find(w.bot_fingerprint) != std::string::npos);

    // The recipient's gpg: decrypts, verifies the bot's signature, sees the real headers.
    auto blocks = crypto::find_armored_blocks(*bytes);
    REQUIRE(blocks.size() == 1);
    const std::string ciphertext = bytes->substr(blocks[0].begin, blocks[0].end - blocks[0].begin);
    auto r = w.discoverer().home->gpg({"--status-fd", "2", "--decrypt"}, ciphertext);
    INFO(r.err);
    REQUIRE(r.status == 0);
    CHECK(r.err.find("[GNUPG:] VALIDSIG " + w.bot_fingerprint) != std::string::npos);
    const std::string inner = r.out;
    CHECK(inner.find("hp=\"cipher\"") != std::string::npos);
    CHECK(inner.find("HP-Outer: Subject: [CVD#2026-0042]") != std::string::npos);
    const mail::Message content = mail::parse_message(inner);
    CHECK(content.subject == "[CVD#2026-0042] 受付: SQL injection in /login");
    CHECK(content.text_body == "Thank you for your report.\nDetails: the login form.\n");
    REQUIRE(content.attachments.size() == 1);
    CHECK(content.attachments[0].bytes == "confidential details\n");

    // Anyone else cannot.
    CHECK(w.vendor().home->gpg({"--decrypt"}, ciphertext).status != 0);
}

TEST_CASE("the bot reads its own encrypted mail back (archive)") {
    auto& w = PgpWorld::get();
    auto bytes = app::compose_pgp(acknowledgment(), options_for(w.discoverer().fingerprint), w.bot);
    REQUIRE(bytes.ok());
    const mail::Message parsed = mail::parse_message(*bytes);
    auto opened = app::open_pgp(parsed, *bytes, w.bot);
    REQUIRE(opened.ok());
    const auto& r = opened->report;
    INFO(r.problem);
    CHECK(r.decrypted_ok);
    CHECK(r.signature == SignatureStatus::good);
    CHECK(r.signer_fingerprint == w.bot_fingerprint);
    CHECK(opened->message.subject == "[CVD#2026-0042] 受付: SQL injection in /login");
    REQUIRE(opened->message.attachments.size() == 1);
    CHECK(opened->message.attachments[0].filename == "details.txt");
}

TEST_CASE("signed only (a key request): the recipient's gpg verifies the first part") {
    auto& w = PgpWorld::get();
    mail::OutgoingMessage m = acknowledgment();
    m.subject = "[CVD#2026-0042] Please send your OpenPGP key";
    m.text_body = "We need your public key before we can send the details.\n";
    m.attachments.clear();
    auto key = app::bot_key_attachment(w.bot);
    REQUIRE(key.ok());
    CHECK(key->content_type == "application/pgp-keys");
    CHECK(key->filename == "OpenPGP_0x" + w.bot_fingerprint.substr(24) + ".asc");
    m.attachments.push_back(*key);
    app::PgpComposeOptions o;
    o.autocrypt_address = "bot@example.test";
    auto bytes = app::compose_pgp(m, o, w.bot);
    REQUIRE(bytes.ok());

    const app::pgp::Entity e = app::pgp::split_entity(*bytes);
    const auto ct = app::pgp::content_type_of(e.header);
    CHECK(ct.type == "multipart/signed");
    CHECK(ct.param("protocol") == "application/pgp-signature");
    CHECK(ct.param("micalg").rfind("pgp-sha", 0) == 0);
    auto parts = app::pgp::split_multipart(e.body, ct.param("boundary"));
    REQUIRE(parts.size() == 2);
    CHECK(std::string(parts[0]).find("hp=\"clear\"") != std::string::npos);
    const std::string dir = test::make_temp_dir("sgn");
    const std::string signed_path = write_temp(dir, "part", std::string(parts[0]));
    const std::string sig_path =
        write_temp(dir, "sig.asc", std::string(app::pgp::split_entity(parts[1]).body));
    auto r = w.discoverer().home->gpg({"--status-fd", "2", "--verify", sig_path, signed_path});
    INFO(r.err);
    CHECK(r.status == 0);
    CHECK(r.err.find("[GNUPG:] VALIDSIG " + w.bot_fingerprint) != std::string::npos);
    std::filesystem::remove_all(dir);

    // Read back: visible subject, good signature, the key attached.
    auto opened = app::open_pgp(mail::parse_message(*bytes), *bytes, w.bot);
    REQUIRE(opened.ok());
    CHECK(opened->report.signature == SignatureStatus::good);
    CHECK(opened->message.subject == "[CVD#2026-0042] Please send your OpenPGP key");
    REQUIRE(opened->message.attachments.size() == 1);
    CHECK(crypto::classify(opened->message.attachments[0].bytes) == crypto::PgpKind::public_key);
}

TEST_CASE("compose_pgp fails on unusable recipients and on header injection") {
    auto& w = PgpWorld::get();
    auto revoked = app::compose_pgp(acknowledgment(), options_for(w.revoked().fingerprint), w.bot);
    REQUIRE_FALSE(revoked.ok());
    CHECK(revoked.error().kind == core::ErrorKind::crypto);
    auto unknown = app::compose_pgp(acknowledgment(), options_for(w.stranger().fingerprint), w.bot);
    REQUIRE_FALSE(unknown.ok());
    CHECK(unknown.error().kind == core::ErrorKind::not_found);

    mail::OutgoingMessage evil = acknowledgment();
    evil.subject = "hi\r\nBcc: everyone@example.test";
    auto injected = app::compose_pgp(evil, options_for(w.discoverer().fingerprint), w.bot);
    REQUIRE_FALSE(injected.ok());
    CHECK(injected.error().kind == core::ErrorKind::invalid_input);
    auto outer_injected = options_for(w.discoverer().fingerprint);
    outer_injected.outer_subject = "[x]\nBcc: a@b.test";
    auto bad_outer = app::compose_pgp(acknowledgment(), outer_injected, w.bot);
    REQUIRE_FALSE(bad_outer.ok());
}
