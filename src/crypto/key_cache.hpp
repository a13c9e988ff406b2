#pragma once
// The keyring's key listing, kept between operations (internal). Listing keys spawns gpg;
// decrypting a message needs the listing twice (which of our keys opened it, whose key
// signed it), so without a cache every message would cost three gpg runs.

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "cvdbot/core/result.hpp"
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

    static constexpr std::chrono::seconds max_age{60};

  private:
    struct Stamp {
        std::filesystem::file_time_type pubring_time{}, secret_time{};
        std::uintmax_t pubring_size = 0;
        bool operator==(const Stamp&) const = default;
    };
    Stamp stamp() const;

    std::filesystem::path home_;
    std::mutex mutex_;
    Keys keys_;
    Stamp stamp_;
    std::chrono::steady_clock::time_point listed_at_;
};

// The key with this primary or subkey fingerprint, or key id; nullptr when absent.
const KeyInfo* find_in(const std::vector<KeyInfo>& keys, std::string_view fingerprint_or_id);

}  // namespace cvd::crypto::detail
