// Mailbox tracking and the inbound messages: raw bytes first, effects later.

#include "cvdbot/core/hash.hpp"
#include "lookup_sql.hpp"
#include "store_impl.hpp"

namespace cvd::store {

using core::Result;
using core::Status;

core::Timestamp read_time(const sql::Statement& row, int column, bool& ok) {
    const auto value = row.column_int(column);
    // 0 .. year 3000: anything else is not a time we wrote.
    if (value < 0 || value > 32503680000) ok = false;
    return core::from_unix(value);
}

namespace {
constexpr const char* kMessageColumns =
    "id, direction, status, status_reason, case_id, mailbox, uidvalidity, uid, message_id, "
    "content_hash, "
    "sender, recipients, subject, text_body, language, stored_at, participant_id, named_case_id, "
    "in_reply_to_ids, "
    "reference_ids, crypto, signer_fingerprint";

std::string join_ids(const std::vector<std::string>& ids) {
    std::string out;
    for (const auto& id : ids) {
        // Ids come from outside: a space inside one would split it on reading back.
        if (id.empty() || id.find_first_of(" \t\r\n") != std::string::npos) continue;
        if (!out.empty()) out += ' ';
        out += id;
    }
    return out;
}

Result<StoredMessage> read_message_row(const sql::Statement& row) {
    StoredMessage m;
    bool ok = true;
    m.row_id = row.column_int(0);
    const auto direction = domain::parse_direction(row.column_text(1));
    const auto status = domain::parse_message_status(row.column_text(2));
    if (!direction || !status)
        return corrupt("message " + std::to_string(m.row_id) +
                       " has an unknown direction or status");
    m.direction = *direction;
    m.status = *status;
    m.status_reason = row.column_text(3);
    m.case_row_id = row.column_optional_int(4);
    if (!row.column_is_null(5)) {
        const auto uidvalidity = row.column_int(6), uid = row.column_int(7);
        if (uidvalidity < 0 || uidvalidity > UINT32_MAX || uid < 0 || uid > UINT32_MAX)
            return corrupt("message " + std::to_string(m.row_id) + " has an impossible UID");
        m.location = ServerLocation{row.column_text(5), static_cast<std::uint32_t>(uidvalidity),
                                    static_cast<std::uint32_t>(uid)};
    }
    m.message_id = row.column_text(8);
    m.content_hash = row.column_text(9);
    m.sender = row.column_text(10);
    m.recipients = row.column_text(11);
    m.subject = row.column_text(12);
    m.text_body = row.column_text(13);
    m.language = row.column_text(14);
    m.stored_at = read_time(row, 15, ok);
    m.participant_row_id = row.column_optional_int(16);
    m.named_case_row_id = row.column_optional_int(17);
    m.in_reply_to_ids = row.column_text(18);
    m.reference_ids = row.column_text(19);
    m.crypto = row.column_text(20);
    m.signer_fingerprint = row.column_text(21);
    if (!ok) return corrupt("message " + std::to_string(m.row_id) + " has an impossible time");
    return m;
}

Result<std::vector<StoredMessage>> read_messages(sql::Statement& stmt) {
    std::vector<StoredMessage> out;
    auto read = sql::read_all(stmt, [&](const sql::Statement& row) -> Status {
        auto m = read_message_row(row);
        if (!m) return m.error();
        out.push_back(std::move(*m));
        return {};
    });
    if (!read) return read.error();
    return out;
}
}  // namespace

Result<std::optional<MailboxState>> Store::mailbox_state(const std::string& mailbox) {
    auto stmt =
        impl_->db.prepare("SELECT uidvalidity, last_uid FROM mailbox_state WHERE mailbox = ?");
    if (!stmt) return stmt.error();
    stmt->bind(1, mailbox);
    auto row = stmt->step();
    if (!row) return row.error();
    if (!*row) return std::optional<MailboxState>{};
    const auto uidvalidity = stmt->column_int(0), last_uid = stmt->column_int(1);
    if (uidvalidity < 0 || uidvalidity > UINT32_MAX || last_uid < 0 || last_uid > UINT32_MAX)
        return corrupt("mailbox_state of " + mailbox);
    return std::optional<MailboxState>(MailboxState{static_cast<std::uint32_t>(uidvalidity),
                                                    static_cast<std::uint32_t>(last_uid)});
}

Status Store::reset_mailbox(const std::string& mailbox, std::uint32_t uidvalidity) {
    auto stmt = impl_->db.prepare(
        "INSERT INTO mailbox_state (mailbox, uidvalidity, last_uid) VALUES (?, ?, 0) "
        "ON CONFLICT (mailbox) DO UPDATE SET uidvalidity = excluded.uidvalidity, last_uid = 0");
    if (!stmt) return stmt.error();
    stmt->bind(1, mailbox).bind(2, std::int64_t{uidvalidity});
    return stmt->run();
}

Result<StoredFetch> Store::store_fetched(const ServerLocation& where, std::string_view raw,
                                         core::Timestamp now) {
    const std::string hash = core::sha256_hex(raw);
    StoredFetch result;
    auto status = transaction([&]() -> Status {
        auto existing = impl_->db.prepare(
            "SELECT id FROM messages WHERE direction = 'inbound' AND "
            "((mailbox = ?1 AND uidvalidity = ?2 AND uid = ?3) OR content_hash = ?4) LIMIT 1");
        if (!existing) return existing.error();
        existing->bind(1, where.mailbox)
            .bind(2, std::int64_t{where.uidvalidity})
            .bind(3, std::int64_t{where.uid})
            .bind(4, hash);
        auto row = existing->step();
        if (!row) return row.error();
        if (*row) {
            result = StoredFetch{FetchOutcome::duplicate, existing->column_int(0)};
        } else {
            auto insert = impl_->db.prepare(
                "INSERT INTO messages (direction, status, mailbox, uidvalidity, uid, content_hash, "
                "stored_at) "
                "VALUES ('inbound', 'pending', ?, ?, ?, ?, ?)");
            if (!insert) return insert.error();
            insert->bind(1, where.mailbox)
                .bind(2, std::int64_t{where.uidvalidity})
                .bind(3, std::int64_t{where.uid});
            insert->bind(4, hash).bind(5, core::to_unix(now));
            if (auto s = insert->run(); !s) return s;
            result = StoredFetch{FetchOutcome::stored, impl_->db.last_insert_id()};
            // A placeholder of the right size filled in place: binding the bytes would make
            // sqlite copy them twice (the bound value, then the record), 34 MB each for a
            // 25 MB attachment.
            auto blob = impl_->db.prepare(
                "INSERT INTO raw_messages (message_id, bytes) VALUES (?, zeroblob(?))");
            if (!blob) return blob.error();
            blob->bind(1, result.row_id).bind(2, static_cast<std::int64_t>(raw.size()));
            if (auto s = blob->run(); !s) return s;
            if (auto s = impl_->db.write_blob("raw_messages", "bytes", result.row_id, raw); !s)
                return s;
        }
        auto advance = impl_->db.prepare(
            "INSERT INTO mailbox_state (mailbox, uidvalidity, last_uid) VALUES (?1, ?2, ?3) "
            "ON CONFLICT (mailbox) DO UPDATE SET last_uid = max(last_uid, excluded.last_uid) "
            "WHERE uidvalidity = excluded.uidvalidity");
        if (!advance) return advance.error();
        advance->bind(1, where.mailbox)
            .bind(2, std::int64_t{where.uidvalidity})
            .bind(3, std::int64_t{where.uid});
        return advance->run();
    });
    if (!status) return status.error();
    return result;
}

Result<std::vector<std::int64_t>> Store::pending_inbound() {
    auto stmt = impl_->db.prepare(
        "SELECT id FROM messages WHERE status = 'pending' AND direction = 'inbound' ORDER BY id");
    if (!stmt) return stmt.error();
    std::vector<std::int64_t> ids;
    auto read =
        sql::read_all(*stmt, [&](const sql::Statement& row) { ids.push_back(row.column_int(0)); });
    if (!read) return read.error();
    return ids;
}

Result<StoredMessage> Store::message(std::int64_t row_id) {
    auto stmt =
        impl_->db.prepare(std::string("SELECT ") + kMessageColumns + " FROM messages WHERE id = ?");
    if (!stmt) return stmt.error();
    stmt->bind(1, row_id);
    auto rows = read_messages(*stmt);
    if (!rows) return rows.error();
    if (rows->empty())
        return core::make_error(core::ErrorKind::not_found, "no message " + std::to_string(row_id));
    return std::move(rows->front());
}

Result<std::string> Store::raw_message(std::int64_t row_id) {
    // The length alone (sqlite does not load the blob for it), then the bytes straight into
    // the string: reading the column would hold them twice.
    auto stmt = impl_->db.prepare("SELECT length(bytes) FROM raw_messages WHERE message_id = ?");
    if (!stmt) return stmt.error();
    stmt->bind(1, row_id);
    auto row = stmt->step();
    if (!row) return row.error();
    if (!*row)
        return core::make_error(core::ErrorKind::not_found,
                                "no raw bytes for message " + std::to_string(row_id));
    const auto size = static_cast<std::size_t>(stmt->column_int(0));
    return impl_->db.read_blob("raw_messages", "bytes", row_id, size);
}

Status Store::record_processed(std::int64_t row_id, domain::MessageStatus status,
                               const std::string& reason, std::optional<std::int64_t> case_row_id,
                               const MessageSummary& summary, core::Timestamp now) {
    auto stmt = impl_->db.prepare(
        "UPDATE messages SET status = ?, status_reason = ?, case_id = ?, message_id = ?, sender = "
        "?, "
        "recipients = ?, subject = ?, text_body = ?, language = ?, processed_at = ?, "
        "participant_id = ?, "
        "named_case_id = ?, in_reply_to_ids = ?, reference_ids = ?, crypto = ?, signer_fingerprint "
        "= ? WHERE id = ?");
    if (!stmt) return stmt.error();
    stmt->bind(1, domain::to_string(status))
        .bind(2, reason)
        .bind(3, case_row_id)
        .bind(4, summary.message_id);
    stmt->bind(5, summary.sender).bind(6, summary.recipients).bind(7, summary.subject);
    stmt->bind(8, summary.text_body).bind(9, summary.language).bind(10, core::to_unix(now));
    stmt->bind(11, summary.participant_row_id).bind(12, summary.named_case_row_id);
    stmt->bind(13, join_ids(summary.in_reply_to)).bind(14, join_ids(summary.references));
    stmt->bind(15, summary.crypto).bind(16, summary.signer_fingerprint).bind(17, row_id);
    if (auto s = stmt->run(); !s) return s;
    if (impl_->db.changes() != 1)
        return core::make_error(core::ErrorKind::not_found, "no message " + std::to_string(row_id));
    return {};
}

Result<std::optional<ThreadRef>> Store::find_thread_by_message_ids(
    const std::vector<std::string>& message_ids) {
    std::size_t looked = 0;
    for (const auto& id : message_ids) {
        if (id.empty()) continue;
        if (++looked > 100) break;  // a hostile References header must not cost more
        auto lookup = impl_->db.prepare(sql_text::kThreadByMessageId);
        if (!lookup) return lookup.error();
        lookup->bind(1, id);
        auto row = lookup->step();
        if (!row) return row.error();
        if (*row)
            return std::optional<ThreadRef>(
                ThreadRef{lookup->column_int(0), lookup->column_optional_int(1)});
    }
    return std::optional<ThreadRef>{};
}

Result<std::vector<StoredMessage>> Store::case_messages(std::int64_t case_row_id) {
    auto stmt =
        impl_->db.prepare(std::string("SELECT ") + kMessageColumns + sql_text::kCaseMessagesWhere);
    if (!stmt) return stmt.error();
    stmt->bind(1, case_row_id);
    return read_messages(*stmt);
}

Result<std::vector<StoredMessage>> Store::quarantined_messages() {
    auto stmt = impl_->db.prepare(std::string("SELECT ") + kMessageColumns +
                                  " FROM messages WHERE status = 'quarantined' ORDER BY id");
    if (!stmt) return stmt.error();
    return read_messages(*stmt);
}

Result<std::vector<StoredMessage>> Store::awaiting_server_mark() {
    auto stmt =
        impl_->db.prepare(std::string("SELECT ") + kMessageColumns +
                          " FROM messages WHERE server_done = 0 AND mailbox IS NOT NULL AND "
                          "status <> 'pending' ORDER BY id");
    if (!stmt) return stmt.error();
    return read_messages(*stmt);
}

Status Store::mark_server_done(std::int64_t row_id) {
    auto stmt = impl_->db.prepare("UPDATE messages SET server_done = 1 WHERE id = ?");
    if (!stmt) return stmt.error();
    stmt->bind(1, row_id);
    return stmt->run();
}

}  // namespace cvd::store
