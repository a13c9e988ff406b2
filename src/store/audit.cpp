// The append-only audit log and a case's merged timeline.

#include <algorithm>

#include "lookup_sql.hpp"
#include "store_impl.hpp"

namespace cvd::store {

using core::Result;
using core::Status;

Status Store::audit(const AuditEntry& entry) {
    auto stmt = impl_->db.prepare(
        "INSERT INTO audit_log (case_id, at, actor, action, detail, message_id) VALUES (?, ?, ?, "
        "?, ?, ?)");
    if (!stmt) return stmt.error();
    stmt->bind(1, entry.case_row_id)
        .bind(2, core::to_unix(entry.at))
        .bind(3, entry.actor)
        .bind(4, entry.action);
    stmt->bind(5, entry.detail).bind(6, entry.message_row_id);
    return stmt->run();
}

Result<std::pair<int, int>> Store::count_audit(const std::string& action, const std::string& detail,
                                               std::optional<std::int64_t> case_row_id,
                                               core::Timestamp since) {
    const auto since_unix = core::to_unix(since);
    auto count = [&](const char* sql, auto key) -> Result<int> {
        auto stmt = impl_->db.prepare(sql);
        if (!stmt) return stmt.error();
        stmt->bind(1, key).bind(2, action).bind(3, since_unix);
        auto row = stmt->step();
        if (!row) return row.error();
        return static_cast<int>(stmt->column_int(0));
    };
    auto by_detail = count(sql_text::kAuditCountByDetail, std::string_view(detail));
    if (!by_detail) return by_detail.error();
    int by_case = 0;
    if (case_row_id) {
        auto counted = count(sql_text::kAuditCountByCase, *case_row_id);
        if (!counted) return counted.error();
        by_case = *counted;
    }
    return std::pair{*by_detail, by_case};
}

Result<std::vector<AuditEntry>> Store::audit_log(std::int64_t case_row_id) {
    auto stmt = impl_->db.prepare(
        "SELECT id, case_id, at, actor, action, detail, message_id FROM audit_log WHERE case_id = "
        "? ORDER BY at, id");
    if (!stmt) return stmt.error();
    stmt->bind(1, case_row_id);
    std::vector<AuditEntry> out;
    auto read = sql::read_all(*stmt, [&](const sql::Statement& row) -> Status {
        bool ok = true;
        AuditEntry e{row.column_int(0),         row.column_optional_int(1), read_time(row, 2, ok),
                     row.column_text(3),        row.column_text(4),         row.column_text(5),
                     row.column_optional_int(6)};
        if (!ok) return corrupt("audit entry " + std::to_string(e.row_id));
        out.push_back(std::move(e));
        return {};
    });
    if (!read) return read.error();
    return out;
}

Result<std::vector<TimelineEntry>> Store::timeline(std::int64_t case_row_id) {
    std::vector<TimelineEntry> out;
    auto stmt = impl_->db.prepare(
        "SELECT m.id, m.direction, m.stored_at, m.sender, m.recipients, m.subject, m.status, "
        "coalesce(o.state, ''), coalesce(o.last_error, '') "
        "FROM messages m LEFT JOIN outbox o ON o.message_id = m.id WHERE m.case_id = ? ORDER BY "
        "m.stored_at, m.id");
    if (!stmt) return stmt.error();
    stmt->bind(1, case_row_id);
    auto read = sql::read_all(*stmt, [&](const sql::Statement& row) -> Status {
        bool ok = true;
        TimelineEntry e;
        e.row_id = row.column_int(0);
        e.kind = row.column_text(1);
        e.at = read_time(row, 2, ok);
        if (!ok || (e.kind != "inbound" && e.kind != "outbound"))
            return corrupt("message " + std::to_string(e.row_id));
        if (e.kind == "inbound") {
            e.summary = "from " + row.column_text(3) + ": " + row.column_text(5) + " [" +
                        row.column_text(6) + "]";
        } else {
            e.summary = "to " + row.column_text(4) + ": " + row.column_text(5) + " [" +
                        row.column_text(7) + "]";
            if (!row.column_text(8).empty()) e.summary += " last error: " + row.column_text(8);
        }
        out.push_back(std::move(e));
        return {};
    });
    if (!read) return read.error();
    auto audit = audit_log(case_row_id);
    if (!audit) return audit.error();
    for (const auto& a : *audit)
        out.push_back(TimelineEntry{
            a.at, "event", a.action + " by " + a.actor + (a.detail.empty() ? "" : ": " + a.detail),
            a.row_id});
    std::stable_sort(out.begin(), out.end(),
                     [](const auto& a, const auto& b) { return a.at < b.at; });
    return out;
}

}  // namespace cvd::store
