#include "cvdbot/store/sent_journal.hpp"

#include "cvdbot/store/store.hpp"
#include "sqlite.hpp"

namespace cvd::store {

struct SentJournal::Impl {
    sql::Connection db;
    std::string path;
};

std::string SentJournal::path_for(const std::string& database) {
    return database + ".sent";
}

core::Result<SentJournal> SentJournal::open(const std::string& path) {
    auto db = sql::Connection::open(path);
    if (!db) return db.error();
    // WAL: a commit without a sync is one write, and survives the process (not the machine).
    for (const char* command :
         {"PRAGMA journal_mode = WAL", "PRAGMA synchronous = NORMAL",
          "CREATE TABLE IF NOT EXISTS sent (outbox_row_id INTEGER PRIMARY KEY, "
          "sent_at INTEGER NOT NULL)"}) {
        if (auto s = db->exec(command); !s)
            // It holds replies already sent: nothing goes out until it can be read, or until an
            // administrator decides that a few repeats are acceptable.
            return core::make_error(
                s.error().kind,
                path + ": " + s.error().message +
                    " (the record of replies already sent; nothing is sent until it can be "
                    "read: move it aside to send again, and the last replies sent before it was "
                    "damaged may go out twice)");
    }
    auto impl = std::make_unique<Impl>();
    impl->db = std::move(*db);
    impl->path = path;
    return SentJournal(std::move(impl));
}

SentJournal::SentJournal(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SentJournal::SentJournal(SentJournal&&) noexcept = default;
SentJournal& SentJournal::operator=(SentJournal&&) noexcept = default;
SentJournal::~SentJournal() = default;

core::Status SentJournal::add(const SentRecord& record, bool synced) {
    // FULL syncs the log at this commit, and with it every unsynced commit before.
    if (auto s =
            impl_->db.exec(synced ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");
        !s)
        return s;
    auto stmt =
        impl_->db.prepare("INSERT OR REPLACE INTO sent (outbox_row_id, sent_at) VALUES (?, ?)");
    if (!stmt) return stmt.error();
    stmt->bind(1, record.outbox_row_id).bind(2, core::to_unix(record.sent_at));
    if (auto s = stmt->run(); !s)
        return core::make_error(s.error().kind, impl_->path + ": " + s.error().message);
    return {};
}

core::Result<std::vector<SentRecord>> SentJournal::records() {
    auto stmt = impl_->db.prepare(
        "SELECT outbox_row_id, sent_at FROM sent ORDER BY sent_at, outbox_row_id");
    if (!stmt) return stmt.error();
    std::vector<SentRecord> records;
    auto read = sql::read_all(*stmt, [&](sql::Statement& row) {
        records.push_back({row.column_int(0), core::from_unix(row.column_int(1))});
    });
    if (!read)
        return core::make_error(read.error().kind, impl_->path + ": " + read.error().message);
    return records;
}

core::Status SentJournal::forget(const std::vector<std::int64_t>& outbox_row_ids) {
    if (outbox_row_ids.empty()) return {};
    if (auto s = impl_->db.exec("BEGIN IMMEDIATE"); !s) return s;
    auto deleted = [&]() -> core::Status {
        for (const auto row_id : outbox_row_ids) {
            auto stmt = impl_->db.prepare("DELETE FROM sent WHERE outbox_row_id = ?");
            if (!stmt) return stmt.error();
            stmt->bind(1, row_id);
            if (auto s = stmt->run(); !s) return s;
        }
        return impl_->db.exec("COMMIT");
    }();
    if (!deleted) (void)impl_->db.exec("ROLLBACK");
    return deleted;
}

core::Status carry_over(SentJournal& journal, Store& store) {
    auto records = journal.records();
    if (!records) return records.error();
    if (records->empty()) return {};
    if (auto s = store.mark_sent(*records); !s) return s;
    std::vector<std::int64_t> rows;
    rows.reserve(records->size());
    for (const auto& record : *records) rows.push_back(record.outbox_row_id);
    return journal.forget(rows);
}

}  // namespace cvd::store
