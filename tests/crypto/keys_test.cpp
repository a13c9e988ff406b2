// Key management: the bot's own keys (first start, rollover, passphrase), import, export.

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>

#include "cvdbot/crypto/armor.hpp"
#include "cvdbot/crypto/keyring.hpp"
#include "pgp_world.hpp"

using namespace cvd::crypto;
using cvd::core::ErrorKind;
using cvd::test::GpgHome;
using cvd::test::PgpWorld;

TEST_CASE("first start: the bot's key pair is made once, ed25519 + cv25519, v4, no expiry") {
    GpgHome home("first");
    auto keyring = cvd::test::open_keyring(home.path());
    auto none = keyring.bot_keys();
    REQUIRE(none.ok());
    CHECK(none->empty());
    auto made = keyring.ensure_bot_key();
    REQUIRE(made.ok());
    auto keys = keyring.bot_keys();
    REQUIRE(keys.ok());
    REQUIRE(keys->size() == 1);
    const KeyInfo& k = keys->front();
    CHECK(k.fingerprint == made->fingerprint);
    CHECK(k.fingerprint.size() == 40);  // v4
    CHECK(k.has_secret);
    CHECK(k.can_sign);
    CHECK(k.can_encrypt);
    CHECK_FALSE(k.expires.has_value());
    CHECK(k.user_ids == std::vector<std::string>{"cvdbot <bot@example.test>"});
    CHECK(k.addresses == std::vector<std::string>{"bot@example.test"});
    CHECK(k.subkey_fingerprints.size() == 2);

    // The algorithms and capabilities, as the gpg command line sees them.
    auto listing = home.gpg_ok({"--with-colons", "--list-keys", k.fingerprint});
    CHECK(listing.find(":ed25519:") != std::string::npos);
    CHECK(listing.find(":cv25519:") != std::string::npos);
    CHECK(listing.find("pub:u:255:22:") != std::string::npos);  // EdDSA primary
    CHECK(listing.find("sub:u:255:18:") != std::string::npos);  // ECDH subkey

    // Calling it again does not make another key.
    auto again = keyring.ensure_bot_key();
    REQUIRE(again.ok());
    CHECK(again->fingerprint == made->fingerprint);
    auto still = keyring.bot_keys();
    REQUIRE(still.ok());
    CHECK(still->size() == 1);
}

TEST_CASE("a configured key lifetime gives the bot's key an expiry date") {
    GpgHome home("life");
    KeyringSettings s;
    s.gnupg_home = home.path();
    s.bot_user_id = "cvdbot <bot@example.test>";
    s.key_validity_days = 730;
    auto keyring = Keyring::open(s);
    REQUIRE(keyring.ok());
    auto key = keyring->ensure_bot_key();
    REQUIRE(key.ok());
    REQUIRE(key->expires.has_value());
    const auto days =
        std::chrono::duration_cast<std::chrono::hours>(*key->expires - key->created).count() / 24;
    CHECK(days == 730);
}

TEST_CASE("list_keys and lookup mark ours and the state of others") {
    auto& w = PgpWorld::get();
    for (const auto* p : {&w.discoverer(), &w.vendor(), &w.revoked(), &w.expired(), &w.stranger()})
        REQUIRE_FALSE(p->fingerprint.empty());
    auto keys = w.bot.list_keys();
    REQUIRE(keys.ok());
    CHECK(keys->size() >= 5);  // the bot's and the people's so far; never the stranger's
    auto find = [&](const std::string& fpr) -> const KeyInfo* {
        for (const auto& k : *keys)
            if (k.fingerprint == fpr) return &k;
        return nullptr;
    };
    REQUIRE(find(w.discoverer().fingerprint));
    CHECK_FALSE(find(w.discoverer().fingerprint)->has_secret);
    CHECK(find(w.discoverer().fingerprint)->usable());
    CHECK(find(w.revoked().fingerprint)->revoked);
    CHECK_FALSE(find(w.revoked().fingerprint)->can_encrypt);
    CHECK(find(w.expired().fingerprint)->expired);
    CHECK(find(w.stranger().fingerprint) == nullptr);

    // By subkey key id (as a message names its recipient) too.
    const std::string subkey = find(w.vendor().fingerprint)->subkey_fingerprints.back();
    auto by_id = w.bot.lookup(subkey.substr(24));
    REQUIRE(by_id.ok());
    REQUIRE(by_id->has_value());
    CHECK((*by_id)->fingerprint == w.vendor().fingerprint);
    auto missing = w.bot.lookup(w.stranger().fingerprint);
    REQUIRE(missing.ok());
    CHECK_FALSE(missing->has_value());
}

TEST_CASE("import: armored and binary keys, fingerprints and addresses") {
    GpgHome home("imp");
    auto keyring = cvd::test::open_keyring(home.path());
    GpgHome other("oth");
    const std::string a = other.generate("Alice <Alice@Example.test>");
    const std::string b = other.generate("Bob <bob@example.test>");

    auto first = keyring.import_keys(other.export_public(a));
    REQUIRE(first.ok());
    REQUIRE(first->keys.size() == 1);
    CHECK(first->keys[0].fingerprint == a);
    CHECK(first->keys[0].addresses == std::vector<std::string>{"alice@example.test"});
    CHECK(first->keys[0].is_new);
    CHECK(first->problems.empty());

    auto again = keyring.import_keys(other.export_public(a));
    REQUIRE(again.ok());
    REQUIRE(again->keys.size() == 1);
    CHECK_FALSE(again->keys[0].is_new);

    // Both keys, binary, in one blob.
    auto both = keyring.import_keys(other.gpg_ok({"--export", a, b}));
    REQUIRE(both.ok());
    CHECK(both->keys.size() == 2);

    auto listed = keyring.list_keys();
    REQUIRE(listed.ok());
    CHECK(listed->size() == 2);
}

TEST_CASE("import refuses secret keys, and reports data without keys") {
    GpgHome home("imq");
    auto keyring = cvd::test::open_keyring(home.path());
    GpgHome other("otq");
    const std::string a = other.generate("Carol <carol@example.test>");
    const std::string secret = other.gpg_ok({"--armor", "--export-secret-keys", a});
    CHECK(contains_secret_key(secret));
    auto refused = keyring.import_keys(secret);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().kind == ErrorKind::invalid_input);
    CHECK(refused.error().message.find("secret") != std::string::npos);
    // Binary secret keys too, also when mixed with a public key.
    auto mixed = keyring.import_keys(other.gpg_ok({"--export", a}) +
                                     other.gpg_ok({"--export-secret-keys", a}));
    REQUIRE_FALSE(mixed.ok());
    auto bots = keyring.bot_keys();
    REQUIRE(bots.ok());
    CHECK(bots->empty());

    auto garbage = keyring.import_keys("hello, here is my key: (forgot to attach it)\n");
    REQUIRE(garbage.ok());
    CHECK(garbage->keys.empty());
    REQUIRE_FALSE(garbage->problems.empty());
}

TEST_CASE("export: armored and minimal binary") {
    auto& w = PgpWorld::get();
    auto armored = w.bot.export_public_key(w.bot_fingerprint);
    REQUIRE(armored.ok());
    CHECK(classify(*armored) == PgpKind::public_key);
    CHECK_FALSE(contains_secret_key(*armored));
    auto minimal = w.bot.export_public_key(w.bot_fingerprint, false, true);
    REQUIRE(minimal.ok());
    CHECK(classify(*minimal) == PgpKind::public_key);
    CHECK(minimal->size() < armored->size());
    auto missing = w.bot.export_public_key(w.stranger().fingerprint);
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.error().kind == ErrorKind::not_found);
}

TEST_CASE("rollover: the newest key signs, every bot key still decrypts") {
    GpgHome home("roll");
    // The old key was made two years ago by the same home (the gpg command line fakes time).
    const std::string old_fpr = home.generate("cvdbot <bot@example.test>", "never",
                                              {"--faked-system-time", "20241201T000000"});
    auto keyring = cvd::test::open_keyring(home.path());
    auto before = keyring.ensure_bot_key();
    REQUIRE(before.ok());
    CHECK(before->fingerprint == old_fpr);  // a usable key exists: nothing generated

    auto fresh = keyring.generate_bot_key();
    REQUIRE(fresh.ok());
    CHECK(fresh->fingerprint != old_fpr);
    auto bots = keyring.bot_keys();
    REQUIRE(bots.ok());
    REQUIRE(bots->size() == 2);
    CHECK(bots->front().fingerprint == fresh->fingerprint);
    auto signer = keyring.signing_key();
    REQUIRE(signer.ok());
    CHECK(signer->fingerprint == fresh->fingerprint);

    // A correspondent who still has only the old key.
    GpgHome client("rcl");
    client.import(home.export_public(old_fpr));
    auto d = keyring.decrypt(client.gpg_ok(
        {"--armor", "--always-trust", "--encrypt", "-r", old_fpr}, "to the old key\n"));
    REQUIRE(d.ok());
    CHECK(d->ok());
    CHECK(d->plaintext == "to the old key\n");
    CHECK(d->decrypted_with == old_fpr);

    // What the bot sends now is signed by the new key.
    client.import(*keyring.export_public_key(fresh->fingerprint));
    auto out = keyring.sign_detached("data");
    REQUIRE(out.ok());
    auto v = keyring.verify_detached("data", out->armored);
    REQUIRE(v.ok());
    REQUIRE(v->signatures.size() == 1);
    CHECK(v->signatures[0].fingerprint == fresh->fingerprint);
}

TEST_CASE("rollovers within one second: the key added last signs") {
    // Creation times are whole seconds; a fast machine made the CI's two keys in the same
    // one and the fingerprint then picked the older key. gpg.conf freezes the clock here.
    GpgHome home("rollsec");
    {
        std::ofstream conf(home.path() + "/gpg.conf");
        conf << "faked-system-time 20260101T000000!\n";
    }
    auto keyring = cvd::test::open_keyring(home.path());
    std::vector<std::string> made;
    for (int i = 0; i < 4; ++i) {
        auto key = keyring.generate_bot_key();
        REQUIRE(key.ok());
        made.push_back(key->fingerprint);
        auto signer = keyring.signing_key();
        REQUIRE(signer.ok());
        CHECK(signer->fingerprint == key->fingerprint);
    }
    auto bots = keyring.bot_keys();
    REQUIRE(bots.ok());
    REQUIRE(bots->size() == 4);
    for (std::size_t i = 0; i < 4; ++i) {
        CHECK(bots->at(i).created == bots->front().created);  // really the same second
        CHECK(bots->at(i).fingerprint == made[3 - i]);
    }
}

TEST_CASE("newest first: creation time, then the order keys were added") {
    auto key = [](std::string fpr, std::int64_t created, std::size_t position) {
        KeyInfo k;
        k.fingerprint = std::move(fpr);
        k.created = cvd::core::from_unix(created);
        k.keyring_position = position;
        return k;
    };
    std::vector<KeyInfo> keys{key("A0", 100, 0), key("B0", 200, 3), key("C0", 200, 1),
                              key("F0", 200, 2), key("D0", 50, 4)};
    sort_newest_first(keys);
    std::vector<std::string> order;
    for (const auto& k : keys) order.push_back(k.fingerprint);
    CHECK(order == std::vector<std::string>{"B0", "F0", "C0", "A0", "D0"});
}

TEST_CASE("a passphrase-protected bot key") {
    GpgHome home("pass");
    const std::string dir = cvd::test::make_temp_dir("pwf");
    auto write = [&](const std::string& name, const std::string& text) {
        std::ofstream(dir + "/" + name) << text;
        return dir + "/" + name;
    };
    const std::string right = write("right", "correct horse battery staple\n");
    const std::string wrong = write("wrong", "Tr0ub4dor&3\n");

    auto keyring = cvd::test::open_keyring(home.path(), right);
    auto key = keyring.ensure_bot_key();
    REQUIRE(key.ok());
    // The secret key really is protected: gpg without the passphrase cannot sign.
    home.kill_agent();
    auto unprotected =
        home.gpg({"--armor", "--detach-sign", "--local-user", key->fingerprint}, "x");
    CHECK(unprotected.status != 0);

    GpgHome client("pcl");
    client.import(*keyring.export_public_key(key->fingerprint));
    const std::string message = client.gpg_ok(
        {"--armor", "--always-trust", "--encrypt", "-r", key->fingerprint}, "secret\n");

    home.kill_agent();  // forget the cached passphrase
    auto d = keyring.decrypt(message);
    REQUIRE(d.ok());
    CHECK(d->plaintext == "secret\n");

    home.kill_agent();
    auto with_wrong = cvd::test::open_keyring(home.path(), wrong);
    auto failed = with_wrong.decrypt(message);
    REQUIRE_FALSE(failed.ok());
    CHECK(failed.error().kind == ErrorKind::config);
    CHECK(failed.error().message.find("passphrase") != std::string::npos);
    auto sign_failed = with_wrong.sign_detached("x");
    REQUIRE_FALSE(sign_failed.ok());
    CHECK(sign_failed.error().kind == ErrorKind::config);

    home.kill_agent();
    auto without = cvd::test::open_keyring(home.path());
    auto failed_too = without.decrypt(message);
    REQUIRE_FALSE(failed_too.ok());
    CHECK(failed_too.error().kind == ErrorKind::config);
    std::filesystem::remove_all(dir);
}

TEST_CASE("settings are checked when the keyring opens") {
    KeyringSettings s;
    auto empty = Keyring::open(s);
    REQUIRE_FALSE(empty.ok());
    CHECK(empty.error().kind == ErrorKind::config);

    s.gnupg_home = "/tmp/" + std::string(90, 'g');
    auto too_long = Keyring::open(s);
    REQUIRE_FALSE(too_long.ok());
    CHECK(too_long.error().kind == ErrorKind::config);
    CHECK(too_long.error().message.find("at most") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(s.gnupg_home));

    const std::string dir = cvd::test::make_temp_dir("set");
    s.gnupg_home = dir + "/new/home";
    s.passphrase_file = dir + "/missing";
    auto no_file = Keyring::open(s);
    REQUIRE_FALSE(no_file.ok());
    CHECK(no_file.error().message.find("passphrase_file") != std::string::npos);

    s.passphrase_file.clear();
    auto created = Keyring::open(s);
    REQUIRE(created.ok());
    CHECK(std::filesystem::is_directory(dir + "/new/home"));
    CHECK((std::filesystem::status(dir + "/new/home").permissions() &
           std::filesystem::perms::others_all) == std::filesystem::perms::none);
    // No key yet and no user id to make one with.
    auto sign = created->signing_key();
    REQUIRE_FALSE(sign.ok());
    CHECK(sign.error().kind == ErrorKind::not_found);
    auto generate = created->ensure_bot_key();
    REQUIRE_FALSE(generate.ok());
    CHECK(generate.error().kind == ErrorKind::config);
    std::filesystem::remove_all(dir);
}
