// The append-only audit log and a case's merged timeline.

#include <algorithm>

#include "store_impl.hpp"

namespace cvd::store {

using core::Result;
using core::Status;

Status Store::audit(const AuditEntry& entry) {
    auto stmt = impl_->db.prepare(
        "INSERT INTO audit_log (case_id, at, actor, action, detail, message_id) VALUES (?, ?, ?, ?, ?, ?)");
    if (!stmt) return stmt.error();
    stmt->bind(1, entry.case_row_id).bind(2, core::to_unix(entry.at)).bind(3, entry.actor).bind(4, entry.action);
    stmt->bind(5, entry.detail).bind(6, entry.message_row_id);
    return stmt->run();
}

Result<std::vector<AuditEntry>> Store::audit_log(std::int64_t case_row_id) {
    auto stmt = impl_->db.prepare(
        "SELECT id, case_id, at, actor, action, detail, message_id FROM audit_log WHERE case_id = ? ORDER BY at, id");
    if (!stmt) return stmt.error();
    stmt->bind(1, case_row_id);
    std::vector<AuditEntry> out;
    for (;;) {
        auto row = stmt->step();
        if (!row) return row.error();
        if (!*row) return out;
        bool ok = true;
        AuditEntry e{stmt->column_int(0), stmt->column_optional_int(1), read_time(*stmt, 2, ok), stmt->column_text(3),
                     stmt->column_text(4), stmt->column_text(5), stmt->column_optional_int(6)};
        if (!ok) return corrupt("audit entry " + std::to_string(e.row_id));
        out.push_back(std::move(e));
    }
}

Result<std::vector<TimelineEntry>> Store::timeline(std::int64_t case_row_id) {
    std::vector<TimelineEntry> out;
    auto stmt = impl_->db.prepare(
        "SELECT m.id, m.direction, m.stored_at, m.sender, m.recipients, m.subject, m.status, "
        "coalesce(o.state, ''), coalesce(o.last_error, '') "
        "FROM messages m LEFT JOIN outbox o ON o.message_id = m.id WHERE m.case_id = ? ORDER BY m.stored_at, m.id");
    if (!stmt) return stmt.error();
    stmt->bind(1, case_row_id);
    for (;;) {
        auto row = stmt->step();
        if (!row) return row.error();
        if (!*row) break;
        bool ok = true;
        TimelineEntry e;
        e.row_id = stmt->column_int(0);
        e.kind = stmt->column_text(1);
        e.at = read_time(*stmt, 2, ok);
        if (!ok || (e.kind != "inbound" && e.kind != "outbound")) return corrupt("message " + std::to_string(e.row_id));
        if (e.kind == "inbound") {
            e.summary = "from " + stmt->column_text(3) + ": " + stmt->column_text(5) + " [" + stmt->column_text(6) + "]";
        } else {
            e.summary = "to " + stmt->column_text(4) + ": " + stmt->column_text(5) + " [" + stmt->column_text(7) + "]";
            if (!stmt->column_text(8).empty()) e.summary += " last error: " + stmt->column_text(8);
        }
        out.push_back(std::move(e));
    }
    auto audit = audit_log(case_row_id);
    if (!audit) return audit.error();
    for (const auto& a : *audit)
        out.push_back(TimelineEntry{a.at, "event", a.action + " by " + a.actor + (a.detail.empty() ? "" : ": " + a.detail),
                                    a.row_id});
    std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.at < b.at; });
    return out;
}

}  // namespace cvd::store
