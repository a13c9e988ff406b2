// What the workflow remembers between events: dates, vendors' replies, timers firing once,
// and signed command mail already obeyed.

#include "store_impl.hpp"

namespace cvd::store {

using core::Result;
using core::Status;

Result<WorkflowFacts> Store::workflow_facts(std::int64_t case_row_id) {
    WorkflowFacts facts;
    auto c = impl_->db.prepare("SELECT publication_date FROM cases WHERE id = ?");
    if (!c) return c.error();
    c->bind(1, case_row_id);
    auto row = c->step();
    if (!row) return row.error();
    if (!*row) return core::make_error(core::ErrorKind::not_found, "no case #" + std::to_string(case_row_id));
    if (!c->column_is_null(0)) {
        bool ok = true;
        facts.publication_date = read_time(*c, 0, ok);
        if (!ok) return corrupt("case " + std::to_string(case_row_id) + " publication date");
    }
    auto p = impl_->db.prepare(
        "SELECT id, replied_at, pre_notice_allowed FROM participants WHERE case_id = ? ORDER BY id");
    if (!p) return p.error();
    p->bind(1, case_row_id);
    for (;;) {
        auto next = p->step();
        if (!next) return next.error();
        if (!*next) break;
        ParticipantFacts f;
        f.participant_row_id = p->column_int(0);
        if (!p->column_is_null(1)) {
            bool ok = true;
            f.replied_at = read_time(*p, 1, ok);
            if (!ok) return corrupt("participant " + std::to_string(f.participant_row_id) + " reply time");
        }
        f.pre_notice_allowed = p->column_int(2) != 0;
        facts.participants.push_back(f);
    }
    return facts;
}

namespace {

Status update_one(sql::Connection& db, const char* sql, std::int64_t row_id, const std::optional<std::int64_t>& value,
                  const std::string& what) {
    auto stmt = db.prepare(sql);
    if (!stmt) return stmt.error();
    stmt->bind(1, value).bind(2, row_id);
    if (auto s = stmt->run(); !s) return s;
    if (db.changes() != 1) return core::make_error(core::ErrorKind::not_found, "no " + what);
    return {};
}

}  // namespace

Status Store::set_start_date(std::int64_t case_row_id, core::Timestamp date) {
    return update_one(impl_->db, "UPDATE cases SET start_date = ? WHERE id = ?", case_row_id, core::to_unix(date),
                      "case #" + std::to_string(case_row_id));
}

Status Store::set_publication_date(std::int64_t case_row_id, std::optional<core::Timestamp> when) {
    return update_one(impl_->db, "UPDATE cases SET publication_date = ? WHERE id = ?", case_row_id,
                      when ? std::optional<std::int64_t>(core::to_unix(*when)) : std::nullopt,
                      "case #" + std::to_string(case_row_id));
}

Status Store::mark_replied(std::int64_t participant_row_id, core::Timestamp at) {
    return update_one(impl_->db, "UPDATE participants SET replied_at = coalesce(replied_at, ?) WHERE id = ?",
                      participant_row_id, core::to_unix(at), "participant #" + std::to_string(participant_row_id));
}

Status Store::allow_pre_notice(std::int64_t participant_row_id) {
    return update_one(impl_->db, "UPDATE participants SET pre_notice_allowed = ? WHERE id = ?", participant_row_id,
                      std::optional<std::int64_t>(1), "participant #" + std::to_string(participant_row_id));
}

Result<std::vector<Timer>> Store::due_timers(core::Timestamp now, int limit) {
    auto stmt = impl_->db.prepare(
        "SELECT id, case_id, participant_id, name, due_at, state FROM timers WHERE state = 'armed' AND due_at <= ? "
        "ORDER BY due_at, id LIMIT ?");
    if (!stmt) return stmt.error();
    stmt->bind(1, core::to_unix(now)).bind(2, static_cast<std::int64_t>(limit));
    std::vector<Timer> out;
    for (;;) {
        auto row = stmt->step();
        if (!row) return row.error();
        if (!*row) return out;
        bool ok = true;
        Timer t{stmt->column_int(0), stmt->column_int(1), stmt->column_optional_int(2), stmt->column_text(3),
                read_time(*stmt, 4, ok), stmt->column_text(5)};
        if (!ok || t.name.empty() || t.name.size() > 64) return corrupt("timer " + std::to_string(t.row_id));
        out.push_back(std::move(t));
    }
}

Result<bool> Store::fire_timer(std::int64_t timer_row_id) {
    auto stmt = impl_->db.prepare("UPDATE timers SET state = 'fired' WHERE id = ? AND state = 'armed'");
    if (!stmt) return stmt.error();
    stmt->bind(1, timer_row_id);
    if (auto s = stmt->run(); !s) return s.error();
    return impl_->db.changes() == 1;
}

Status Store::clear_timer(std::int64_t case_row_id, const std::string& name,
                          std::optional<std::int64_t> participant_row_id) {
    auto stmt = impl_->db.prepare(
        "UPDATE timers SET state = 'cleared' WHERE case_id = ? AND name = ? AND participant_id IS ? AND state = 'armed'");
    if (!stmt) return stmt.error();
    stmt->bind(1, case_row_id).bind(2, name).bind(3, participant_row_id);
    return stmt->run();
}

Result<bool> Store::remember_command_mail(const std::string& signer, const std::string& digest,
                                          std::optional<std::int64_t> message_row_id, core::Timestamp now) {
    auto stmt = impl_->db.prepare(
        "INSERT INTO command_mail (signer, digest, message_id, received_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (signer, digest) DO NOTHING");
    if (!stmt) return stmt.error();
    stmt->bind(1, signer).bind(2, digest).bind(3, message_row_id).bind(4, core::to_unix(now));
    if (auto s = stmt->run(); !s) return s.error();
    return impl_->db.changes() == 1;
}

}  // namespace cvd::store
