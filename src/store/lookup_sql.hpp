#pragma once
// The statements that thread incoming mail, named so that a test can check their query plans:
// with a million messages stored, a plan that scans the table costs ~100 ms per lookup.

namespace cvd::store::sql_text {

// `message_id <> ''` repeats the partial index's condition: SQLite uses a partial index only
// when the query implies its WHERE clause, and `message_id = ?` alone does not.
inline constexpr const char* kThreadByMessageId =
    "SELECT case_id, participant_id FROM messages WHERE message_id = ?1 AND message_id <> '' AND "
    "case_id IS NOT NULL ORDER BY id LIMIT 1";

// Served by the UNIQUE (prefix, year, number) constraint's index.
inline constexpr const char* kCaseByTagWhere =
    " FROM cases c WHERE c.prefix = ? AND c.year = ? AND c.number = ?";

// A case's messages: its own and those that only name it. Each side of the OR has its own
// index (messages_by_case, messages_by_named_case), so SQLite searches both instead of scanning.
inline constexpr const char* kCaseMessagesWhere =
    " FROM messages WHERE case_id = ?1 OR named_case_id = ?1 ORDER BY stored_at, id";

// The reply limits: one address's entries of one action since a time (audit_by_action_detail_at
// answers it from the index alone), and one case's. A case has few entries, but without stats
// SQLite prefers (action, at), which in a catch-up is every reply of the hour: hence INDEXED BY.
inline constexpr const char* kAuditCountByDetail =
    "SELECT count(*) FROM audit_log WHERE detail = ?1 AND action = ?2 AND at >= ?3";
inline constexpr const char* kAuditCountByCase =
    "SELECT count(*) FROM audit_log INDEXED BY audit_by_case WHERE case_id = ?1 AND action = ?2 "
    "AND at >= ?3";

}  // namespace cvd::store::sql_text
