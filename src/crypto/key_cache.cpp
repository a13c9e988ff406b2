#include "key_cache.hpp"

#include <algorithm>

#include "cvdbot/crypto/keyring.hpp"

namespace cvd::crypto {

bool KeyInfo::matches(std::string_view fingerprint_or_id) const {
    const std::string wanted = normalize_fingerprint(fingerprint_or_id);
    if (wanted.size() < 16) return false;
    for (const auto& f : subkey_fingerprints) {
        if (f == wanted) return true;
        // A key id is the fingerprint's last 16 digits (v4 keys).
        if (wanted.size() == 16 && f.size() >= 16 && f.compare(f.size() - 16, 16, wanted) == 0)
            return true;
    }
    return fingerprint == wanted;
}

void sort_newest_first(std::vector<KeyInfo>& keys) {
    std::sort(keys.begin(), keys.end(), [](const KeyInfo& a, const KeyInfo& b) {
        if (a.created != b.created) return a.created > b.created;
        if (a.keyring_position != b.keyring_position)
            return a.keyring_position > b.keyring_position;
        return a.fingerprint < b.fingerprint;
    });
}

KeyringStamp keyring_stamp(const std::filesystem::path& gnupg_home) {
    KeyringStamp s;
    std::error_code ec;
    // gpg 2.1+ keeps public keys in pubring.kbx; older homes still have pubring.gpg.
    for (const char* name : {"pubring.kbx", "pubring.gpg"}) {
        const auto path = gnupg_home / name;
        auto t = std::filesystem::last_write_time(path, ec);
        if (ec) continue;
        s.pubring = t;
        s.pubring_size = std::filesystem::file_size(path, ec);
        break;
    }
    if (auto t = std::filesystem::last_write_time(gnupg_home / "private-keys-v1.d", ec); !ec)
        s.secrets = t;
    if (auto t = std::filesystem::last_write_time(gnupg_home / "trustdb.gpg", ec); !ec)
        s.trustdb = t;
    return s;
}

}  // namespace cvd::crypto

namespace cvd::crypto::detail {

const KeyInfo* find_in(const std::vector<KeyInfo>& keys, std::string_view fingerprint_or_id) {
    for (const auto& k : keys)
        if (k.matches(fingerprint_or_id)) return &k;
    return nullptr;
}

core::Result<KeyCache::Keys> KeyCache::keys(const Lister& list) {
    std::lock_guard lock(mutex_);
    const Stamp now_stamp = stamp();
    const auto now = std::chrono::steady_clock::now();
    if (keys_ && now_stamp == stamp_ && now - listed_at_ < max_age) return keys_;
    auto listed = list();
    if (!listed) return listed.error();
    keys_ = std::make_shared<const std::vector<KeyInfo>>(std::move(*listed));
    stamp_ = now_stamp;
    listed_at_ = now;
    return keys_;
}

KeyCache::Stamp KeyCache::stamp() {
    if (holds_ == 0) return keyring_stamp(home_);
    if (!held_) held_ = keyring_stamp(home_);
    return *held_;
}

void KeyCache::hold_stamp() {
    std::lock_guard lock(mutex_);
    ++holds_;
}

void KeyCache::release_stamp() {
    std::lock_guard lock(mutex_);
    if (--holds_ == 0) held_.reset();
}

void KeyCache::invalidate() {
    std::lock_guard lock(mutex_);
    held_.reset();
    keys_.reset();
    exported_.clear();
    signers_.clear();
}

void KeyCache::forget_if_changed(const Stamp& now_stamp) {
    if (now_stamp == derived_stamp_) return;
    exported_.clear();
    signers_.clear();
    derived_stamp_ = now_stamp;
}

namespace {

// The value kept under `name`, or the one `produce` makes (then kept).
template <typename Value, typename Produce>
core::Result<Value> remembered(std::map<std::string, Value>& kept, const std::string& name,
                               const Produce& produce) {
    if (auto it = kept.find(name); it != kept.end()) return it->second;
    core::Result<Value> made = produce();
    if (made) kept.emplace(name, *made);
    return made;
}

}  // namespace

core::Result<std::shared_ptr<const std::string>> KeyCache::exported(const std::string& name,
                                                                    const Exporter& produce) {
    std::lock_guard lock(mutex_);
    forget_if_changed(stamp());
    using Shared = std::shared_ptr<const std::string>;
    return remembered(exported_, name, [&]() -> core::Result<Shared> {
        auto bytes = produce();
        if (!bytes) return bytes.error();
        return std::make_shared<const std::string>(std::move(*bytes));
    });
}

core::Result<KeyCache::SharedKey> KeyCache::signer(const std::string& fingerprint,
                                                   const KeyGetter& produce) {
    std::lock_guard lock(mutex_);
    forget_if_changed(stamp());
    return remembered(signers_, fingerprint, produce);
}

}  // namespace cvd::crypto::detail
