// `cvdbot key ...` without the CLI: the functions behind the commands.

#include "key_commands.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "cvdbot/crypto/armor.hpp"
#include "pgp_world.hpp"

using namespace cvd;
using test::GpgHome;

TEST_CASE("keyring settings come from the configuration") {
    app::Config config;
    config.database = "/var/lib/cvdbot/cvdbot.db";
    config.bot.name = "CVD Bot";
    config.bot.address = "bot@example.org";
    auto s = app::keyring_settings(config);
    CHECK(s.gnupg_home == "/var/lib/cvdbot/gnupg");
    CHECK(s.bot_user_id == "CVD Bot <bot@example.org>");
    CHECK(s.passphrase_file.empty());
    config.database = "cvdbot.db";
    CHECK(app::keyring_settings(config).gnupg_home == "./gnupg");
    // [crypto] in the configuration wins.
    config.crypto.gnupg_home = "/srv/gpg";
    config.crypto.passphrase_file = "/etc/cvdbot/pass";
    config.crypto.key_validity_days = 730;
    s = app::keyring_settings(config);
    CHECK(s.gnupg_home == "/srv/gpg");
    CHECK(s.passphrase_file == "/etc/cvdbot/pass");
    CHECK(s.key_validity_days == 730);
}

TEST_CASE("key export-bot creates the key once; key list shows it first") {
    GpgHome home("cli");
    auto keyring = test::open_keyring(home.path());
    std::ostringstream first, second;
    REQUIRE(app::export_bot_key(keyring, false, first).ok());
    CHECK(crypto::classify(first.str()) == crypto::PgpKind::public_key);
    REQUIRE(app::export_bot_key(keyring, false, second).ok());
    CHECK(first.str() == second.str());
    auto ours = keyring.bot_keys();
    REQUIRE(ours.ok());
    REQUIRE(ours->size() == 1);

    // Someone else's key too, then the list.
    GpgHome other("clo");
    const std::string fpr = other.generate("Vendor <psirt@vendor.example>");
    const std::string file = home.path() + "/vendor.asc";
    std::ofstream(file) << other.export_public(fpr);
    std::ostringstream imported;
    auto s = app::import_key_file(keyring, file, "PSIRT@vendor.example", imported);
    INFO((s.ok() ? std::string() : s.error().message));
    REQUIRE(s.ok());
    CHECK(imported.str() == fpr + " imported (psirt@vendor.example)\n");

    std::ostringstream list;
    REQUIRE(app::print_key_list(keyring, list).ok());
    const std::string text = list.str();
    CHECK(text.rfind("FINGERPRINT", 0) == 0);
    const auto bot_line = text.find(ours->front().fingerprint + "  bot,signing");
    const auto vendor_line = text.find(fpr + "  -");
    CHECK(bot_line != std::string::npos);
    CHECK(vendor_line != std::string::npos);
    CHECK(bot_line < vendor_line);
    CHECK(text.find("psirt@vendor.example") != std::string::npos);

    // After a rollover --all exports both, the signing key first.
    auto fresh = keyring.generate_bot_key();
    REQUIRE(fresh.ok());
    std::ostringstream all;
    REQUIRE(app::export_bot_key(keyring, true, all).ok());
    CHECK(crypto::find_armored_blocks(all.str()).size() == 2);
}

TEST_CASE("key import refuses what it cannot use") {
    GpgHome home("clj");
    auto keyring = test::open_keyring(home.path());
    std::ostringstream out;
    auto bad_address = app::import_key_file(keyring, "/nonexistent", "not an address", out);
    REQUIRE_FALSE(bad_address.ok());
    CHECK(bad_address.error().kind == core::ErrorKind::invalid_input);
    auto missing =
        app::import_key_file(keyring, home.path() + "/missing.asc", "a@example.test", out);
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.error().message.find("cannot read") != std::string::npos);

    const std::string text = home.path() + "/note.txt";
    std::ofstream(text) << "no key here\n";
    auto no_key = app::import_key_file(keyring, text, "a@example.test", out);
    REQUIRE_FALSE(no_key.ok());
    CHECK(no_key.error().message.find("no public key") != std::string::npos);

    GpgHome other("clk");
    const std::string fpr = other.generate("Secret <s@example.test>");
    const std::string secret = home.path() + "/secret.asc";
    std::ofstream(secret) << other.gpg_ok({"--armor", "--export-secret-keys", fpr});
    auto refused = app::import_key_file(keyring, secret, "s@example.test", out);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().message.find("secret") != std::string::npos);
    CHECK(out.str().empty());
}
