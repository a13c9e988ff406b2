#include "store_key_bindings.hpp"

namespace cvd::app {

core::Result<std::vector<crypto::KeyBinding>> StoreKeyBindings::bindings_for(std::string_view address) {
    auto rows = store_.key_bindings_for(std::string(address));
    if (!rows) return rows.error();
    std::vector<crypto::KeyBinding> out;
    for (const auto& r : *rows)
        out.push_back(crypto::KeyBinding{r.address, r.fingerprint,
                                         r.kind == "registered" ? crypto::BindingKind::registered
                                                                : crypto::BindingKind::learned,
                                         r.added_at, r.source_message});
    return out;
}

core::Status StoreKeyBindings::bind(const crypto::KeyBinding& binding) {
    return store_.bind_key(store::KeyBindingRecord{binding.address, binding.fingerprint, crypto::to_string(binding.kind),
                                                   binding.added_at, binding.source_message});
}

}  // namespace cvd::app
