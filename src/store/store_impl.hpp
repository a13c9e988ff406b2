#pragma once
// Shared by the store's source files; not part of the public interface.

#include "cvdbot/store/store.hpp"
#include "sqlite.hpp"

namespace cvd::store {

struct Store::Impl {
    sql::Connection db;
    int transaction_depth = 0;
    std::uint64_t commits = 0;
};

// Reading back our own data: a value we cannot interpret is reported, never guessed.
core::Error corrupt(const std::string& what);

domain::Case read_case_row(const sql::Statement& row, bool& ok);  // columns: see kCaseColumns
inline constexpr const char* kCaseColumns =
    "c.id, c.prefix, c.year, c.number, c.state, c.title, c.created_at, c.updated_at, c.track, "
    "c.start_date";
inline constexpr int kCaseColumnCount = 10;

// Participants: see participants.cpp.
inline constexpr const char* kParticipantColumns =
    "p.id, p.case_id, p.role, p.address, p.display_name, p.language, p.organisation, p.vendor_id, "
    "p.reply_token, p.vendor_status, p.consent_credit, p.consent_identity_to_vendor, "
    "p.consent_direct_contact";
core::Result<domain::Participant> read_participant_row(sql::Connection& db,
                                                       const sql::Statement& row);

core::Timestamp read_time(const sql::Statement& row, int column, bool& ok);

}  // namespace cvd::store
