// open_pgp and compose_pgp: mail made by the gpg command line (a separate client) read by the
// bot, and the bot's mail read by the recipient's gpg.

#include "pgp_open.hpp"

#include <catch2/catch.hpp>

#include "cvdbot/core/text.hpp"
#include "cvdbot/crypto/armor.hpp"
#include "cvdbot/crypto/autocrypt.hpp"
#include "cvdbot/crypto/key_bindings.hpp"
#include "cvdbot/mail/composer.hpp"
#include "cvdbot/mail/parser.hpp"
#include "pgp_mime.hpp"
#include "pgp_world.hpp"

using namespace cvd;
using app::open_pgp;
using crypto::DecryptStatus;
using crypto::SignatureStatus;
using test::GpgHome;
using test::Party;
using test::PgpWorld;

namespace {

std::string header(const std::string& from, const std::string& subject,
                   const std::string& extra = {}) {
    return "From: Sender <" + from + ">\r\nTo: cvdbot <bot@example.test>\r\nSubject: " + subject +
           "\r\nDate: Wed, 25 Nov 2026 10:00:00 +0000\r\nMessage-ID: <t-" + subject.substr(0, 3) +
           "@example.test>\r\n" + extra + "MIME-Version: 1.0\r\n";
}

std::string crlf(std::string_view s) {
    return app::pgp::to_crlf(s);
}

std::string pgp_mime_encrypted(const std::string& head, const std::string& ciphertext) {
    return head +
           "Content-Type: multipart/encrypted; protocol=\"application/pgp-encrypted\";\r\n"
           " boundary=\"enc-b\"\r\n\r\n"
           "This is an OpenPGP/MIME encrypted message\r\n"
           "--enc-b\r\nContent-Type: application/pgp-encrypted\r\n\r\nVersion: 1\r\n\r\n"
           "--enc-b\r\nContent-Type: application/octet-stream; name=\"encrypted.asc\"\r\n\r\n" +
           crlf(ciphertext) + "\r\n--enc-b--\r\n";
}

// multipart/signed around `part` (CRLF), signed by `signer` with gpg's detached signature.
std::string signed_entity(const Party& signer, const std::string& part) {
    const std::string sig = signer.detach_sign(part);
    return "Content-Type: multipart/signed; micalg=pgp-sha256;\r\n"
           " protocol=\"application/pgp-signature\"; boundary=\"sig-b\"\r\n\r\n"
           "--sig-b\r\n" +
           part +
           "\r\n--sig-b\r\nContent-Type: application/pgp-signature; "
           "name=\"signature.asc\"\r\n\r\n" +
           crlf(sig) + "\r\n--sig-b--\r\n";
}

const std::string report_part =
    "Content-Type: multipart/mixed; boundary=\"in-b\"\r\n\r\n"
    "--in-b\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
    "脆弱性の報告です。\r\nSQL injection in /login.\r\n"
    "--in-b\r\nContent-Type: text/x-python; name=\"poc.py\"\r\n"
    "Content-Disposition: attachment; filename=\"poc.py\"\r\n\r\nprint('poc')\r\n"
    "--in-b--\r\n";

app::OpenedMessage open(const std::string& raw, crypto::Keyring& keyring) {
    const mail::Message parsed = mail::parse_message(raw);
    auto opened = open_pgp(parsed, raw, keyring);
    INFO((opened.ok() ? std::string() : opened.error().message));
    REQUIRE(opened.ok());
    return std::move(*opened);
}

app::OpenedMessage open(const std::string& raw) {
    return open(raw, PgpWorld::get().bot);
}

}  // namespace

TEST_CASE("a plain message passes through untouched") {
    const std::string raw =
        header("disc@example.test", "hello") + "Content-Type: text/plain\r\n\r\nno crypto here\r\n";
    auto o = open(raw);
    CHECK(o.report.form == app::PgpForm::none);
    CHECK_FALSE(o.report.encrypted);
    CHECK_FALSE(o.report.is_signed);
    CHECK(o.report.problem.empty());
    CHECK_FALSE(o.report.needs_reply());
    CHECK(o.message.text_body == "no crypto here\n");
}

TEST_CASE("PGP/MIME, signed and encrypted in one (RFC 3156 6.2), with an attachment") {
    auto& w = PgpWorld::get();
    const std::string ciphertext = w.discoverer().encrypt_to(w.bot_fingerprint, report_part, true);
    auto o = open(pgp_mime_encrypted(header("disc@example.test", "..."), ciphertext));
    const auto& r = o.report;
    INFO(r.problem);
    CHECK(r.form == app::PgpForm::pgp_mime);
    CHECK(r.encrypted);
    CHECK(r.decrypted_ok);
    CHECK(r.fully_encrypted);
    CHECK(r.decrypted_with == w.bot_fingerprint);
    CHECK(r.is_signed);
    CHECK(r.signature == SignatureStatus::good);
    CHECK(r.signer_fingerprint == w.discoverer().fingerprint);
    CHECK(r.signer_addresses == std::vector<std::string>{"disc@example.test"});
    CHECK(r.fully_signed);
    CHECK(r.problem.empty());
    CHECK_FALSE(r.needs_reply());
    // The decrypted entity went through the parser: text, attachment, outer headers.
    CHECK(o.message.text_body == "脆弱性の報告です。\nSQL injection in /login.\n");
    REQUIRE(o.message.attachments.size() == 1);
    CHECK(o.message.attachments[0].filename == "poc.py");
    REQUIRE(o.message.from);
    CHECK(o.message.from->address == "disc@example.test");
    CHECK(o.message.message_id == "t-...@example.test");
}

TEST_CASE("PGP/MIME signed, then encrypted (RFC 3156 6.1)") {
    auto& w = PgpWorld::get();
    const std::string inner = signed_entity(w.discoverer(), report_part);
    const std::string ciphertext = w.discoverer().encrypt_to(w.bot_fingerprint, inner, false);
    auto o = open(pgp_mime_encrypted(header("disc@example.test", "..."), ciphertext));
    INFO(o.report.problem);
    CHECK(o.report.decrypted_ok);
    CHECK(o.report.signature == SignatureStatus::good);
    CHECK(o.report.signer_fingerprint == w.discoverer().fingerprint);
    CHECK(o.report.fully_signed);
    CHECK(o.message.text_body.find("SQL injection") != std::string::npos);
    REQUIRE(o.message.attachments.size() == 1);  // poc.py; no signature.asc left over
    CHECK(o.message.attachments[0].filename == "poc.py");
}

TEST_CASE("PGP/MIME signed: good, bad after a change, LF-only storage") {
    auto& w = PgpWorld::get();
    const std::string part = "Content-Type: text/plain; charset=us-ascii\r\n\r\naccept\r\n";
    const std::string raw = header("coord@example.test", "[CVD#2026-0001] command") +
                            signed_entity(w.coordinator(), part);
    auto good = open(raw);
    CHECK(good.report.form == app::PgpForm::pgp_mime);
    CHECK_FALSE(good.report.encrypted);
    CHECK(good.report.signature == SignatureStatus::good);
    CHECK(good.report.signer_fingerprint == w.coordinator().fingerprint);
    CHECK(good.report.fully_signed);
    CHECK(good.message.text_body == "accept\n");
    CHECK(good.message.subject == "[CVD#2026-0001] command");
    CHECK(good.message.attachments.empty());

    // A message file saved with LF line ends still verifies (canonical CRLF).
    auto lf = open(cvd::core::to_lf(raw));
    CHECK(lf.report.signature == SignatureStatus::good);

    std::string changed = raw;
    changed.replace(changed.find("accept\r\n"), 6, "reject");
    auto bad = open(changed);
    CHECK(bad.report.signature == SignatureStatus::bad);
    CHECK(bad.report.needs_reply());
    CHECK(bad.report.problem.find("changed after it was signed") != std::string::npos);
}

TEST_CASE("PGP/MIME signed by expired, revoked and unknown keys") {
    auto& w = PgpWorld::get();
    const std::string part = "Content-Type: text/plain\r\n\r\nhello\r\n";
    auto unknown = open(header("strng@example.test", "hi") + signed_entity(w.stranger(), part));
    CHECK(unknown.report.signature == SignatureStatus::unknown_key);
    CHECK(unknown.report.signer_fingerprint == w.stranger().fingerprint);
    CHECK_FALSE(unknown.report.needs_reply());

    auto revoked = open(header("rev@example.test", "hi") + signed_entity(w.revoked(), part));
    CHECK(revoked.report.signature == SignatureStatus::revoked);
    CHECK(revoked.report.needs_reply());

    // The expired key signs in 2020, when it was valid.
    const std::string sig =
        w.expired().gpg({"--faked-system-time", "20200101T120000", "--local-user",
                         w.expired().fingerprint, "--armor", "--detach-sign"},
                        part);
    const std::string raw =
        header("exp@example.test", "hi") +
        "Content-Type: multipart/signed; protocol=\"application/pgp-signature\"; "
        "boundary=\"b\"\r\n\r\n--b\r\n" +
        part + "\r\n--b\r\nContent-Type: application/pgp-signature\r\n\r\n" + crlf(sig) +
        "\r\n--b--\r\n";
    auto expired = open(raw);
    CHECK(expired.report.signature == SignatureStatus::expired);
    CHECK(expired.report.problem.find("expired") != std::string::npos);
}

TEST_CASE("encrypted to the wrong key: kept as is, the report says what to do") {
    auto& w = PgpWorld::get();
    const std::string ciphertext =
        w.discoverer().encrypt_to(w.vendor().fingerprint, report_part, true);
    const std::string raw = pgp_mime_encrypted(header("disc@example.test", "report"), ciphertext);
    auto o = open(raw);
    const auto& r = o.report;
    CHECK(r.encrypted);
    CHECK_FALSE(r.decrypted_ok);
    CHECK(r.decrypt_status == DecryptStatus::not_for_us);
    REQUIRE(r.encrypted_to.size() == 1);
    CHECK(r.problem.find("0x" + r.encrypted_to[0]) != std::string::npos);
    CHECK(r.problem.find(w.bot_fingerprint) != std::string::npos);
    CHECK(r.needs_reply());
    CHECK(o.message.subject == "report");  // the parsed message, unchanged
    CHECK(r.parts.size() == 1);            // encrypted.asc was not tried a second time
}

TEST_CASE("corrupt PGP/MIME: damaged data and a broken structure") {
    auto& w = PgpWorld::get();
    std::string ciphertext =
        w.discoverer().encrypt_to(w.bot_fingerprint, std::string(3000, 'z'), true);
    const std::size_t mid = ciphertext.size() / 2;
    ciphertext.replace(mid, 10, ciphertext[mid] == 'Q' ? "RRRRRRRRRR" : "QQQQQQQQQQ");
    auto damaged = open(pgp_mime_encrypted(header("disc@example.test", "x"), ciphertext));
    CHECK_FALSE(damaged.report.decrypted_ok);
    CHECK(damaged.report.decrypt_status == DecryptStatus::corrupt);
    CHECK(damaged.report.needs_reply());

    const std::string broken =
        header("disc@example.test", "x") +
        "Content-Type: multipart/encrypted; boundary=\"nope\"\r\n\r\ngarbage\r\n";
    auto structure = open(broken);
    CHECK(structure.report.decrypt_status == DecryptStatus::corrupt);
    CHECK(structure.report.problem.find("MIME structure") != std::string::npos);
}

TEST_CASE("inline: encrypted block in the body, with text around it") {
    auto& w = PgpWorld::get();
    const std::string block =
        w.discoverer().encrypt_to(w.bot_fingerprint, "secret details\n", true);
    const std::string raw = header("disc@example.test", "inline") +
                            "Content-Type: text/plain; charset=utf-8\r\n\r\nHello,\r\n\r\n" +
                            crlf(block) + "\r\nRegards\r\n";
    auto o = open(raw);
    CHECK(o.report.form == app::PgpForm::inline_armor);
    CHECK(o.report.decrypted_ok);
    CHECK_FALSE(o.report.fully_encrypted);  // "Hello" and "Regards" were not encrypted
    CHECK(o.report.signature == SignatureStatus::good);
    CHECK_FALSE(o.report.fully_signed);
    CHECK(o.message.text_body == "Hello,\n\nsecret details\n\nRegards\n");
}

TEST_CASE("inline: the whole body one encrypted block") {
    auto& w = PgpWorld::get();
    const std::string block = w.discoverer().encrypt_to(w.bot_fingerprint, "全部暗号化\n", true);
    auto o = open(header("disc@example.test", "inline") + "Content-Type: text/plain\r\n\r\n" +
                  crlf(block));
    CHECK(o.report.fully_encrypted);
    CHECK(o.report.fully_signed);
    CHECK(o.message.text_body == "全部暗号化\n");
}

TEST_CASE("inline clear-signed text, also in ISO-2022-JP") {
    auto& w = PgpWorld::get();
    auto o = open(header("coord@example.test", "cmd") + "Content-Type: text/plain\r\n\r\n" +
                  crlf(w.coordinator().clearsign("accept\n")));
    CHECK(o.report.is_signed);
    CHECK(o.report.signature == SignatureStatus::good);
    CHECK(o.report.fully_signed);
    CHECK(o.message.text_body == "accept\n");

    // "受理します" in ISO-2022-JP, signed as those bytes.
    const std::string jis = "\x1b$B<uM}$7$^$9\x1b(B\n";
    const std::string signed_jis = w.coordinator().clearsign(jis);
    auto j = open(
        header("coord@example.test", "cmd") +
        "Content-Type: text/plain; charset=ISO-2022-JP\r\nContent-Transfer-Encoding: 7bit\r\n\r\n" +
        crlf(signed_jis));
    INFO(j.report.problem);
    CHECK(j.report.signature == SignatureStatus::good);
    CHECK(j.message.text_body == "受理します\n");

    std::string tampered = w.coordinator().clearsign("accept\n");
    tampered.replace(tampered.find("accept"), 6, "reject");
    auto bad = open(header("coord@example.test", "cmd") + "Content-Type: text/plain\r\n\r\n" +
                    crlf(tampered));
    CHECK(bad.report.signature == SignatureStatus::bad);
}

namespace {

// What both attachment tests expect: the encrypted file opened, the detached signature of
// report.pdf good, the key file read.
void check_files_opened(const app::OpenedMessage& o, const std::string& fingerprint) {
    const auto& r = o.report;
    INFO(r.problem);
    CHECK(r.form == app::PgpForm::attachment);
    CHECK(r.decrypted_ok);
    REQUIRE(o.message.attachments.size() == 4);
    CHECK(o.message.attachments[0].filename == "poc.txt");
    std::string scratch;
    CHECK(o.message.attachments[0].content(scratch) == "PoC bytes\n");
    bool sig_good = false;
    for (const auto& p : r.parts)
        if (p.where == "attachment report.pdf.sig" && p.outcome == "good") sig_good = true;
    CHECK(sig_good);
    REQUIRE(r.keys.size() == 1);
    CHECK(r.keys[0].key.fingerprint == fingerprint);
}

}  // namespace

TEST_CASE("attachments: .asc encrypted file, detached signature of a file, key file") {
    auto& w = PgpWorld::get();
    const std::string encrypted = w.discoverer().encrypt_to(w.bot_fingerprint, "PoC bytes\n", true);
    const std::string pdf = "%PDF-1.4 fake report\r\n";  // as it travels (no base64 here)
    const std::string pdf_sig = w.discoverer().detach_sign(pdf);
    const std::string key = w.discoverer().home->export_public(w.discoverer().fingerprint);
    auto attachment = [](const std::string& name, const std::string& type,
                         const std::string& body) {
        return "--m\r\nContent-Type: " + type + "; name=\"" + name +
               "\"\r\nContent-Disposition: attachment; filename=\"" + name + "\"\r\n\r\n" +
               crlf(body) + "\r\n";
    };
    const std::string raw = header("disc@example.test", "files") +
                            "Content-Type: multipart/mixed; boundary=\"m\"\r\n\r\n"
                            "--m\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n" +
                            attachment("poc.txt.asc", "application/octet-stream", encrypted) +
                            attachment("report.pdf", "application/octet-stream", pdf) +
                            attachment("report.pdf.sig", "application/pgp-signature", pdf_sig) +
                            attachment("OpenPGP_0xDISC.asc", "application/pgp-keys", key) +
                            "--m--\r\n";
    auto o = open(raw);
    check_files_opened(o, w.discoverer().fingerprint);
    const auto& r = o.report;
    CHECK(r.encrypted);
    CHECK_FALSE(r.fully_encrypted);
    CHECK_FALSE(r.is_signed);  // signatures over attachments do not vouch for the body
    CHECK(o.message.attachments[0].bytes == "PoC bytes\n");
    REQUIRE(r.keys.size() == 1);
    CHECK(r.keys[0].source == "attachment OpenPGP_0xDISC.asc");
    CHECK(crypto::may_learn(r.keys[0].key, "disc@example.test"));
}

// Intake parses with parse_message_deferred: large attachments stay encoded in the raw message
// and are decoded only where they are used. Here every attachment is deferred (threshold 1),
// binary or in base64, and open_pgp must read them as it reads decoded ones.
TEST_CASE("attachments left encoded by the parser are opened the same") {
    auto& w = PgpWorld::get();
    const std::string encrypted =
        w.discoverer().encrypt_to(w.bot_fingerprint, "PoC bytes\n", false);
    const std::string pdf = "%PDF-1.4 fake report\r\n\x01\xfe binary";
    const std::string pdf_sig = w.discoverer().detach_sign(pdf);
    const std::string key = w.discoverer().home->export_public(w.discoverer().fingerprint);
    const bool base64 = GENERATE(false, true);
    INFO((base64 ? "base64 (the composer's)" : "binary"));
    const std::vector<std::pair<std::string, std::string>> files = {{"poc.txt.gpg", encrypted},
                                                                    {"report.pdf", pdf},
                                                                    {"report.pdf.sig", pdf_sig},
                                                                    {"OpenPGP_0xDISC.asc", key}};
    const std::vector<std::string> types = {"application/octet-stream", "application/octet-stream",
                                            "application/pgp-signature", "application/pgp-keys"};
    std::string raw;
    if (base64) {
        mail::OutgoingMessage out;
        out.from = {"Sender", "disc@example.test"};
        out.to = {{"cvdbot", "bot@example.test"}};
        out.subject = "files";
        out.text_body = "see attached\n";
        for (std::size_t i = 0; i < files.size(); ++i)
            out.attachments.push_back({files[i].first, types[i], files[i].second});
        auto composed = mail::compose_message(out);
        REQUIRE(composed.ok());
        raw = *composed;
    } else {
        raw = header("disc@example.test", "files") +
              "Content-Type: multipart/mixed; boundary=\"m\"\r\n\r\n"
              "--m\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n";
        for (std::size_t i = 0; i < files.size(); ++i)
            raw += "--m\r\nContent-Type: " + types[i] + "; name=\"" + files[i].first +
                   "\"\r\nContent-Disposition: attachment; filename=\"" + files[i].first +
                   "\"\r\nContent-Transfer-Encoding: binary\r\n\r\n" + files[i].second + "\r\n";
        raw += "--m--\r\n";
    }
    const mail::Message parsed = mail::parse_message_deferred(raw, 1);
    REQUIRE(parsed.attachments.size() == 4);
    for (const auto& a : parsed.attachments) CHECK(a.deferred);
    std::string scratch;
    CHECK(parsed.attachments[1].content(scratch) == pdf);
    CHECK(parsed.attachments[1].content_prefix(5) == "%PDF-");
    auto opened = open_pgp(parsed, raw, w.bot);
    REQUIRE(opened.ok());
    check_files_opened(*opened, w.discoverer().fingerprint);
}

TEST_CASE("a newcomer's key inside the encrypted report verifies its signature") {
    auto& w = PgpWorld::get();
    const Party newcomer = test::make_party("new", "Newcomer");
    newcomer.home->import(w.bot_public);
    const std::string key = newcomer.home->export_public(newcomer.fingerprint);
    const std::string inner =
        "Content-Type: multipart/mixed; boundary=\"k\"\r\n\r\n--k\r\nContent-Type: "
        "text/plain\r\n\r\n"
        "my first report\r\n--k\r\nContent-Type: application/pgp-keys; name=\"key.asc\"\r\n\r\n" +
        crlf(key) + "\r\n--k--\r\n";
    auto o = open(pgp_mime_encrypted(header("new@example.test", "..."),
                                     newcomer.encrypt_to(w.bot_fingerprint, inner, true)));
    INFO(o.report.problem);
    CHECK(o.report.decrypted_ok);
    CHECK(o.report.signature == SignatureStatus::good);
    CHECK(o.report.signer_fingerprint == newcomer.fingerprint);
    REQUIRE(o.report.keys.size() == 1);
    CHECK(o.report.keys[0].key.is_new);
}

TEST_CASE("Autocrypt header: imported for the sender's address, ignored for another") {
    auto& w = PgpWorld::get();
    GpgHome ac("acr");
    const std::string fpr = ac.generate("Ac <ac@example.test>");
    const std::string keydata = ac.gpg_ok({"--export-options", "export-minimal", "--export", fpr});
    const std::string value = crypto::format_autocrypt("ac@example.test", keydata);
    // Folded as a composer would fold it.
    std::string folded;
    for (char c : value) folded += c == ' ' ? std::string("\r\n ") : std::string(1, c);
    const std::string body = "Content-Type: text/plain\r\n\r\nhi\r\n";
    auto o = open(header("ac@example.test", "hi", "Autocrypt: " + folded + "\r\n") + body);
    REQUIRE(o.report.keys.size() == 1);
    CHECK(o.report.keys[0].key.fingerprint == fpr);
    CHECK(o.report.keys[0].source == "autocrypt");
    CHECK(crypto::may_learn(o.report.keys[0].key, "ac@example.test"));

    GpgHome other("acx");
    const std::string fpr2 = other.generate("Other <other@example.test>");
    const std::string value2 =
        crypto::format_autocrypt("other@example.test", other.gpg_ok({"--export", fpr2}));
    auto mismatch = open(header("ac@example.test", "hi", "Autocrypt: " + value2 + "\r\n") + body);
    CHECK(mismatch.report.keys.empty());
    auto listed = w.bot.lookup(fpr2);
    REQUIRE(listed.ok());
    CHECK_FALSE(listed->has_value());
}

TEST_CASE("a secret key sent by mistake is refused and reported") {
    GpgHome careless("sec");
    const std::string fpr = careless.generate("Careless <careless@example.test>");
    const std::string secret = careless.gpg_ok({"--armor", "--export-secret-keys", fpr});
    auto o = open(header("careless@example.test", "my key") + "Content-Type: text/plain\r\n\r\n" +
                  crlf(secret));
    CHECK(o.report.keys.empty());
    CHECK(o.report.problem.find("secret") != std::string::npos);
    auto ours = PgpWorld::get().bot.bot_keys();
    REQUIRE(ours.ok());
    CHECK(ours->size() == 1);
}
