#pragma once
// The store's key-binding table behind crypto's KeyBindings interface.

#include "cvdbot/crypto/key_bindings.hpp"
#include "cvdbot/store/store.hpp"

namespace cvd::app {

class StoreKeyBindings final : public crypto::KeyBindings {
public:
    explicit StoreKeyBindings(store::Store& store) : store_(store) {}
    core::Result<std::vector<crypto::KeyBinding>> bindings_for(std::string_view address) override;
    core::Status bind(const crypto::KeyBinding& binding) override;

private:
    store::Store& store_;
};

}  // namespace cvd::app
