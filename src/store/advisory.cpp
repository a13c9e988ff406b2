// The advisory facts of a case (migration 5): named values, lists, vendors' statements and
// the revision history. What is read back is checked again, never guessed.

#include "store_impl.hpp"

namespace cvd::store {

using core::Result;
using core::Status;

namespace {

bool known_lang(const std::string& lang) { return lang.empty() || lang == "ja" || lang == "en"; }

}  // namespace

Status Store::set_advisory_fact(std::int64_t case_row_id, const AdvisoryFactRecord& fact, core::Timestamp now) {
    if (fact.name.empty() || !known_lang(fact.lang))
        return core::make_error(core::ErrorKind::invalid_input, "advisory fact needs a name and a language ja, en or none");
    auto stmt = fact.value.empty()
                    ? impl_->db.prepare("DELETE FROM advisory_facts WHERE case_id = ? AND name = ? AND lang = ?")
                    : impl_->db.prepare(
                          "INSERT INTO advisory_facts (case_id, name, lang, value, updated_at) VALUES (?, ?, ?, ?, ?) "
                          "ON CONFLICT (case_id, name, lang) DO UPDATE SET value = excluded.value, "
                          "updated_at = excluded.updated_at");
    if (!stmt) return stmt.error();
    stmt->bind(1, case_row_id).bind(2, fact.name).bind(3, fact.lang);
    if (!fact.value.empty()) stmt->bind(4, fact.value).bind(5, core::to_unix(now));
    return stmt->run();
}

Result<bool> Store::add_advisory_item(std::int64_t case_row_id, const AdvisoryItemRecord& item, core::Timestamp now) {
    auto stmt = impl_->db.prepare(
        "INSERT OR IGNORE INTO advisory_items (case_id, kind, value, added_at) VALUES (?, ?, ?, ?)");
    if (!stmt) return stmt.error();
    stmt->bind(1, case_row_id).bind(2, item.kind).bind(3, item.value).bind(4, core::to_unix(now));
    if (auto s = stmt->run(); !s) return s.error();
    return impl_->db.changes() == 1;
}

Result<bool> Store::remove_advisory_item(std::int64_t case_row_id, const AdvisoryItemRecord& item) {
    auto stmt = impl_->db.prepare("DELETE FROM advisory_items WHERE case_id = ? AND kind = ? AND value = ?");
    if (!stmt) return stmt.error();
    stmt->bind(1, case_row_id).bind(2, item.kind).bind(3, item.value);
    if (auto s = stmt->run(); !s) return s.error();
    return impl_->db.changes() == 1;
}

Status Store::set_vendor_statement(std::int64_t case_row_id, const VendorStatementRecord& statement) {
    if (statement.vendor.empty() || statement.status.empty())
        return core::make_error(core::ErrorKind::invalid_input, "a vendor statement needs the vendor and a status");
    // A statement in one language must not erase the other one on record.
    auto stmt = impl_->db.prepare(
        "INSERT INTO advisory_vendor_statements "
        "(case_id, vendor, status, statement_ja, statement_en, stated_at, participant_id) VALUES (?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (case_id, vendor) DO UPDATE SET status = excluded.status, "
        "statement_ja = CASE excluded.statement_ja WHEN '' THEN statement_ja ELSE excluded.statement_ja END, "
        "statement_en = CASE excluded.statement_en WHEN '' THEN statement_en ELSE excluded.statement_en END, "
        "stated_at = excluded.stated_at, participant_id = coalesce(excluded.participant_id, participant_id)");
    if (!stmt) return stmt.error();
    stmt->bind(1, case_row_id)
        .bind(2, statement.vendor)
        .bind(3, statement.status)
        .bind(4, statement.statement_ja)
        .bind(5, statement.statement_en)
        .bind(6, statement.stated_at)
        .bind(7, statement.participant_row_id);
    return stmt->run();
}

Result<int> Store::add_advisory_revision(std::int64_t case_row_id, const AdvisoryRevisionRecord& revision) {
    auto stmt = impl_->db.prepare(
        "INSERT INTO advisory_revisions (case_id, number, date, summary_ja, summary_en) "
        "SELECT ?1, coalesce(max(number), 0) + 1, ?2, ?3, ?4 FROM advisory_revisions WHERE case_id = ?1 "
        "RETURNING number");
    if (!stmt) return stmt.error();
    stmt->bind(1, case_row_id).bind(2, revision.date).bind(3, revision.summary_ja).bind(4, revision.summary_en);
    auto row = stmt->step();
    if (!row) return row.error();
    if (!*row) return core::make_error(core::ErrorKind::internal, "no revision number came back");
    int number = static_cast<int>(stmt->column_int(0));
    if (auto s = stmt->run(); !s) return s.error();
    return number;
}

Result<AdvisoryRecord> Store::advisory(std::int64_t case_row_id) {
    AdvisoryRecord record;
    auto facts = impl_->db.prepare("SELECT name, lang, value FROM advisory_facts WHERE case_id = ? ORDER BY name, lang");
    if (!facts) return facts.error();
    facts->bind(1, case_row_id);
    auto read = sql::read_all(*facts, [&](const sql::Statement& row) -> Status {
        AdvisoryFactRecord fact{row.column_text(0), row.column_text(1), row.column_text(2)};
        if (!known_lang(fact.lang)) return corrupt("advisory fact " + fact.name + " language");
        record.facts.push_back(std::move(fact));
        return {};
    });
    if (!read) return read.error();

    auto items = impl_->db.prepare("SELECT kind, value FROM advisory_items WHERE case_id = ? ORDER BY id");
    if (!items) return items.error();
    items->bind(1, case_row_id);
    read = sql::read_all(*items, [&](const sql::Statement& row) {
        record.items.push_back({row.column_text(0), row.column_text(1)});
    });
    if (!read) return read.error();

    auto statements = impl_->db.prepare(
        "SELECT vendor, status, statement_ja, statement_en, stated_at, participant_id "
        "FROM advisory_vendor_statements WHERE case_id = ? ORDER BY id");
    if (!statements) return statements.error();
    statements->bind(1, case_row_id);
    read = sql::read_all(*statements, [&](const sql::Statement& row) {
        record.statements.push_back({row.column_text(0), row.column_text(1), row.column_text(2),
                                     row.column_text(3), row.column_int(4), row.column_optional_int(5)});
    });
    if (!read) return read.error();

    auto revisions = impl_->db.prepare(
        "SELECT number, date, summary_ja, summary_en FROM advisory_revisions WHERE case_id = ? ORDER BY number");
    if (!revisions) return revisions.error();
    revisions->bind(1, case_row_id);
    read = sql::read_all(*revisions, [&](const sql::Statement& row) {
        record.revisions.push_back({static_cast<int>(row.column_int(0)), row.column_text(1), row.column_text(2),
                                    row.column_text(3)});
    });
    if (!read) return read.error();
    return record;
}

}  // namespace cvd::store
