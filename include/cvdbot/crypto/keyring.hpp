#pragma once
// The bot's OpenPGP keyring: one GnuPG home directory driven through GPGME. Each operation
// borrows a GPGME context from a pool and spawns one gpg, except what mail needs every time:
// detached signatures are made by the home's gpg-agent over one kept connection, encrypted
// messages are built in process (libgcrypt, the agent signing) for cv25519 and RSA recipients,
// and messages to our cv25519 subkeys are opened in process (the agent decrypting the session
// key, libgcrypt the rest) when they are unsigned or signed by a usable primary key we hold.
// gpg does what those paths cannot, and gives every verdict on damage or doubtful signatures. The
// key listing is cached until the keyring files change or a minute passes, so that opening a
// message costs one gpg run rather than three. Copies of a Keyring share pool and cache; operations
// may run on several threads at once.
//
// Errors: a core::Error means *we* could not do the work (gpg missing, the home directory
// unusable, the passphrase file wrong): retry later or fix the configuration, and never
// blame the sender. What is wrong with a *message* (not encrypted to us, corrupt, a bad
// signature) is reported inside a successful result (Decryption, Verification).
//
// Trust: encryption uses GPGME's always-trust flag and signatures are judged only on their
// own terms. Whether a key belongs to a participant is cvdbot's decision (key_bindings.hpp),
// not GnuPG's web of trust.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cvdbot/core/result.hpp"
#include "cvdbot/crypto/types.hpp"

namespace cvd::crypto {

namespace detail {
class KeyCache;
class ContextPool;
class AgentSigner;
}  // namespace detail

// The [crypto] configuration section.
struct KeyringSettings {
    // GnuPG home directory; created (mode 0700) when missing. Its path must stay short:
    // gpg-agent's sockets live inside it and Unix socket paths are limited to 107 bytes.
    std::filesystem::path gnupg_home;
    // First line = passphrase of the bot's secret key; empty path = the key has none.
    std::filesystem::path passphrase_file;
    // User id of a generated bot key, e.g. "cvdbot <bot@example.org>".
    std::string bot_user_id;
    // Lifetime of a generated bot key in days; 0 = does not expire.
    int key_validity_days = 0;
    // Told why a signature or an encryption was left to gpg instead of being made in process
    // (a debug log line: this module does not log). May be empty.
    std::function<void(const std::string& why)> on_fallback;
};

// The longest gnupg_home accepted (the agent's longest socket name must fit in sun_path).
constexpr std::size_t max_gnupg_home_length = 87;

struct EncryptOptions {
    bool sign = true;             // sign with the bot's signing key (signed and encrypted)
    bool encrypt_to_self = true;  // also to the bot's signing key, so the archive stays readable
};

// What decides a key lookup's, a decryption's or a signature check's outcome besides the bytes:
// the home's files (the public keyring's time and size, the secret keys' directory, the trust
// database). Equal stamps: nothing another gpg, an import or a new key could change has.
struct KeyringStamp {
    std::filesystem::file_time_type pubring{}, secrets{}, trustdb{};
    std::uintmax_t pubring_size = 0;
    bool operator==(const KeyringStamp&) const = default;
};
KeyringStamp keyring_stamp(const std::filesystem::path& gnupg_home);

// Decryptions made ahead of time (another thread, another Keyring on the same home):
// Keyring::decrypt answers from here when there is one for exactly these bytes, made with
// the keyring as it is now.
class PrecomputedDecryptions {
  public:
    virtual ~PrecomputedDecryptions() = default;
    virtual std::optional<Decryption> take(std::string_view ciphertext) = 0;
};

class Keyring {
  public:
    // Checks the settings, creates the home directory, reads the passphrase file and finds
    // gpg. Does not create keys: see ensure_bot_key.
    static core::Result<Keyring> open(KeyringSettings settings);

    const KeyringSettings& settings() const { return settings_; }

    // While one lives, the keyring files are checked for changes (another gpg, an import) once
    // rather than before every operation, each check being four stat calls: for a batch of
    // messages. A change by another process shows from the next batch on; our own imports
    // show at once. Any number may live at a time, on any thread.
    class FilesChecked {
      public:
        explicit FilesChecked(const Keyring& keyring);
        ~FilesChecked();
        FilesChecked(const FilesChecked&) = delete;
        FilesChecked& operator=(const FilesChecked&) = delete;

      private:
        std::shared_ptr<detail::KeyCache> cache_;
    };

    // --- keys (keys.cpp)
    // Every public key, with has_secret set for ours; sorted by fingerprint.
    core::Result<std::vector<KeyInfo>> list_keys() const;
    // The key (primary or subkey fingerprint, or key id) from the cached listing; nullopt
    // when absent.
    core::Result<std::optional<KeyInfo>> lookup(std::string_view fingerprint_or_id) const;
    // The bot's own keys (those with a secret key), newest first. Several after a rollover:
    // all of them decrypt, the newest usable one signs.
    core::Result<std::vector<KeyInfo>> bot_keys() const;
    // The newest bot key that can sign and encrypt; not_found when there is none.
    core::Result<KeyInfo> signing_key() const;
    // signing_key(), generating a key pair first when there is none (first start).
    core::Result<KeyInfo> ensure_bot_key();
    // A new key pair: ed25519 primary (sign, certify) and a cv25519 encryption subkey, v4,
    // protected by the configured passphrase. A new key becomes the signing key.
    core::Result<KeyInfo> generate_bot_key();

    // Imports public keys from armored or binary key data (several keys may come in one
    // file). Data holding any secret key is refused as a whole (invalid_input). A
    // well-formed input with no usable key gives an empty `keys` and a problem.
    core::Result<ImportResult> import_keys(std::string_view key_data);
    // An armored public key; `minimal` drops third-party signatures and old self-signatures.
    core::Result<std::string> export_public_key(std::string_view fingerprint, bool armor = true,
                                                bool minimal = false) const;

    // --- messages (decrypt.cpp, encrypt.cpp)
    // Decrypts armored or binary OpenPGP data and checks any signature inside it.
    core::Result<Decryption> decrypt(std::string_view ciphertext) const;
    // decrypt() asks `source` first (null: nobody).
    void use_precomputed(std::shared_ptr<PrecomputedDecryptions> source) {
        precomputed_ = std::move(source);
    }
    // A detached signature over `signed_data` (PGP/MIME signed: the exact bytes of the first
    // part, with CRLF line ends).
    core::Result<Verification> verify_detached(std::string_view signed_data,
                                               std::string_view signature) const;
    // A clear-signed text or opaque signed data; `plaintext` is what was signed.
    core::Result<Verification> verify_inline(std::string_view signed_message) const;
    // Armored ciphertext for the recipients (primary key fingerprints), with always-trust.
    // A recipient key that is missing, revoked, expired or cannot encrypt is an error
    // naming it (kind crypto, or not_found).
    core::Result<std::string> encrypt(std::string_view plaintext,
                                      const std::vector<std::string>& recipient_fingerprints,
                                      const EncryptOptions& options = {}) const;
    // An armored detached signature by the signing key (binary mode: sign canonical CRLF
    // text yourself).
    core::Result<DetachedSignature> sign_detached(std::string_view data) const;

  private:
    Keyring(KeyringSettings settings, std::string passphrase);

    friend struct ContextAccess;  // src/crypto: builds GPGME contexts from these fields
    KeyringSettings settings_;
    std::string passphrase_;
    std::shared_ptr<detail::KeyCache> cache_;
    std::shared_ptr<detail::ContextPool> pool_;
    std::shared_ptr<detail::AgentSigner> agent_;
    std::shared_ptr<PrecomputedDecryptions> precomputed_;
};

// Hex digits only, upper case; "0x" prefix and spaces removed. Empty when not hex.
std::string normalize_fingerprint(std::string_view text);

}  // namespace cvd::crypto
