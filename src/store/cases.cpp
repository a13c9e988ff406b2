// Cases and their participants.

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
    return c;
}

namespace {
Result<std::vector<domain::Case>> read_cases(sql::Statement& stmt) {
    std::vector<domain::Case> out;
    for (;;) {
        auto row = stmt.step();
        if (!row) return row.error();
        if (!*row) return out;
        bool ok = true;
        auto c = read_case_row(stmt, ok);
        if (!ok) return corrupt("case row " + std::to_string(c.row_id));
        out.push_back(std::move(c));
    }
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
        created = domain::Case{impl_->db.last_insert_id(), core::CaseId{prefix, year, number},
                               domain::CaseState::received, title, now, now};
        return {};
    });
    if (!status) return status.error();
    return created;
}

Result<std::optional<domain::Case>> Store::find_case(const core::CaseId& id) {
    auto stmt = impl_->db.prepare(std::string("SELECT ") + kCaseColumns +
                                  " FROM cases c WHERE c.prefix = ? AND c.year = ? AND c.number = ?");
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

Result<std::optional<domain::Case>> Store::find_case_by_message_ids(const std::vector<std::string>& message_ids) {
    // Newest reference first: the last id in References is the direct parent.
    for (auto it = message_ids.rbegin(); it != message_ids.rend(); ++it) {
        if (it->empty()) continue;
        auto stmt = impl_->db.prepare(std::string("SELECT ") + kCaseColumns +
                                      " FROM messages m JOIN cases c ON c.id = m.case_id "
                                      "WHERE m.message_id = ? ORDER BY m.id LIMIT 1");
        if (!stmt) return stmt.error();
        stmt->bind(1, *it);
        auto found = first_case(*stmt);
        if (!found || *found) return found;
    }
    return std::optional<domain::Case>{};
}

Status Store::set_case_state(std::int64_t case_row_id, domain::CaseState state, core::Timestamp now) {
    auto stmt = impl_->db.prepare("UPDATE cases SET state = ?, updated_at = ? WHERE id = ?");
    if (!stmt) return stmt.error();
    stmt->bind(1, domain::to_string(state)).bind(2, core::to_unix(now)).bind(3, case_row_id);
    return stmt->run();
}

Result<std::vector<CaseSummary>> Store::list_cases() {
    auto stmt = impl_->db.prepare(
        std::string("SELECT ") + kCaseColumns +
        ", (SELECT address FROM participants p WHERE p.case_id = c.id AND p.role = 'discoverer' ORDER BY p.id LIMIT 1)"
        ", (SELECT count(*) FROM messages m WHERE m.case_id = c.id)"
        " FROM cases c ORDER BY c.year, c.number, c.prefix");
    if (!stmt) return stmt.error();
    std::vector<CaseSummary> out;
    for (;;) {
        auto row = stmt->step();
        if (!row) return row.error();
        if (!*row) return out;
        bool ok = true;
        CaseSummary summary{read_case_row(*stmt, ok), stmt->column_text(8), stmt->column_int(9)};
        if (!ok) return corrupt("case row " + std::to_string(summary.record.row_id));
        out.push_back(std::move(summary));
    }
}

Result<domain::Participant> Store::add_participant(const domain::Participant& participant, core::Timestamp now) {
    auto stmt = impl_->db.prepare(
        "INSERT INTO participants (case_id, role, address, display_name, language, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (case_id, role, address) DO NOTHING");
    if (!stmt) return stmt.error();
    const auto address = domain::normalize_address(participant.address);
    stmt->bind(1, participant.case_row_id).bind(2, domain::to_string(participant.role)).bind(3, address);
    stmt->bind(4, participant.display_name).bind(5, participant.language).bind(6, core::to_unix(now));
    if (auto s = stmt->run(); !s) return s.error();
    domain::Participant stored = participant;
    stored.address = address;
    stored.row_id = impl_->db.changes() == 1 ? impl_->db.last_insert_id() : 0;
    return stored;
}

Result<std::vector<domain::Participant>> Store::participants(std::int64_t case_row_id) {
    auto stmt = impl_->db.prepare(
        "SELECT id, case_id, role, address, display_name, language FROM participants WHERE case_id = ? ORDER BY id");
    if (!stmt) return stmt.error();
    stmt->bind(1, case_row_id);
    std::vector<domain::Participant> out;
    for (;;) {
        auto row = stmt->step();
        if (!row) return row.error();
        if (!*row) return out;
        const auto role = domain::parse_role(stmt->column_text(2));
        if (!role) return corrupt("participant " + std::to_string(stmt->column_int(0)) + " has an unknown role");
        out.push_back(domain::Participant{stmt->column_int(0), stmt->column_int(1), *role, stmt->column_text(3),
                                          stmt->column_text(4), stmt->column_text(5)});
    }
}

}  // namespace cvd::store
