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

}  // namespace cvd::store::sql_text
