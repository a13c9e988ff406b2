#include "key_commands.hpp"
#include "store_key_bindings.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <fstream>
#include <iostream>
#include <sstream>

#include "cli.hpp"
#include "cvdbot/core/text.hpp"
#include "cvdbot/mail/address.hpp"

namespace cvd::app {

using core::ErrorKind;
using core::make_error;

crypto::KeyringSettings keyring_settings(const Config& config) {
    crypto::KeyringSettings s;
    std::filesystem::path dir = config.database.parent_path();
    s.gnupg_home = config.crypto.gnupg_home.empty() ? (dir.empty() ? std::filesystem::path(".") : dir) / "gnupg"
                                                    : config.crypto.gnupg_home;
    s.passphrase_file = config.crypto.passphrase_file;
    s.key_validity_days = config.crypto.key_validity_days;
    s.bot_user_id = config.bot.name + " <" + config.bot.address + ">";
    // Why a reply cost a gpg run (an unusual recipient key, no agent): worth a debug line.
    s.on_fallback = [](const std::string& why) { spdlog::debug("crypto: {}", why); };
    return s;
}

namespace {

std::string state_of(const crypto::KeyInfo& k, const std::string& signing) {
    std::string s = k.has_secret ? (k.fingerprint == signing ? "bot,signing" : "bot") : "";
    for (auto [flag, name] : {std::pair{k.revoked, "revoked"}, std::pair{k.expired, "expired"},
                              std::pair{k.disabled, "disabled"}, std::pair{k.invalid, "invalid"}})
        if (flag) s += (s.empty() ? "" : ",") + std::string(name);
    if (k.usable() && !k.can_encrypt) s += (s.empty() ? "" : ",") + std::string("no-encryption");
    return s.empty() ? "-" : s;
}

}  // namespace

core::Status print_key_list(const crypto::Keyring& keyring, std::ostream& out) {
    auto keys = keyring.list_keys();
    if (!keys) return keys.error();
    if (keys->empty()) {
        out << "no keys in " << keyring.settings().gnupg_home.string() << "\n";
        return {};
    }
    std::string signing;
    if (auto s = keyring.signing_key(); s) signing = s->fingerprint;
    std::stable_sort(keys->begin(), keys->end(),
                     [](const auto& a, const auto& b) { return a.has_secret > b.has_secret; });
    out << fmt::format("{:<40}  {:<20} {:<10} {:<10} {}\n", "FINGERPRINT", "STATE", "CREATED",
                       "EXPIRES", "ADDRESSES");
    for (const auto& k : *keys) {
        std::string addresses;
        for (const auto& a : k.addresses) addresses += (addresses.empty() ? "" : ", ") + a;
        out << fmt::format("{:<40}  {:<20} {:<10} {:<10} {}\n", k.fingerprint, state_of(k, signing),
                           core::format_iso8601(k.created).substr(0, 10),
                           k.expires ? core::format_iso8601(*k.expires).substr(0, 10) : "never",
                           addresses);
    }
    return {};
}

core::Status export_bot_key(crypto::Keyring& keyring, bool all, std::ostream& out) {
    const bool had_key = keyring.signing_key().ok();
    auto key = keyring.ensure_bot_key();
    if (!key) return key.error();
    if (!had_key)
        spdlog::info("created the bot's key pair {} in {}", key->fingerprint,
                     keyring.settings().gnupg_home.string());
    std::vector<std::string> fingerprints{key->fingerprint};
    if (all) {
        auto ours = keyring.bot_keys();
        if (!ours) return ours.error();
        for (const auto& k : *ours)
            if (k.fingerprint != key->fingerprint) fingerprints.push_back(k.fingerprint);
    }
    for (const auto& fpr : fingerprints) {
        auto armored = keyring.export_public_key(fpr);
        if (!armored) return armored.error();
        out << *armored;
    }
    return {};
}

core::Status import_key_file(crypto::Keyring& keyring, const std::filesystem::path& file,
                             const std::string& address, std::ostream& out,
                             crypto::KeyBindings* bindings) {
    const std::string wanted = core::to_lower_ascii(core::trim(address));
    if (!core::is_plausible_addr_spec(wanted))
        return make_error(ErrorKind::invalid_input,
                          "--for \"" + address + "\" is not an email address");
    std::ifstream in(file, std::ios::binary);
    if (!in) return make_error(ErrorKind::invalid_input, file.string() + ": cannot read");
    std::ostringstream data;
    data << in.rdbuf();
    auto result = keyring.import_keys(data.str());
    if (!result) return result.error();
    for (const auto& p : result->problems) spdlog::warn("{}: {}", file.string(), p);
    if (result->keys.empty())
        return make_error(ErrorKind::invalid_input, file.string() + ": no public key was imported");
    for (const auto& k : result->keys) {
        std::string addresses;
        for (const auto& a : k.addresses) addresses += (addresses.empty() ? "" : ", ") + a;
        out << fmt::format("{} {} ({})\n", k.fingerprint, k.is_new ? "imported" : "already present",
                           addresses.empty() ? "no address" : addresses);
        if (std::find(k.addresses.begin(), k.addresses.end(), wanted) == k.addresses.end())
            spdlog::warn("key {} has no user id for {}: registered for it anyway, as you asked",
                         k.fingerprint, wanted);
        if (!bindings) continue;
        if (auto s = bindings->bind({wanted, k.fingerprint, crypto::BindingKind::registered,
                                     core::SystemClock().now(), std::nullopt});
            !s)
            return s.error();
        out << fmt::format("{} registered for {}\n", k.fingerprint, wanted);
    }
    return {};
}

void add_key_commands(Cli& cli) {
    auto* key_cmd = cli.app.add_subcommand("key", "the bot's OpenPGP keyring");
    key_cmd->require_subcommand(1);
    auto home = std::make_shared<std::string>();
    key_cmd->add_option("--gnupg-home", *home,
                        "GnuPG home directory (default: from the configuration)");

    // The keyring opens on first use, after options are parsed.
    auto open = [&cli, home]() -> core::Result<crypto::Keyring> {
        crypto::KeyringSettings settings;
        auto config = cli.config();
        if (config) settings = keyring_settings(**config);
        if (!home->empty()) settings.gnupg_home = *home;
        if (settings.gnupg_home.empty()) return config.error();
        return crypto::Keyring::open(settings);
    };

    auto* list = key_cmd->add_subcommand("list", "every key, the bot's own first");
    list->callback([&cli, open] {
        auto keyring = open();
        if (!keyring) return cli.fail(keyring.error());
        if (auto s = print_key_list(*keyring, std::cout); !s) cli.fail(s.error());
    });

    auto* export_cmd =
        key_cmd->add_subcommand("export-bot", "the bot's public key, armored, for publishing");
    auto all = std::make_shared<bool>(false);
    export_cmd->add_flag("--all", *all, "every bot key (after a rollover), the signing key first");
    export_cmd->callback([&cli, open, all] {
        auto keyring = open();
        if (!keyring) return cli.fail(keyring.error());
        if (auto s = export_bot_key(*keyring, *all, std::cout); !s) cli.fail(s.error());
    });

    auto* import = key_cmd->add_subcommand(
        "import", "import a public key file and register it for an address");
    auto file = std::make_shared<std::string>();
    auto address = std::make_shared<std::string>();
    import->add_option("FILE", *file, "key file (armored or binary)")->required();
    import->add_option("--for", *address, "the address the key belongs to")->required();
    import->callback([&cli, open, file, address] {
        auto keyring = open();
    if (!keyring) return cli.fail(keyring.error());
    auto store = cli.store();
    if (!store) return cli.fail(store.error());
    StoreKeyBindings bindings(**store);
    if (auto s = import_key_file(*keyring, *file, *address, std::cout, &bindings); !s) cli.fail(s.error());
});
}  // namespace cvd::app

}  // namespace cvd::app
