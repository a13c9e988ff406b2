// Participants of a case, their reply tokens and addresses, and remembered ticket numbers.

#include "cvdbot/core/hash.hpp"
#include "store_impl.hpp"

namespace cvd::store {

using core::Result;
using core::Status;

namespace {

bool is_valid_token(const std::string& token) {
    if (token.size() != 20) return false;
    for (char c : token)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    return true;
}

// 80 random bits: a reply address must not be guessable from the case number.
std::string new_reply_token() { return core::random_token().substr(0, 20); }

Result<std::vector<domain::Participant>> read_participants(sql::Connection& db, sql::Statement& stmt) {
    std::vector<domain::Participant> out;
    auto read = sql::read_all(stmt, [&](const sql::Statement& row) -> Status {
        auto p = read_participant_row(db, row);
        if (!p) return p.error();
        out.push_back(std::move(*p));
        return {};
    });
    if (!read) return read.error();
    return out;
}

Result<std::optional<domain::Participant>> first_participant(sql::Connection& db, sql::Statement& stmt) {
    auto all = read_participants(db, stmt);
    if (!all) return all.error();
    if (all->empty()) return std::optional<domain::Participant>{};
    return std::optional<domain::Participant>(std::move(all->front()));
}

}  // namespace

Result<domain::Participant> read_participant_row(sql::Connection& db, const sql::Statement& row) {
    domain::Participant p;
    p.row_id = row.column_int(0);
    p.case_row_id = row.column_int(1);
    const auto role = domain::parse_role(row.column_text(2));
    if (!role) return corrupt("participant " + std::to_string(p.row_id) + " has an unknown role");
    p.role = *role;
    p.address = row.column_text(3);
    p.display_name = row.column_text(4);
    p.language = row.column_text(5);
    p.organisation = row.column_text(6);
    p.vendor_row_id = row.column_optional_int(7);
    p.reply_token = row.column_text(8);
    if (!p.reply_token.empty() && !is_valid_token(p.reply_token))
        return corrupt("participant " + std::to_string(p.row_id) + " has a malformed reply token");
    p.vendor_status = row.column_text(9);
    p.consent = domain::Consent{row.column_int(10) != 0, row.column_int(11) != 0, row.column_int(12) != 0};
    auto others = db.prepare("SELECT address FROM participant_addresses WHERE participant_id = ? ORDER BY id");
    if (!others) return others.error();
    others->bind(1, p.row_id);
    auto read = sql::read_all(*others, [&](const sql::Statement& row) {
        p.other_addresses.push_back(row.column_text(0));
    });
    if (!read) return read.error();
    return p;
}

Result<domain::Participant> Store::add_participant(const domain::Participant& participant, core::Timestamp now) {
    const auto address = domain::normalize_address(participant.address);
    if (address.empty() || address.find_first_of("\r\n\t ,<>") != std::string::npos)
        return core::make_error(core::ErrorKind::invalid_input, "invalid participant address '" + address + "'");
    std::optional<domain::Participant> result;
    auto status = transaction([&]() -> Status {
        auto existing = impl_->db.prepare(std::string("SELECT ") + kParticipantColumns +
                                          " FROM participants p WHERE p.case_id = ? AND p.role = ? AND p.address = ?");
        if (!existing) return existing.error();
        existing->bind(1, participant.case_row_id).bind(2, domain::to_string(participant.role)).bind(3, address);
        auto found = first_participant(impl_->db, *existing);
        if (!found) return found.error();
        if (*found) {
            result = *found;
            return {};
        }
        auto stmt = impl_->db.prepare(
            "INSERT INTO participants (case_id, role, address, display_name, language, created_at, organisation, "
            "vendor_id, reply_token, vendor_status, consent_credit, consent_identity_to_vendor, "
            "consent_direct_contact) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        if (!stmt) return stmt.error();
        const std::string token = participant.reply_token.empty() ? new_reply_token() : participant.reply_token;
        if (!is_valid_token(token))
            return core::make_error(core::ErrorKind::invalid_input, "a reply token is 20 lower-case hex digits");
        stmt->bind(1, participant.case_row_id).bind(2, domain::to_string(participant.role)).bind(3, address);
        stmt->bind(4, participant.display_name).bind(5, participant.language).bind(6, core::to_unix(now));
        stmt->bind(7, participant.organisation).bind(8, participant.vendor_row_id).bind(9, token);
        stmt->bind(10, participant.vendor_status).bind(11, std::int64_t{participant.consent.credit});
        stmt->bind(12, std::int64_t{participant.consent.identity_to_vendor});
        stmt->bind(13, std::int64_t{participant.consent.direct_contact});
        if (auto s = stmt->run(); !s) return s;
        domain::Participant stored = participant;
        stored.row_id = impl_->db.last_insert_id();
        stored.address = address;
        stored.reply_token = token;
        stored.other_addresses.clear();
        for (const auto& other : participant.other_addresses) {
            if (auto s = add_participant_address(stored.row_id, other, "cc"); !s) return s;
            stored.other_addresses.push_back(domain::normalize_address(other));
        }
        result = stored;
        return {};
    });
    if (!status) return status.error();
    return *result;
}

Result<std::vector<domain::Participant>> Store::participants(std::int64_t case_row_id) {
    auto stmt = impl_->db.prepare(std::string("SELECT ") + kParticipantColumns +
                                  " FROM participants p WHERE p.case_id = ? ORDER BY p.id");
    if (!stmt) return stmt.error();
    stmt->bind(1, case_row_id);
    return read_participants(impl_->db, *stmt);
}

Result<std::optional<domain::Participant>> Store::participant(std::int64_t participant_row_id) {
    auto stmt = impl_->db.prepare(std::string("SELECT ") + kParticipantColumns + " FROM participants p WHERE p.id = ?");
    if (!stmt) return stmt.error();
    stmt->bind(1, participant_row_id);
    return first_participant(impl_->db, *stmt);
}

Result<std::optional<domain::Participant>> Store::participant_by_token(const std::string& token) {
    if (!is_valid_token(token)) return std::optional<domain::Participant>{};
    auto stmt = impl_->db.prepare(std::string("SELECT ") + kParticipantColumns +
                                  " FROM participants p WHERE p.reply_token = ?");
    if (!stmt) return stmt.error();
    stmt->bind(1, token);
    return first_participant(impl_->db, *stmt);
}

Result<std::optional<domain::Participant>> Store::participant_by_address(std::int64_t case_row_id,
                                                                         const std::string& address) {
    auto stmt = impl_->db.prepare(std::string("SELECT ") + kParticipantColumns +
                                  " FROM participants p WHERE p.case_id = ?1 AND (p.address = ?2 OR EXISTS "
                                  "(SELECT 1 FROM participant_addresses a WHERE a.participant_id = p.id AND "
                                  "a.address = ?2)) ORDER BY p.id LIMIT 1");
    if (!stmt) return stmt.error();
    stmt->bind(1, case_row_id).bind(2, domain::normalize_address(address));
    return first_participant(impl_->db, *stmt);
}

Status Store::add_participant_address(std::int64_t participant_row_id, const std::string& address,
                                      const std::string& kind) {
    const auto normalized = domain::normalize_address(address);
    if (normalized.empty() || normalized.find_first_of("\r\n\t ,<>") != std::string::npos)
        return core::make_error(core::ErrorKind::invalid_input, "invalid address '" + normalized + "'");
    auto stmt = impl_->db.prepare(
        "INSERT INTO participant_addresses (participant_id, address, kind) VALUES (?, ?, ?) "
        "ON CONFLICT (participant_id, address) DO UPDATE SET kind = excluded.kind");
    if (!stmt) return stmt.error();
    stmt->bind(1, participant_row_id).bind(2, normalized).bind(3, kind);
    return stmt->run();
}

Status Store::set_vendor_status(std::int64_t participant_row_id, const std::string& status) {
    auto stmt = impl_->db.prepare("UPDATE participants SET vendor_status = ? WHERE id = ?");
    if (!stmt) return stmt.error();
    stmt->bind(1, status).bind(2, participant_row_id);
    return stmt->run();
}

Status Store::set_consent(std::int64_t participant_row_id, const domain::Consent& consent) {
    auto stmt = impl_->db.prepare(
        "UPDATE participants SET consent_credit = ?, consent_identity_to_vendor = ?, consent_direct_contact = ? "
        "WHERE id = ?");
    if (!stmt) return stmt.error();
    stmt->bind(1, std::int64_t{consent.credit}).bind(2, std::int64_t{consent.identity_to_vendor});
    stmt->bind(3, std::int64_t{consent.direct_contact}).bind(4, participant_row_id);
    return stmt->run();
}

Status Store::remember_ticket(std::int64_t case_row_id, std::int64_t participant_row_id, const std::string& ticket) {
    auto stmt = impl_->db.prepare(
        "INSERT INTO ticket_refs (case_id, participant_id, ticket) VALUES (?, ?, ?) "
        "ON CONFLICT (participant_id, ticket) DO NOTHING");
    if (!stmt) return stmt.error();
    stmt->bind(1, case_row_id).bind(2, participant_row_id).bind(3, ticket);
    return stmt->run();
}

Result<std::optional<ThreadRef>> Store::find_thread_by_ticket(const std::vector<std::string>& tickets,
                                                              const std::string& sender) {
    const auto address = domain::normalize_address(sender);
    for (const auto& ticket : tickets) {
        auto stmt = impl_->db.prepare(
            "SELECT t.case_id, t.participant_id FROM ticket_refs t JOIN participants p ON p.id = t.participant_id "
            "WHERE t.ticket = ?1 AND (p.address = ?2 OR EXISTS (SELECT 1 FROM participant_addresses a "
            "WHERE a.participant_id = p.id AND a.address = ?2)) ORDER BY t.id DESC LIMIT 1");
        if (!stmt) return stmt.error();
        stmt->bind(1, ticket).bind(2, address);
        auto row = stmt->step();
        if (!row) return row.error();
        if (*row) return std::optional<ThreadRef>(ThreadRef{stmt->column_int(0), stmt->column_int(1)});
    }
    return std::optional<ThreadRef>{};
}

Result<std::int64_t> Store::arm_timer(const Timer& timer) {
    auto stmt = impl_->db.prepare(
        "INSERT INTO timers (case_id, participant_id, name, due_at, state, created_at) VALUES (?, ?, ?, ?, 'armed', unixepoch())");
    if (!stmt) return stmt.error();
    stmt->bind(1, timer.case_row_id).bind(2, timer.participant_row_id).bind(3, timer.name);
    stmt->bind(4, core::to_unix(timer.due_at));
    if (auto s = stmt->run(); !s) return s.error();
    return impl_->db.last_insert_id();
}

Result<std::vector<Timer>> Store::timers(std::int64_t case_row_id) {
    auto stmt = impl_->db.prepare(
        "SELECT id, case_id, participant_id, name, due_at, state FROM timers WHERE case_id = ? ORDER BY due_at, id");
    if (!stmt) return stmt.error();
    stmt->bind(1, case_row_id);
    std::vector<Timer> out;
    auto read = sql::read_all(*stmt, [&](const sql::Statement& row) -> Status {
        bool ok = true;
        Timer t{row.column_int(0), row.column_int(1), row.column_optional_int(2), row.column_text(3),
                read_time(row, 4, ok), row.column_text(5)};
        if (!ok || (t.state != "armed" && t.state != "fired" && t.state != "cleared"))
            return corrupt("timer " + std::to_string(t.row_id));
        out.push_back(std::move(t));
        return {};
    });
    if (!read) return read.error();
    return out;
}

}  // namespace cvd::store
