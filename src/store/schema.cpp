// Opening the database and its numbered migrations. A migration is never edited once
// released: add a new one instead.

#include <array>

#include "store_impl.hpp"

namespace cvd::store {

namespace {

constexpr std::array<const char*, 1> kMigrations{
    // 1: the walking skeleton's case file.
    R"sql(
CREATE TABLE mailbox_state (
    mailbox     TEXT PRIMARY KEY,
    uidvalidity INTEGER NOT NULL,
    last_uid    INTEGER NOT NULL
);
CREATE TABLE case_counters (
    prefix      TEXT NOT NULL,
    year        INTEGER NOT NULL,
    last_number INTEGER NOT NULL,
    PRIMARY KEY (prefix, year)
);
CREATE TABLE cases (
    id         INTEGER PRIMARY KEY,
    prefix     TEXT NOT NULL,
    year       INTEGER NOT NULL,
    number     INTEGER NOT NULL,
    state      TEXT NOT NULL,
    title      TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (prefix, year, number)
);
CREATE TABLE participants (
    id           INTEGER PRIMARY KEY,
    case_id      INTEGER NOT NULL REFERENCES cases(id),
    role         TEXT NOT NULL,
    address      TEXT NOT NULL,
    display_name TEXT NOT NULL DEFAULT '',
    language     TEXT NOT NULL DEFAULT '',
    created_at   INTEGER NOT NULL,
    UNIQUE (case_id, role, address)
);
CREATE INDEX participants_by_address ON participants(address);
CREATE TABLE messages (
    id            INTEGER PRIMARY KEY,
    direction     TEXT NOT NULL,
    status        TEXT NOT NULL,
    status_reason TEXT NOT NULL DEFAULT '',
    case_id       INTEGER REFERENCES cases(id),
    mailbox       TEXT,
    uidvalidity   INTEGER,
    uid           INTEGER,
    server_done   INTEGER NOT NULL DEFAULT 0,
    message_id    TEXT NOT NULL DEFAULT '',
    content_hash  TEXT NOT NULL,
    sender        TEXT NOT NULL DEFAULT '',
    recipients    TEXT NOT NULL DEFAULT '',
    subject       TEXT NOT NULL DEFAULT '',
    text_body     TEXT NOT NULL DEFAULT '',
    language      TEXT NOT NULL DEFAULT '',
    in_reply_to   INTEGER REFERENCES messages(id),
    stored_at     INTEGER NOT NULL,
    processed_at  INTEGER,
    UNIQUE (mailbox, uidvalidity, uid)
);
CREATE INDEX messages_by_message_id ON messages(message_id) WHERE message_id <> '';
CREATE INDEX messages_by_hash ON messages(content_hash);
CREATE INDEX messages_pending ON messages(status) WHERE status = 'pending';
CREATE INDEX messages_server_todo ON messages(server_done) WHERE server_done = 0 AND mailbox IS NOT NULL;
CREATE INDEX messages_by_case ON messages(case_id);
CREATE TABLE raw_messages (
    message_id INTEGER PRIMARY KEY REFERENCES messages(id),
    bytes      BLOB NOT NULL
);
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    message_id      INTEGER NOT NULL UNIQUE REFERENCES messages(id),
    envelope_from   TEXT NOT NULL,
    recipients      TEXT NOT NULL,
    state           TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    last_error      TEXT NOT NULL DEFAULT '',
    created_at      INTEGER NOT NULL,
    sent_at         INTEGER
);
CREATE INDEX outbox_due ON outbox(next_attempt_at) WHERE state = 'queued';
CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY,
    case_id    INTEGER REFERENCES cases(id),
    at         INTEGER NOT NULL,
    actor      TEXT NOT NULL,
    action     TEXT NOT NULL,
    detail     TEXT NOT NULL DEFAULT '',
    message_id INTEGER REFERENCES messages(id)
);
CREATE INDEX audit_by_case ON audit_log(case_id);
-- The audit log is append-only.
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
)sql",
};

core::Result<int> schema_version(sql::Connection& db) {
    auto stmt = db.prepare("PRAGMA user_version");
    if (!stmt) return stmt.error();
    auto row = stmt->step();
    if (!row) return row.error();
    return static_cast<int>(stmt->column_int(0));
}

core::Status migrate(sql::Connection& db, const std::string& path) {
    auto version = schema_version(db);
    if (!version) return version.error();
    if (*version > current_schema_version())
        return core::make_error(core::ErrorKind::config,
                                path + ": the database has schema version " + std::to_string(*version) +
                                    ", newer than this cvdbot knows (" + std::to_string(current_schema_version()) +
                                    "); run a newer cvdbot or restore a backup");
    for (int next = *version + 1; next <= current_schema_version(); ++next) {
        if (auto s = db.exec("BEGIN IMMEDIATE"); !s) return s.error();
        auto s = db.exec(kMigrations[next - 1]);
        if (s) s = db.exec("PRAGMA user_version = " + std::to_string(next));
        if (s) s = db.exec("COMMIT");
        if (!s) {
            (void)db.exec("ROLLBACK");
            return core::make_error(s.error().kind,
                                    path + ": migration " + std::to_string(next) + " failed: " + s.error().message);
        }
    }
    return {};
}

}  // namespace

int current_schema_version() { return static_cast<int>(kMigrations.size()); }

core::Error corrupt(const std::string& what) {
    return core::make_error(core::ErrorKind::io, "the database holds an invalid value: " + what);
}

Store::Store(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Store::Store(Store&&) noexcept = default;
Store& Store::operator=(Store&&) noexcept = default;
Store::~Store() = default;

core::Result<Store> Store::open(const std::string& path) {
    auto db = sql::Connection::open(path);
    if (!db) return db.error();
    for (const char* pragma : {"PRAGMA journal_mode = WAL", "PRAGMA foreign_keys = ON", "PRAGMA synchronous = FULL"}) {
        if (auto s = db->exec(pragma); !s) return core::make_error(s.error().kind, path + ": " + s.error().message);
    }
    if (auto s = migrate(*db, path); !s) return s.error();
    auto impl = std::make_unique<Impl>();
    impl->db = std::move(*db);
    return Store(std::move(impl));
}

core::Status Store::transaction(const std::function<core::Status()>& body) {
    // Nested calls join the outer transaction.
    if (impl_->transaction_depth > 0) return body();
    if (auto s = impl_->db.exec("BEGIN IMMEDIATE"); !s) return s;
    ++impl_->transaction_depth;
    core::Status result;
    try {
        result = body();
    } catch (...) {
        --impl_->transaction_depth;
        (void)impl_->db.exec("ROLLBACK");
        throw;
    }
    --impl_->transaction_depth;
    if (result) result = impl_->db.exec("COMMIT");
    if (!result) (void)impl_->db.exec("ROLLBACK");
    return result;
}

core::Result<std::string> Store::integrity_check() {
    auto stmt = impl_->db.prepare("PRAGMA integrity_check");
    if (!stmt) return stmt.error();
    std::string out;
    for (;;) {
        auto row = stmt->step();
        if (!row) return row.error();
        if (!*row) break;
        if (!out.empty()) out += "\n";
        out += stmt->column_text(0);
    }
    return out;
}

}  // namespace cvd::store
