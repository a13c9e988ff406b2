#pragma once
// `cvdbot key list|export-bot|import`: the bot's OpenPGP keyring from the command line. The
// work is done by the functions below, so tests need no CLI.

#include <filesystem>
#include <ostream>
#include <string>

#include "config.hpp"
#include "cvdbot/core/result.hpp"
#include "cvdbot/crypto/key_bindings.hpp"
#include "cvdbot/crypto/keyring.hpp"

namespace cvd::app {

struct Cli;
void add_key_commands(Cli& cli);

// The keyring settings from the configuration.
// TODO(lead): read them from the [crypto] section once Config has it (gnupg_home,
// passphrase_file, key_validity_days); until then: "gnupg" next to the database, no
// passphrase, keys that do not expire.
crypto::KeyringSettings keyring_settings(const Config& config);

// One line per key: fingerprint, state, created, addresses; the bot's keys first.
core::Status print_key_list(const crypto::Keyring& keyring, std::ostream& out);
// The armored public key of the bot's signing key (all bot keys with `all`), creating the
// key pair first when there is none.
core::Status export_bot_key(crypto::Keyring& keyring, bool all, std::ostream& out);
// Imports the public key(s) in `file` for `address` (an administrator's registration).
core::Status import_key_file(crypto::Keyring& keyring, const std::filesystem::path& file,
                             const std::string& address, std::ostream& out,
                             crypto::KeyBindings* bindings = nullptr);

}  // namespace cvd::app
