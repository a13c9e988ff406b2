// The outbox: outgoing mail is committed with the case change that caused it, then
// drained. Raw bytes are fixed at queue time, so a resend is byte-identical.

#include "cvdbot/core/hash.hpp"
#include "cvdbot/core/text.hpp"
#include "store_impl.hpp"

namespace cvd::store {

using core::Result;
using core::Status;

namespace {
std::string join_lines(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items) {
        if (!out.empty()) out += '\n';
        out += item;
    }
    return out;
}
}  // namespace

Result<std::int64_t> Store::queue_outbound(const OutboundMail& mail, core::Timestamp now) {
    if (mail.recipients.empty())
        return core::make_error(core::ErrorKind::invalid_input,
                                "an outgoing message needs a recipient");
    for (const auto& r : mail.recipients)
        if (r.empty() || r.find_first_of("\r\n,") != std::string::npos)
            return core::make_error(core::ErrorKind::invalid_input,
                                    "invalid recipient address '" + r + "'");
    std::int64_t outbox_row = 0;
    auto status = transaction([&]() -> Status {
        auto message = impl_->db.prepare(
            "INSERT INTO messages (direction, status, case_id, message_id, content_hash, sender, "
            "recipients, subject, "
            "text_body, in_reply_to, stored_at, participant_id) VALUES ('outbound', 'processed', "
            "?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        if (!message) return message.error();
        message->bind(1, mail.case_row_id)
            .bind(2, mail.message_id)
            .bind(3, core::sha256_hex(mail.raw));
        message->bind(4, mail.envelope_from);
        std::string shown;
        for (const auto& r : mail.recipients) shown += (shown.empty() ? "" : ", ") + r;
        message->bind(5, shown)
            .bind(6, mail.subject)
            .bind(7, mail.text_body)
            .bind(8, mail.in_reply_to_row_id);
        message->bind(9, core::to_unix(now)).bind(10, mail.participant_row_id);
        if (auto s = message->run(); !s) return s;
        const auto message_row = impl_->db.last_insert_id();
        auto blob = impl_->db.prepare("INSERT INTO raw_messages (message_id, bytes) VALUES (?, ?)");
        if (!blob) return blob.error();
        blob->bind(1, message_row).bind_blob(2, mail.raw);
        if (auto s = blob->run(); !s) return s;
        auto outbox = impl_->db.prepare(
            "INSERT INTO outbox (message_id, envelope_from, recipients, state, next_attempt_at, "
            "created_at) "
            "VALUES (?, ?, ?, 'queued', ?, ?)");
        if (!outbox) return outbox.error();
        outbox->bind(1, message_row)
            .bind(2, mail.envelope_from)
            .bind(3, join_lines(mail.recipients));
        outbox->bind(4, core::to_unix(now)).bind(5, core::to_unix(now));
        if (auto s = outbox->run(); !s) return s;
        outbox_row = impl_->db.last_insert_id();
        return {};
    });
    if (!status) return status.error();
    return outbox_row;
}

Result<std::vector<OutboxItem>> Store::due_outbox(core::Timestamp now, int limit) {
    auto stmt = impl_->db.prepare(
        "SELECT o.id, o.message_id, m.case_id, m.message_id, o.envelope_from, o.recipients, "
        "r.bytes, o.attempts "
        "FROM outbox o JOIN messages m ON m.id = o.message_id JOIN raw_messages r ON r.message_id "
        "= m.id "
        "WHERE o.state = 'queued' AND o.next_attempt_at <= ? ORDER BY o.next_attempt_at, o.id "
        "LIMIT ?");
    if (!stmt) return stmt.error();
    stmt->bind(1, core::to_unix(now)).bind(2, std::int64_t{limit});
    std::vector<OutboxItem> out;
    auto read = sql::read_all(*stmt, [&](const sql::Statement& row) -> Status {
        OutboxItem item;
        item.row_id = row.column_int(0);
        item.message_row_id = row.column_int(1);
        item.case_row_id = row.column_optional_int(2);
        item.message_id = row.column_text(3);
        item.envelope_from = row.column_text(4);
        const std::string recipients = row.column_text(5);
        for (auto r : core::split(recipients, '\n'))
            if (!r.empty()) item.recipients.emplace_back(r);
        item.raw = row.column_blob(6);
        item.attempts = static_cast<int>(row.column_int(7));
        if (item.recipients.empty() || item.raw.empty() || item.attempts < 0)
            return corrupt("outbox entry " + std::to_string(item.row_id));
        out.push_back(std::move(item));
        return {};
    });
    if (!read) return read.error();
    return out;
}

Status Store::mark_sent(std::int64_t outbox_row_id, core::Timestamp now) {
    return mark_sent(std::vector<SentRecord>{{outbox_row_id, now}});
}

Status Store::mark_sent(const std::vector<SentRecord>& records) {
    // A transaction of its own (as autocommit would be), so that commits() counts it.
    return transaction([&]() -> Status {
        for (const auto& record : records) {
            auto stmt = impl_->db.prepare(
                "UPDATE outbox SET state = 'sent', sent_at = ?, attempts = attempts + 1, "
                "last_error = '' WHERE id = ? AND state = 'queued'");
            if (!stmt) return stmt.error();
            stmt->bind(1, core::to_unix(record.sent_at)).bind(2, record.outbox_row_id);
            if (auto s = stmt->run(); !s) return s;
        }
        return {};
    });
}

Status Store::mark_retry(std::int64_t outbox_row_id, int attempts, core::Timestamp next_attempt,
                         const std::string& error) {
    auto stmt = impl_->db.prepare(
        "UPDATE outbox SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ? AND "
        "state = 'queued'");
    if (!stmt) return stmt.error();
    stmt->bind(1, std::int64_t{attempts})
        .bind(2, core::to_unix(next_attempt))
        .bind(3, error)
        .bind(4, outbox_row_id);
    return stmt->run();
}

Status Store::mark_failed(std::int64_t outbox_row_id, int attempts, const std::string& error,
                          core::Timestamp now) {
    auto stmt = impl_->db.prepare(
        "UPDATE outbox SET state = 'failed', attempts = ?, last_error = ?, sent_at = ? WHERE id = "
        "? AND state = 'queued'");
    if (!stmt) return stmt.error();
    stmt->bind(1, std::int64_t{attempts})
        .bind(2, error)
        .bind(3, core::to_unix(now))
        .bind(4, outbox_row_id);
    return stmt->run();
}

Result<std::int64_t> Store::outbox_count(OutboxState state) {
    auto stmt = impl_->db.prepare("SELECT count(*) FROM outbox WHERE state = ?");
    if (!stmt) return stmt.error();
    stmt->bind(1, state == OutboxState::queued ? "queued"
                  : state == OutboxState::sent ? "sent"
                                               : "failed");
    auto row = stmt->step();
    if (!row) return row.error();
    return stmt->column_int(0);
}

Result<std::optional<core::Timestamp>> Store::next_scheduled_work(core::Timestamp now) {
    auto stmt = impl_->db.prepare(
        "SELECT min(t) FROM (SELECT min(due_at) AS t FROM timers WHERE state = 'armed' AND due_at "
        "> ?1 "
        "UNION ALL SELECT min(next_attempt_at) FROM outbox WHERE state = 'queued' AND "
        "next_attempt_at > ?1)");
    if (!stmt) return stmt.error();
    stmt->bind(1, core::to_unix(now));
    auto row = stmt->step();
    if (!row) return row.error();
    if (!*row || stmt->column_is_null(0)) return std::optional<core::Timestamp>{};
    bool ok = true;
    const auto when = read_time(*stmt, 0, ok);
    if (!ok) return corrupt("timer or outbox time");
    return std::optional<core::Timestamp>{when};
}

}  // namespace cvd::store
