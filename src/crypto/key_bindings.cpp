#include "cvdbot/crypto/key_bindings.hpp"

#include <algorithm>

#include "cvdbot/core/text.hpp"
#include "cvdbot/crypto/keyring.hpp"

namespace cvd::crypto {

namespace {

std::string normalize_address(std::string_view address) {
    return core::to_lower_ascii(core::trim(address));
}

}  // namespace

const char* to_string(BindingKind kind) {
    return kind == BindingKind::registered ? "registered" : "learned";
}

core::Result<std::vector<KeyBinding>> MemoryKeyBindings::bindings_for(std::string_view address) {
    const std::string a = normalize_address(address);
    std::vector<KeyBinding> out;
    for (const auto& b : bindings_)
        if (b.address == a) out.push_back(b);
    return out;
}

core::Status MemoryKeyBindings::bind(const KeyBinding& binding) {
    KeyBinding b = binding;
    b.address = normalize_address(b.address);
    b.fingerprint = normalize_fingerprint(b.fingerprint);
    for (auto& existing : bindings_) {
        if (existing.address != b.address || existing.fingerprint != b.fingerprint) continue;
        if (existing.kind == BindingKind::registered) b.kind = BindingKind::registered;
        existing = b;
        return {};
    }
    bindings_.push_back(std::move(b));
    return {};
}

std::optional<KeyInfo> choose_encryption_key(const std::vector<KeyBinding>& bindings,
                                             const std::vector<KeyInfo>& keys) {
    const KeyBinding* best = nullptr;
    const KeyInfo* best_key = nullptr;
    for (const auto& b : bindings) {
        const std::string fpr = normalize_fingerprint(b.fingerprint);
        auto k = std::find_if(keys.begin(), keys.end(),
                              [&](const KeyInfo& key) { return key.fingerprint == fpr; });
        if (k == keys.end() || !k->usable() || !k->can_encrypt) continue;
        const bool better =
            best == nullptr ||
            (b.kind == BindingKind::registered && best->kind == BindingKind::learned) ||
            (b.kind == best->kind && b.added_at > best->added_at);
        if (better) {
            best = &b;
            best_key = &*k;
        }
    }
    return best_key ? std::optional<KeyInfo>(*best_key) : std::nullopt;
}

bool may_authorise(const std::vector<KeyBinding>& bindings, std::string_view address,
                   std::string_view fingerprint) {
    const std::string a = normalize_address(address);
    const std::string fpr = normalize_fingerprint(fingerprint);
    if (fpr.size() < 40) return false;  // a bare key id proves nothing
    return std::any_of(bindings.begin(), bindings.end(), [&](const KeyBinding& b) {
        return b.kind == BindingKind::registered && normalize_address(b.address) == a &&
               normalize_fingerprint(b.fingerprint) == fpr;
    });
}

bool may_learn(const ImportedKey& key, std::string_view sender) {
    const std::string a = normalize_address(sender);
    return !a.empty() &&
           std::find(key.addresses.begin(), key.addresses.end(), a) != key.addresses.end();
}

}  // namespace cvd::crypto
