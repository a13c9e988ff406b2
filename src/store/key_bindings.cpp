// Which OpenPGP key belongs to which address.

#include "store_impl.hpp"

namespace cvd::store {

namespace {
bool is_fingerprint(const std::string& text) {
    if (text.size() != 40 && text.size() != 64) return false;
    for (char c : text)
        if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'))) return false;
    return true;
}
}  // namespace

core::Result<std::vector<KeyBindingRecord>> Store::key_bindings_for(const std::string& address) {
    auto stmt = impl_->db.prepare(
        "SELECT address, fingerprint, kind, added_at, source_message FROM key_bindings WHERE address = ? ORDER BY id");
    if (!stmt) return stmt.error();
    stmt->bind(1, domain::normalize_address(address));
    std::vector<KeyBindingRecord> out;
    auto read = sql::read_all(*stmt, [&](const sql::Statement& row) -> core::Status {
        bool ok = true;
        KeyBindingRecord r{row.column_text(0), row.column_text(1), row.column_text(2), read_time(row, 3, ok),
                           row.column_optional_int(4)};
        if (!ok || !is_fingerprint(r.fingerprint) || (r.kind != "learned" && r.kind != "registered"))
            return corrupt("key binding of " + r.address);
        out.push_back(std::move(r));
        return {};
    });
    if (!read) return read.error();
    return out;
}

core::Status Store::bind_key(const KeyBindingRecord& binding) {
    if (!is_fingerprint(binding.fingerprint) || (binding.kind != "learned" && binding.kind != "registered"))
        return core::make_error(core::ErrorKind::invalid_input, "invalid key binding " + binding.fingerprint);
    const auto address = domain::normalize_address(binding.address);
    if (address.empty() || address.find_first_of("\r\n\t ,<>") != std::string::npos)
        return core::make_error(core::ErrorKind::invalid_input, "invalid address '" + address + "'");
    auto stmt = impl_->db.prepare(
        "INSERT INTO key_bindings (address, fingerprint, kind, added_at, source_message) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT (address, fingerprint) DO UPDATE SET added_at = excluded.added_at, "
        "kind = CASE WHEN key_bindings.kind = 'registered' THEN 'registered' ELSE excluded.kind END");
    if (!stmt) return stmt.error();
    stmt->bind(1, address).bind(2, binding.fingerprint).bind(3, binding.kind).bind(4, core::to_unix(binding.added_at));
    stmt->bind(5, binding.source_message);
    return stmt->run();
}

}  // namespace cvd::store
