// Confidential messages held until their recipient has an OpenPGP key.

#include <nlohmann/json.hpp>

#include "store_impl.hpp"

namespace cvd::store {

using core::Result;
using core::Status;

Result<std::int64_t> Store::hold_message(const HeldMessage& held) {
    nlohmann::json vars = nlohmann::json::array();
    for (const auto& [key, value] : held.variables) vars.push_back({key, value});
    auto stmt = impl_->db.prepare(
        "INSERT INTO held_messages (case_id, participant_id, template, variables, held_at) VALUES (?, ?, ?, ?, ?)");
    if (!stmt) return stmt.error();
    stmt->bind(1, held.case_row_id).bind(2, held.participant_row_id).bind(3, held.template_name);
    stmt->bind(4, vars.dump()).bind(5, core::to_unix(held.held_at));
    if (auto s = stmt->run(); !s) return s.error();
    return impl_->db.last_insert_id();
}

Result<std::vector<HeldMessage>> Store::held_messages(std::optional<std::int64_t> participant_row_id) {
    auto stmt = impl_->db.prepare(
        "SELECT id, case_id, participant_id, template, variables, held_at FROM held_messages "
        "WHERE released_at IS NULL AND (?1 IS NULL OR participant_id = ?1) ORDER BY id");
    if (!stmt) return stmt.error();
    stmt->bind(1, participant_row_id);
    std::vector<HeldMessage> out;
    for (;;) {
        auto row = stmt->step();
        if (!row) return row.error();
        if (!*row) return out;
        HeldMessage h;
        h.row_id = stmt->column_int(0);
        h.case_row_id = stmt->column_int(1);
        h.participant_row_id = stmt->column_int(2);
        h.template_name = stmt->column_text(3);
        bool ok = !h.template_name.empty();
        // Our own JSON, read back as untrusted: pairs of strings or nothing.
        const auto vars = nlohmann::json::parse(stmt->column_text(4), nullptr, false);
        ok = ok && vars.is_array();
        if (ok)
            for (const auto& pair : vars) {
                if (!pair.is_array() || pair.size() != 2 || !pair[0].is_string() || !pair[1].is_string()) {
                    ok = false;
                    break;
                }
                h.variables.emplace_back(pair[0].get<std::string>(), pair[1].get<std::string>());
            }
        h.held_at = read_time(*stmt, 5, ok);
        if (!ok) return corrupt("held message " + std::to_string(h.row_id));
        out.push_back(std::move(h));
    }
}

Status Store::release_held(std::int64_t held_row_id, core::Timestamp now) {
    auto stmt = impl_->db.prepare("UPDATE held_messages SET released_at = ? WHERE id = ? AND released_at IS NULL");
    if (!stmt) return stmt.error();
    stmt->bind(1, core::to_unix(now)).bind(2, held_row_id);
    if (auto s = stmt->run(); !s) return s;
    if (impl_->db.changes() != 1)
        return core::make_error(core::ErrorKind::conflict, "held message " + std::to_string(held_row_id) +
                                                               " was already released");
    return {};
}

}  // namespace cvd::store
