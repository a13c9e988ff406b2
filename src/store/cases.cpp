// Cases and their participants.

#include "cvdbot/core/text.hpp"
#include "lookup_sql.hpp"
#include "store_impl.hpp"

namespace cvd::store {

using core::Result;
using core::Status;

domain::Case read_case_row(const sql::Statement& row, bool& ok) {
    domain::Case c;
    c.row_id = row.column_int(0);
    c.id.prefix = row.column_text(1);
    c.id.year = static_cast<int>(row.column_int(2));
    c.id.number = static_cast<int>(row.column_int(3));
    const auto state = domain::parse_case_state(row.column_text(4));
    if (!state || !core::is_valid_case_prefix(c.id.prefix) || c.id.year < 1970 || c.id.year > 9999 || c.id.number < 1)
        ok = false;
    c.state = state.value_or(domain::CaseState::received);
    c.title = row.column_text(5);
    c.created_at = read_time(row, 6, ok);
    c.updated_at = read_time(row, 7, ok);
    const auto track = domain::parse_track(row.column_text(8));
    if (!track) ok = false;
    c.track = track.value_or(domain::Track::undecided);
    if (!row.column_is_null(9)) c.start_date = read_time(row, 9, ok);
    return c;
}

namespace {
Result<std::vector<domain::Case>> read_cases(sql::Statement& stmt) {
    std::vector<domain::Case> out;
    auto read = sql::read_all(stmt, [&](const sql::Statement& row) -> Status {
        bool ok = true;
        auto c = read_case_row(row, ok);
        if (!ok) return corrupt("case row " + std::to_string(c.row_id));
        out.push_back(std::move(c));
        return {};
    });
    if (!read) return read.error();
    return out;
}

Result<std::optional<domain::Case>> first_case(sql::Statement& stmt) {
    auto cases = read_cases(stmt);
    if (!cases) return cases.error();
    if (cases->empty()) return std::optional<domain::Case>{};
    return std::optional<domain::Case>(std::move(cases->front()));
}
}  // namespace

Result<domain::Case> Store::create_case(const std::string& prefix, core::Timestamp now, const std::string& title) {
    if (!core::is_valid_case_prefix(prefix))
        return core::make_error(core::ErrorKind::invalid_input, "invalid case prefix '" + prefix + "'");
    domain::Case created;
    auto status = transaction([&]() -> Status {
        const int year = core::year_of(now);
        auto counter = impl_->db.prepare(
            "INSERT INTO case_counters (prefix, year, last_number) VALUES (?1, ?2, 1) "
            "ON CONFLICT (prefix, year) DO UPDATE SET last_number = last_number + 1 RETURNING last_number");
        if (!counter) return counter.error();
        counter->bind(1, prefix).bind(2, std::int64_t{year});
        auto row = counter->step();
        if (!row) return row.error();
        const int number = static_cast<int>(counter->column_int(0));
        if (auto s = counter->run(); !s) return s;
        auto insert = impl_->db.prepare(
            "INSERT INTO cases (prefix, year, number, state, title, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
        if (!insert) return insert.error();
        insert->bind(1, prefix).bind(2, std::int64_t{year}).bind(3, std::int64_t{number});
        insert->bind(4, domain::to_string(domain::CaseState::received)).bind(5, title);
        insert->bind(6, core::to_unix(now)).bind(7, core::to_unix(now));
        if (auto s = insert->run(); !s) return s;
        created = domain::Case{};
        created.row_id = impl_->db.last_insert_id();
        created.id = core::CaseId{prefix, year, number};
        created.title = title;
        created.created_at = created.updated_at = now;
        return {};
    });
    if (!status) return status.error();
    return created;
}

Result<std::optional<domain::Case>> Store::find_case(const core::CaseId& id) {
    auto stmt =
        impl_->db.prepare(std::string("SELECT ") + kCaseColumns + sql_text::kCaseByTagWhere);
    if (!stmt) return stmt.error();
    stmt->bind(1, id.prefix).bind(2, std::int64_t{id.year}).bind(3, std::int64_t{id.number});
    return first_case(*stmt);
}

Result<std::optional<domain::Case>> Store::case_by_row(std::int64_t row_id) {
    auto stmt = impl_->db.prepare(std::string("SELECT ") + kCaseColumns + " FROM cases c WHERE c.id = ?");
    if (!stmt) return stmt.error();
    stmt->bind(1, row_id);
    return first_case(*stmt);
}

Status Store::set_case_state(std::int64_t case_row_id, domain::CaseState state, core::Timestamp now) {
    auto stmt = impl_->db.prepare("UPDATE cases SET state = ?, updated_at = ? WHERE id = ?");
    if (!stmt) return stmt.error();
    stmt->bind(1, domain::to_string(state)).bind(2, core::to_unix(now)).bind(3, case_row_id);
    return stmt->run();
}

Status Store::set_case_track(std::int64_t case_row_id, domain::Track track, core::Timestamp now) {
    auto stmt = impl_->db.prepare("UPDATE cases SET track = ?, updated_at = ? WHERE id = ?");
    if (!stmt) return stmt.error();
    stmt->bind(1, domain::to_string(track)).bind(2, core::to_unix(now)).bind(3, case_row_id);
    return stmt->run();
}

Result<std::vector<CaseSummary>> Store::list_cases(const CaseFilter& filter) {
    std::string sql = std::string("SELECT ") + kCaseColumns +
                      ", (SELECT address FROM participants p WHERE p.case_id = c.id AND p.role = 'discoverer' "
                      "ORDER BY p.id LIMIT 1)"
                      ", (SELECT count(*) FROM messages m WHERE m.case_id = c.id)"
                      ", (SELECT group_concat(CASE WHEN p.organisation <> '' THEN p.organisation ELSE p.address END, "
                      "char(10)) FROM participants p WHERE p.case_id = c.id AND p.role = 'vendor')"
                      ", (SELECT min(due_at) FROM timers t WHERE t.case_id = c.id AND t.state = 'armed')"
                      " FROM cases c WHERE 1";
    if (filter.state) sql += " AND c.state = ?1";
    if (filter.track) sql += " AND c.track = ?2";
    if (filter.overdue_at)
        sql += " AND EXISTS (SELECT 1 FROM timers t WHERE t.case_id = c.id AND t.state = 'armed' AND t.due_at <= ?3)";
    if (!filter.vendor.empty())
        sql += " AND EXISTS (SELECT 1 FROM participants p WHERE p.case_id = c.id AND p.role = 'vendor' AND "
               "(instr(lower(p.address), lower(?4)) > 0 OR instr(lower(p.organisation), lower(?4)) > 0))";
    if (!filter.text.empty())
        sql += " AND (instr(lower(c.title), lower(?5)) > 0 OR EXISTS (SELECT 1 FROM messages m WHERE m.case_id = c.id "
               "AND (instr(lower(m.subject), lower(?5)) > 0 OR instr(lower(m.text_body), lower(?5)) > 0)))";
    sql += " ORDER BY c.year, c.number, c.prefix";
    auto stmt = impl_->db.prepare(sql);
    if (!stmt) return stmt.error();
    if (filter.state) stmt->bind(1, domain::to_string(*filter.state));
    if (filter.track) stmt->bind(2, domain::to_string(*filter.track));
    if (filter.overdue_at) stmt->bind(3, core::to_unix(*filter.overdue_at));
    if (!filter.vendor.empty()) stmt->bind(4, filter.vendor);
    if (!filter.text.empty()) stmt->bind(5, filter.text);
    std::vector<CaseSummary> out;
    auto read = sql::read_all(*stmt, [&](const sql::Statement& row) -> Status {
        bool ok = true;
        CaseSummary summary{read_case_row(row, ok), row.column_text(kCaseColumnCount),
                            row.column_int(kCaseColumnCount + 1), {}, std::nullopt};
        const std::string vendors = row.column_text(kCaseColumnCount + 2);
        for (auto v : core::split(vendors, '\n'))
            if (!v.empty()) summary.vendors.emplace_back(v);
        if (!row.column_is_null(kCaseColumnCount + 3)) summary.next_due = read_time(row, kCaseColumnCount + 3, ok);
        if (!ok) return corrupt("case row " + std::to_string(summary.record.row_id));
        out.push_back(std::move(summary));
        return {};
    });
    if (!read) return read.error();
    return out;
}

}  // namespace cvd::store
