#pragma once
// Which key belongs to which address, and how much that is worth. The keyring only holds
// keys; this is cvdbot's own trust decision:
//   - a *learned* key arrived by mail (an attached key, a key block, an Autocrypt header)
//     from that address: good enough to encrypt to, never enough to authorise anything;
//   - a *registered* key was added by an administrator (`cvdbot key import FILE --for
//     ADDRESS`): it may also authorise commands (a coordinator's signed mail).
// The store implements KeyBindings (a table of bindings); MemoryKeyBindings is for tests.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cvdbot/core/result.hpp"
#include "cvdbot/core/time.hpp"
#include "cvdbot/crypto/types.hpp"

namespace cvd::crypto {

enum class BindingKind { learned, registered };

const char* to_string(BindingKind kind);

struct KeyBinding {
    std::string address;      // lower-case addr-spec
    std::string fingerprint;  // primary key, upper-case hex
    BindingKind kind = BindingKind::learned;
    core::Timestamp added_at{};
    std::optional<std::int64_t> source_message;  // the stored message it was learned from
};

class KeyBindings {
  public:
    virtual ~KeyBindings() = default;
    // Every binding of the address, in any order.
    virtual core::Result<std::vector<KeyBinding>> bindings_for(std::string_view address) = 0;
    // Adds or refreshes (address, fingerprint). A registered binding is never downgraded
    // to learned.
    virtual core::Status bind(const KeyBinding& binding) = 0;
};

class MemoryKeyBindings final : public KeyBindings {
  public:
    core::Result<std::vector<KeyBinding>> bindings_for(std::string_view address) override;
    core::Status bind(const KeyBinding& binding) override;
    const std::vector<KeyBinding>& all() const { return bindings_; }

  private:
    std::vector<KeyBinding> bindings_;
};

// The key to encrypt to for `address`: among its bindings whose key is in `keys` and can
// encrypt now, a registered one before a learned one, then the most recently added.
// nullopt when there is none (then the bot asks for a key).
std::optional<KeyInfo> choose_encryption_key(const std::vector<KeyBinding>& bindings,
                                             const std::vector<KeyInfo>& keys);

// May a signature by `fingerprint` act for `address`? Only a registered binding counts.
bool may_authorise(const std::vector<KeyBinding>& bindings, std::string_view address,
                   std::string_view fingerprint);

// Should a key that arrived in mail from `sender` be learned for the sender's address? Only
// when one of the key's user ids is that address: a key for someone else proves nothing.
bool may_learn(const ImportedKey& key, std::string_view sender);

}  // namespace cvd::crypto
