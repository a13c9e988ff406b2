// Opening the database and its numbered migrations. A migration is never edited once
// released: add a new one instead.

#include <array>

#include "store_impl.hpp"

namespace cvd::store {

namespace {

constexpr std::array<const char*, 8> kMigrations{
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
    // 2: the full case file: vendor directory, per-thread reply tokens, consent flags,
    // per-vendor status, quarantine, threading ids, crypto results, ticket numbers, timers.
    R"sql(
CREATE TABLE vendors (
    id                     INTEGER PRIMARY KEY,
    name                   TEXT NOT NULL UNIQUE COLLATE NOCASE,
    languages              TEXT NOT NULL DEFAULT '',
    name_publishable       INTEGER NOT NULL DEFAULT 0,
    accepts_direct_reports INTEGER NOT NULL DEFAULT 0,
    registration           TEXT NOT NULL DEFAULT 'general',
    notes                  TEXT NOT NULL DEFAULT '',
    created_at             INTEGER NOT NULL,
    updated_at             INTEGER NOT NULL
);
CREATE TABLE vendor_contacts (
    id        INTEGER PRIMARY KEY,
    vendor_id INTEGER NOT NULL REFERENCES vendors(id) ON DELETE CASCADE,
    address   TEXT NOT NULL,
    kind      TEXT NOT NULL,
    UNIQUE (vendor_id, address)
);
CREATE INDEX vendor_contacts_by_address ON vendor_contacts(address);
CREATE TABLE vendor_keys (
    id          INTEGER PRIMARY KEY,
    vendor_id   INTEGER NOT NULL REFERENCES vendors(id) ON DELETE CASCADE,
    fingerprint TEXT NOT NULL,
    UNIQUE (vendor_id, fingerprint)
);
CREATE TABLE vendor_products (
    id        INTEGER PRIMARY KEY,
    vendor_id INTEGER NOT NULL REFERENCES vendors(id) ON DELETE CASCADE,
    product   TEXT NOT NULL,
    UNIQUE (vendor_id, product)
);
CREATE TABLE vendor_keywords (
    id        INTEGER PRIMARY KEY,
    vendor_id INTEGER NOT NULL REFERENCES vendors(id) ON DELETE CASCADE,
    keyword   TEXT NOT NULL,
    UNIQUE (vendor_id, keyword)
);
CREATE TABLE vendor_changes (
    id           INTEGER PRIMARY KEY,
    vendor_id    INTEGER NOT NULL REFERENCES vendors(id),
    requested_by TEXT NOT NULL,
    message_id   INTEGER REFERENCES messages(id),
    request      TEXT NOT NULL,
    state        TEXT NOT NULL DEFAULT 'pending',
    created_at   INTEGER NOT NULL,
    decided_at   INTEGER,
    decided_by   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX vendor_changes_pending ON vendor_changes(state) WHERE state = 'pending';

ALTER TABLE cases ADD COLUMN track TEXT NOT NULL DEFAULT 'undecided';
ALTER TABLE cases ADD COLUMN start_date INTEGER;

ALTER TABLE participants ADD COLUMN organisation TEXT NOT NULL DEFAULT '';
ALTER TABLE participants ADD COLUMN vendor_id INTEGER REFERENCES vendors(id);
ALTER TABLE participants ADD COLUMN reply_token TEXT;
ALTER TABLE participants ADD COLUMN vendor_status TEXT NOT NULL DEFAULT '';
ALTER TABLE participants ADD COLUMN consent_credit INTEGER NOT NULL DEFAULT 0;
ALTER TABLE participants ADD COLUMN consent_identity_to_vendor INTEGER NOT NULL DEFAULT 0;
ALTER TABLE participants ADD COLUMN consent_direct_contact INTEGER NOT NULL DEFAULT 0;
CREATE UNIQUE INDEX participants_by_token ON participants(reply_token) WHERE reply_token IS NOT NULL;
-- Further addresses of a participant (e.g. a vendor's cc contacts).
CREATE TABLE participant_addresses (
    id             INTEGER PRIMARY KEY,
    participant_id INTEGER NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
    address        TEXT NOT NULL,
    kind           TEXT NOT NULL DEFAULT 'to',
    UNIQUE (participant_id, address)
);
CREATE INDEX participant_addresses_by_address ON participant_addresses(address);

ALTER TABLE messages ADD COLUMN participant_id INTEGER REFERENCES participants(id);
ALTER TABLE messages ADD COLUMN in_reply_to_ids TEXT NOT NULL DEFAULT '';
ALTER TABLE messages ADD COLUMN reference_ids TEXT NOT NULL DEFAULT '';
ALTER TABLE messages ADD COLUMN crypto TEXT NOT NULL DEFAULT '';
ALTER TABLE messages ADD COLUMN signer_fingerprint TEXT NOT NULL DEFAULT '';
ALTER TABLE messages ADD COLUMN named_case_id INTEGER REFERENCES cases(id);
CREATE INDEX messages_quarantine ON messages(status) WHERE status = 'quarantined';

CREATE TABLE ticket_refs (
    id             INTEGER PRIMARY KEY,
    case_id        INTEGER NOT NULL REFERENCES cases(id),
    participant_id INTEGER NOT NULL REFERENCES participants(id),
    ticket         TEXT NOT NULL,
    UNIQUE (participant_id, ticket)
);
CREATE INDEX ticket_refs_by_ticket ON ticket_refs(ticket);

CREATE TABLE timers (
    id             INTEGER PRIMARY KEY,
    case_id        INTEGER NOT NULL REFERENCES cases(id),
    participant_id INTEGER REFERENCES participants(id),
    name           TEXT NOT NULL,
    due_at         INTEGER NOT NULL,
    state          TEXT NOT NULL DEFAULT 'armed',
    created_at     INTEGER NOT NULL
);
CREATE INDEX timers_due ON timers(due_at) WHERE state = 'armed';
CREATE INDEX timers_by_case ON timers(case_id);
)sql",
    // 3: which OpenPGP key belongs to which address: learned from mail, or registered by an
    // administrator (only registered keys may authorise anything).
    R"sql(
CREATE TABLE key_bindings (
    id             INTEGER PRIMARY KEY,
    address        TEXT NOT NULL,
    fingerprint    TEXT NOT NULL,
    kind           TEXT NOT NULL CHECK (kind IN ('learned', 'registered')),
    added_at       INTEGER NOT NULL,
    source_message INTEGER REFERENCES messages(id),
    UNIQUE (address, fingerprint)
);
CREATE INDEX key_bindings_by_address ON key_bindings(address);
)sql",
    // 4: what the workflow needs to remember between events: the agreed publication date,
    // vendors' first replies and pre-notice permission, relaying, and signed command mail
    // already obeyed (a replayed command is refused).
    R"sql(
ALTER TABLE cases ADD COLUMN publication_date INTEGER;
ALTER TABLE participants ADD COLUMN replied_at INTEGER;
ALTER TABLE participants ADD COLUMN pre_notice_allowed INTEGER NOT NULL DEFAULT 0;
CREATE TABLE command_mail (
    id          INTEGER PRIMARY KEY,
    signer      TEXT NOT NULL,
    digest      TEXT NOT NULL,
    message_id  INTEGER REFERENCES messages(id),
    received_at INTEGER NOT NULL,
    UNIQUE (signer, digest)
);
CREATE INDEX timers_by_name ON timers(case_id, name) WHERE state = 'armed';
)sql",
    // 5: the facts of the public advisory, set by coordinators' commands (see advisory.cpp):
    // one value per (name, language), lists (CVE ids, references, affected products), each
    // vendor's own statement, and the revision history.
    R"sql(
CREATE TABLE advisory_facts (
    case_id    INTEGER NOT NULL REFERENCES cases(id),
    name       TEXT NOT NULL,
    lang       TEXT NOT NULL DEFAULT '' CHECK (lang IN ('', 'ja', 'en')),
    value      TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (case_id, name, lang)
);
CREATE TABLE advisory_items (
    id       INTEGER PRIMARY KEY,
    case_id  INTEGER NOT NULL REFERENCES cases(id),
    kind     TEXT NOT NULL,
    value    TEXT NOT NULL,
    added_at INTEGER NOT NULL,
    UNIQUE (case_id, kind, value)
);
CREATE TABLE advisory_vendor_statements (
    id             INTEGER PRIMARY KEY,
    case_id        INTEGER NOT NULL REFERENCES cases(id),
    vendor         TEXT NOT NULL,
    status         TEXT NOT NULL,
    statement_ja   TEXT NOT NULL DEFAULT '',
    statement_en   TEXT NOT NULL DEFAULT '',
    stated_at      INTEGER NOT NULL,
    participant_id INTEGER REFERENCES participants(id),
    UNIQUE (case_id, vendor)
);
CREATE TABLE advisory_revisions (
    id         INTEGER PRIMARY KEY,
    case_id    INTEGER NOT NULL REFERENCES cases(id),
    number     INTEGER NOT NULL,
    date       TEXT NOT NULL,
    summary_ja TEXT NOT NULL DEFAULT '',
    summary_en TEXT NOT NULL DEFAULT '',
    UNIQUE (case_id, number)
);
)sql",
    // 6: confidential messages held until the recipient has a key (never sent in plaintext).
    R"sql(
CREATE TABLE held_messages (
    id             INTEGER PRIMARY KEY,
    case_id        INTEGER NOT NULL REFERENCES cases(id),
    participant_id INTEGER NOT NULL REFERENCES participants(id),
    template       TEXT NOT NULL,
    variables      TEXT NOT NULL DEFAULT '[]',
    held_at        INTEGER NOT NULL,
    released_at    INTEGER
);
CREATE INDEX held_messages_waiting ON held_messages(participant_id) WHERE released_at IS NULL;
)sql",
    // 7: the reply limits count recent audit entries of one action (Store::count_audit) for
    // every reply: by index, not by reading the whole (ever growing) audit log.
    R"sql(
CREATE INDEX audit_by_action_at ON audit_log(action, at);
)sql",
    // 8: two lookups that read every row they could not narrow down (bench: O(n) per message,
    // 4 ms each on 4,000 messages during a catch-up). A case's messages include those that only
    // name it (named_case_id), and the reply limits count one address's replies in the last
    // hour; during a catch-up every reply of that hour would be read for each one.
    R"sql(
CREATE INDEX messages_by_named_case ON messages(named_case_id) WHERE named_case_id IS NOT NULL;
CREATE INDEX audit_by_action_detail_at ON audit_log(action, detail, at);
)sql",
};

core::Result<int> schema_version(sql::Connection& db) {
    auto stmt = db.prepare("PRAGMA user_version");
    if (!stmt) return stmt.error();
    auto row = stmt->step();
    if (!row) return row.error();
    return static_cast<int>(stmt->column_int(0));
}

core::Status migrate(sql::Connection& db, const std::string& path, int target) {
    auto version = schema_version(db);
    if (!version) return version.error();
    if (*version > current_schema_version())
        return core::make_error(core::ErrorKind::config,
                                path + ": the database has schema version " +
                                    std::to_string(*version) + ", newer than this cvdbot knows (" +
                                    std::to_string(current_schema_version()) +
                                    "); run a newer cvdbot or restore a backup");
    for (int next = *version + 1; next <= target; ++next) {
        if (auto s = db.exec("BEGIN IMMEDIATE"); !s) return s.error();
        auto s = db.exec(kMigrations[next - 1]);
        if (s) s = db.exec("PRAGMA user_version = " + std::to_string(next));
        if (s) s = db.exec("COMMIT");
        if (!s) {
            (void)db.exec("ROLLBACK");
            return core::make_error(s.error().kind, path + ": migration " + std::to_string(next) +
                                                        " failed: " + s.error().message);
        }
    }
    return {};
}

}  // namespace

int current_schema_version() {
    return static_cast<int>(kMigrations.size());
}

core::Status migrate_database_to(const std::string& path, int version) {
    if (version < 1 || version > current_schema_version())
        return core::make_error(core::ErrorKind::invalid_input,
                                "no schema version " + std::to_string(version));
    auto db = sql::Connection::open(path);
    if (!db) return db.error();
    return migrate(*db, path, version);
}

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
    for (const char* pragma :
         {"PRAGMA journal_mode = WAL", "PRAGMA foreign_keys = ON", "PRAGMA synchronous = FULL"}) {
        if (auto s = db->exec(pragma); !s)
            return core::make_error(s.error().kind, path + ": " + s.error().message);
    }
    if (auto s = migrate(*db, path, current_schema_version()); !s) return s.error();
    auto impl = std::make_unique<Impl>();
    impl->db = std::move(*db);
    return Store(std::move(impl));
}

core::Status Store::transaction(const std::function<core::Status()>& body) {
    // Nested calls join the outer transaction.
    if (impl_->transaction_depth > 0) return body();
    if (auto s = impl_->db.exec("BEGIN IMMEDIATE"); !s) return s;
    return run_begun(body);
}

core::Result<bool> Store::try_transaction(const std::function<core::Status()>& body) {
    if (impl_->transaction_depth > 0)
        return core::make_error(core::ErrorKind::internal, "try_transaction inside a transaction");
    auto begun = impl_->db.try_begin_immediate();
    if (!begun || !*begun) return begun;
    if (auto s = run_begun(body); !s) return s.error();
    return true;
}

core::Status Store::run_begun(const std::function<core::Status()>& body) {
    const std::int64_t changes_before = impl_->db.total_changes();
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
    // One that changed nothing wrote nothing to the disk: not counted.
    if (result && impl_->db.total_changes() != changes_before) ++impl_->commits;
    if (!result) (void)impl_->db.exec("ROLLBACK");
    return result;
}

std::uint64_t Store::commits() const {
    return impl_->commits;
}

core::Status Store::set_synced_commits(bool synced) {
    return impl_->db.exec(synced ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");
}

core::Status Store::savepoint(const std::function<core::Status()>& body) {
    if (impl_->transaction_depth == 0)
        return core::make_error(core::ErrorKind::internal, "a savepoint needs an open transaction");
    if (auto s = impl_->db.exec("SAVEPOINT step"); !s) return s;
    core::Status result;
    try {
        result = body();
    } catch (...) {
        (void)impl_->db.exec("ROLLBACK TO step");
        (void)impl_->db.exec("RELEASE step");
        throw;
    }
    if (!result) (void)impl_->db.exec("ROLLBACK TO step");
    if (auto s = impl_->db.exec("RELEASE step"); !s && result) return s;
    return result;
}

core::Result<std::string> Store::integrity_check() {
    auto stmt = impl_->db.prepare("PRAGMA integrity_check");
    if (!stmt) return stmt.error();
    std::string out;
    auto read = sql::read_all(*stmt, [&](const sql::Statement& row) {
        if (!out.empty()) out += "\n";
        out += row.column_text(0);
    });
    if (!read) return read.error();
    return out;
}

}  // namespace cvd::store
