#pragma once
// The keyring's key listing, kept between operations (internal). Listing keys spawns gpg;
// decrypting a message needs the listing twice (which of our keys opened it, whose key
// signed it), so without a cache every message would cost three gpg runs. Outgoing mail
// needs the bot's exported key (attachment, Autocrypt header), its signing key handle and the
// recipients' exported keys (in-process encryption) on every message: those are kept here
// too, so that a reply costs no gpg run once they are.

#include <gpgme.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "cvdbot/core/result.hpp"
#include "cvdbot/crypto/keyring.hpp"
#include "cvdbot/crypto/types.hpp"

namespace cvd::crypto::detail {

class KeyCache {
  public:
    using Keys = std::shared_ptr<const std::vector<KeyInfo>>;
    using Lister = std::function<core::Result<std::vector<KeyInfo>>()>;

    explicit KeyCache(std::filesystem::path gnupg_home) : home_(std::move(gnupg_home)) {}

    // The cached listing, or a fresh one from `list` when the keyring files changed (another
    // gpg, an import, a new key) or the listing is older than max_age (keys expire by time).
    core::Result<Keys> keys(const Lister& list);
    void invalidate();

    using Exporter = std::function<core::Result<std::string>()>;
    // A key handle shared by the operations using it (released with gpgme_key_unref).
    using SharedKey = std::shared_ptr<std::remove_pointer_t<gpgme_key_t>>;
    using KeyGetter = std::function<core::Result<SharedKey>()>;
    // Values that depend only on the keyring's files, kept until the files change or
    // invalidate(): key data exported under `name` (fingerprint and export options), and
    // the key handle of a signer (a secret key lookup is a gpg run of its own).
    core::Result<std::shared_ptr<const std::string>> exported(const std::string& name,
                                                              const Exporter& produce);
    core::Result<SharedKey> signer(const std::string& fingerprint, const KeyGetter& produce);

    static constexpr std::chrono::seconds max_age{60};

    // While held (counted: nested and concurrent holds), the keyring files are looked at once
    // and that look stands in for the checks before each operation. invalidate() (our own
    // import) looks again.
    void hold_stamp();
    void release_stamp();

  private:
    using Stamp = KeyringStamp;
    // Under mutex_.
    Stamp stamp();
    // Drops the file-derived values when the files are no longer those they came from.
    void forget_if_changed(const Stamp& now_stamp);

    std::filesystem::path home_;
    std::mutex mutex_;
    Keys keys_;
    Stamp stamp_;
    std::chrono::steady_clock::time_point listed_at_;
    Stamp derived_stamp_;
    int holds_ = 0;
    std::optional<Stamp> held_;
    std::map<std::string, std::shared_ptr<const std::string>> exported_;
    std::map<std::string, SharedKey> signers_;
};

// The key with this primary or subkey fingerprint, or key id; nullptr when absent.
const KeyInfo* find_in(const std::vector<KeyInfo>& keys, std::string_view fingerprint_or_id);

}  // namespace cvd::crypto::detail
