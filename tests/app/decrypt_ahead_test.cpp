// DecryptAhead: PGP/MIME mail decrypted on a thread of its own, its answers taken by the
// daemon's Keyring; never an answer made before a key change.

#include "decrypt_ahead.hpp"

#include <catch2/catch.hpp>
#include <chrono>
#include <thread>
#include <vector>

#include "pgp_open.hpp"
#include "pgp_world.hpp"

using namespace cvd;
using test::Party;
using test::PgpWorld;

namespace {

std::string encrypted_mail(const Party& from, const std::string& ciphertext) {
    return "From: <" + from.address +
           ">\r\nTo: <bot@example.test>\r\nSubject: report\r\nMIME-Version: 1.0\r\n"
           "Content-Type: multipart/encrypted; protocol=\"application/pgp-encrypted\";\r\n"
           " boundary=\"b1\"\r\n\r\n--b1\r\nContent-Type: application/pgp-encrypted\r\n\r\n"
           "Version: 1\r\n\r\n--b1\r\nContent-Type: application/octet-stream\r\n\r\n" +
           ciphertext + "\r\n--b1--\r\n";
}

void wait_decrypted(app::DecryptAhead& ahead, int count) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (ahead.counts().decrypted < count && std::chrono::steady_clock::now() < until)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    REQUIRE(ahead.counts().decrypted == count);
}

// The daemon's keyring asks DecryptAhead first while this lives.
struct Precomputed {
    crypto::Keyring& keyring;
    Precomputed(crypto::Keyring& k, std::shared_ptr<app::DecryptAhead> ahead) : keyring(k) {
        keyring.use_precomputed(std::move(ahead));
    }
    ~Precomputed() { keyring.use_precomputed(nullptr); }
};

// A sender who knows the bot's key, and a DecryptAhead on the bot's keyring.
std::pair<Party, std::shared_ptr<app::DecryptAhead>> sender_and_ahead(PgpWorld& w,
                                                                      const std::string& name) {
    Party sender = test::make_party(name, name + " Sender");
    sender.gpg({"--import"}, w.bot_public);
    auto started = app::DecryptAhead::start(w.bot.settings());
    REQUIRE(started);
    return {std::move(sender), *started};
}

}  // namespace

TEST_CASE("decrypt ahead: an answer made before the signer's key came is not used") {
    auto& w = PgpWorld::get();
    const auto [late, ahead] = sender_and_ahead(w, "late");
    Precomputed use(w.bot, ahead);

    const std::string first = encrypted_mail(late, late.encrypt_to(w.bot_fingerprint, "one", true));
    ahead->offer(1, first);
    wait_decrypted(*ahead, 1);
    // The signer's key arrives now, as an earlier message's Autocrypt header would bring it.
    REQUIRE(w.bot.import_keys(late.gpg({"--armor", "--export", late.fingerprint}, "")).ok());
    auto payload = app::pgp_mime_ciphertext(first);
    REQUIRE(payload);
    auto opened = w.bot.decrypt(*payload);
    REQUIRE(opened);
    CHECK(opened->plaintext == "one");
    REQUIRE(opened->signatures.size() == 1);
    CHECK(opened->signatures[0].status == crypto::SignatureStatus::good);
    CHECK(ahead->counts().stale == 1);
    CHECK(ahead->counts().used == 0);

    // With the keyring unchanged, the next answer is taken as made: no gpg run of its own.
    const std::string second =
        encrypted_mail(late, late.encrypt_to(w.bot_fingerprint, "two", true));
    ahead->offer(2, second);
    wait_decrypted(*ahead, 2);
    opened = w.bot.decrypt(*app::pgp_mime_ciphertext(second));
    REQUIRE(opened);
    CHECK(opened->plaintext == "two");
    CHECK(opened->signatures.at(0).status == crypto::SignatureStatus::good);
    CHECK(ahead->counts().used == 1);

    // Plain mail and mail too large to copy are not taken; what was never offered is
    // decrypted by the daemon's keyring itself.
    ahead->offer(3, "From: <a@example.test>\r\nSubject: plain\r\n\r\nhello\r\n");
    ahead->offer(4, encrypted_mail(late, std::string(app::DecryptAhead::kMaxMessageBytes, 'x')));
    const std::string third =
        encrypted_mail(late, late.encrypt_to(w.bot_fingerprint, "three", true));
    opened = w.bot.decrypt(*app::pgp_mime_ciphertext(third));
    REQUIRE(opened);
    CHECK(opened->plaintext == "three");
    ahead->stop();
    CHECK(ahead->counts().decrypted == 2);
    CHECK(ahead->counts().used == 1);
}

TEST_CASE("decrypt ahead: a message the daemon waits for goes first, and is then settled") {
    auto& w = PgpWorld::get();
    const auto [sender, ahead] = sender_and_ahead(w, "queued");
    // All made first, then offered at once: the queue holds 2-5 while gpg works on 1. BZip2
    // keeps each decryption a gpg run (tens of ms): the in-process path opens the usual
    // message in about a millisecond, and rows 2-4 were then done before the checks below.
    std::vector<std::string> mails;
    for (int row = 1; row <= 5; ++row)
        mails.push_back(
            encrypted_mail(sender, sender.gpg({"--armor", "--always-trust", "--compress-algo",
                                               "bzip2", "--encrypt", "-r", w.bot_fingerprint},
                                              "report " + std::to_string(row))));
    for (std::int64_t row = 1; row <= 5; ++row) ahead->offer(row, mails[row - 1]);
    CHECK(ahead->unsettled(5));
    CHECK_FALSE(ahead->unsettled(9));  // never offered: nothing to wait for
    ahead->settle(5);
    CHECK_FALSE(ahead->unsettled(5));
    // Row 5 jumped the queue: row 4, last behind 2 and 3, is still waiting. Without the jump,
    // settling 5 would have waited for 2, 3 and 4 as well.
    CHECK(ahead->unsettled(4));
    for (std::int64_t row = 1; row <= 4; ++row) ahead->settle(row);
    CHECK(ahead->counts().decrypted == 5);
    // The same ciphertext offered again (a resent message) is not decrypted twice.
    ahead->offer(6, mails[0]);
    CHECK_FALSE(ahead->unsettled(6));
    ahead->stop();
    CHECK(ahead->counts().decrypted == 5);
}
