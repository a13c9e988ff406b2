// The key cache's look at the keyring files: before every operation, or once while held.

#include "key_cache.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "gpg_cli.hpp"

using namespace cvd;

TEST_CASE(
    "while the keyring files are held they are looked at once, and again after our own import") {
    const std::string home = test::make_temp_dir("kcache");
    // The size is part of the stamp: a rewrite shows even within the file time's resolution.
    const auto rewrite = [&](const std::string& content) {
        std::ofstream(home + "/pubring.kbx", std::ios::binary | std::ios::trunc) << content;
    };
    rewrite("1");
    crypto::detail::KeyCache cache(home);
    int listings = 0;
    const auto lister = [&]() -> core::Result<std::vector<crypto::KeyInfo>> {
        ++listings;
        return std::vector<crypto::KeyInfo>{};
    };
    const auto listed = [&] {
        REQUIRE(cache.keys(lister).ok());
        return listings;
    };
    CHECK(listed() == 1);
    CHECK(listed() == 1);
    rewrite("22");
    CHECK(listed() == 2);  // not held: another process's change shows at once

    cache.hold_stamp();
    CHECK(listed() == 2);
    rewrite("333");
    CHECK(listed() == 2);  // held: the files are not looked at again
    cache.invalidate();    // an import of our own
    CHECK(listed() == 3);
    rewrite("4444");
    cache.hold_stamp();  // nested
    cache.release_stamp();
    CHECK(listed() == 3);
    cache.release_stamp();
    CHECK(listed() == 4);  // released: the change shows
    std::filesystem::remove_all(home);
}

TEST_CASE("Keyring::FilesChecked holds the look for its lifetime") {
    const std::string home = test::make_temp_dir("kcheld");
    crypto::KeyringSettings settings;
    settings.gnupg_home = home;
    settings.bot_user_id = "cvdbot <bot@example.test>";
    auto keyring = crypto::Keyring::open(settings);
    REQUIRE(keyring.ok());
    REQUIRE(keyring->ensure_bot_key().ok());
    test::GpgHome other("kcother");
    const auto key = other.export_public(other.generate("other@example.test"));
    const auto count = [&] {
        auto keys = keyring->list_keys();
        REQUIRE(keys.ok());
        return keys->size();
    };
    const auto before = count();
    {
        const crypto::Keyring::FilesChecked held(*keyring);
        CHECK(count() == before);
        // Another process imports a key: not seen while held.
        REQUIRE(test::run({"gpg", "--homedir", home, "--batch", "--import"}, key).status == 0);
        CHECK(count() == before);
    }
    CHECK(count() == before + 1);
    test::run({"gpgconf", "--homedir", home, "--kill", "gpg-agent"});
    std::error_code ignored;  // the agent may still be removing its sockets
    std::filesystem::remove_all(home, ignored);
}
