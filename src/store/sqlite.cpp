#include "sqlite.hpp"

#include <algorithm>
#include <utility>

namespace cvd::store::sql {

using core::ErrorKind;

core::Error error_from(sqlite3* db, int code, std::string_view what) {
    const int primary = code & 0xff;
    std::string message =
        std::string(what) + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(code));
    if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED)
        return core::make_error(ErrorKind::io,
                                message + " (the database is locked by another process)");
    if (primary == SQLITE_FULL)
        return core::make_error(ErrorKind::io, message + " (the disk is full)");
    if (primary == SQLITE_CONSTRAINT) return core::make_error(ErrorKind::conflict, message);
    if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB)
        return core::make_error(ErrorKind::io, message + " (the database file is damaged)");
    return core::make_error(ErrorKind::io, message);
}

namespace {
// Distinct texts are few (the store's statements, a handful of list filters); more than this
// means texts built from data, which are not worth keeping.
constexpr std::size_t kMaxIdleStatements = 256;
}  // namespace

StatementCache::~StatementCache() {
    for (auto& [text, stmt] : idle_) sqlite3_finalize(stmt);
}

sqlite3_stmt* StatementCache::take(std::string_view sql) {
    auto found = idle_.find(sql);
    if (found == idle_.end()) return nullptr;
    sqlite3_stmt* stmt = found->second;
    idle_.erase(found);
    return stmt;
}

void StatementCache::give_back(sqlite3_stmt* stmt) {
    if (stmt == nullptr) return;
    // The error of a failed step was reported when it happened; reset only repeats it.
    (void)sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    const char* text = sqlite3_sql(stmt);
    if (text == nullptr || idle_.size() >= kMaxIdleStatements) {
        sqlite3_finalize(stmt);
        return;
    }
    idle_.emplace(text, stmt);
}

Statement::Statement(Statement&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)),
      stmt_(std::exchange(other.stmt_, nullptr)),
      cache_(std::exchange(other.cache_, nullptr)) {}

Statement& Statement::operator=(Statement&& other) noexcept {
    if (this != &other) {
        release();
        db_ = std::exchange(other.db_, nullptr);
        stmt_ = std::exchange(other.stmt_, nullptr);
        cache_ = std::exchange(other.cache_, nullptr);
    }
    return *this;
}

Statement::~Statement() {
    release();
}

void Statement::release() {
    if (cache_ != nullptr)
        cache_->give_back(stmt_);
    else
        sqlite3_finalize(stmt_);
    stmt_ = nullptr;
}

Statement& Statement::bind(int index, std::int64_t value) {
    sqlite3_bind_int64(stmt_, index, value);
    return *this;
}
Statement& Statement::bind(int index, std::string_view text) {
    sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
    return *this;
}
Statement& Statement::bind_blob(int index, std::string_view bytes) {
    sqlite3_bind_blob64(stmt_, index, bytes.data(), bytes.size(), SQLITE_TRANSIENT);
    return *this;
}
Statement& Statement::bind_null(int index) {
    sqlite3_bind_null(stmt_, index);
    return *this;
}
Statement& Statement::bind(int index, const std::optional<std::int64_t>& value) {
    return value ? bind(index, *value) : bind_null(index);
}

core::Result<bool> Statement::step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    return error_from(db_, rc, "database step failed");
}

core::Status Statement::run() {
    for (;;) {
        auto more = step();
        if (!more) return more.error();
        if (!*more) return {};
    }
}

std::int64_t Statement::column_int(int index) const {
    return sqlite3_column_int64(stmt_, index);
}

std::optional<std::int64_t> Statement::column_optional_int(int index) const {
    if (column_is_null(index)) return std::nullopt;
    return column_int(index);
}

std::string Statement::column_text(int index) const {
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, index));
    return text ? std::string(text, sqlite3_column_bytes(stmt_, index)) : std::string();
}

std::string Statement::column_blob(int index) const {
    const auto* data = static_cast<const char*>(sqlite3_column_blob(stmt_, index));
    return data ? std::string(data, sqlite3_column_bytes(stmt_, index)) : std::string();
}

bool Statement::column_is_null(int index) const {
    return sqlite3_column_type(stmt_, index) == SQLITE_NULL;
}

Connection& Connection::operator=(Connection&& other) noexcept {
    if (this != &other) {
        cache_.reset();
        sqlite3_close_v2(db_);
        db_ = std::exchange(other.db_, nullptr);
        cache_ = std::move(other.cache_);
    }
    return *this;
}

Connection::~Connection() {
    cache_.reset();  // its statements first: close_v2 would otherwise keep the connection alive
    sqlite3_close_v2(db_);
}

core::Result<Connection> Connection::open(const std::string& path) {
    sqlite3* db = nullptr;
    const int rc =
        sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
    Connection connection(db);
    if (rc != SQLITE_OK) return error_from(db, rc, "cannot open database " + path);
    sqlite3_extended_result_codes(db, 1);
    sqlite3_busy_timeout(db, kBusyTimeoutMs);
    return connection;
}

core::Result<Statement> Connection::prepare(std::string_view sql) {
    if (cache_ != nullptr)
        if (sqlite3_stmt* idle = cache_->take(sql)) return Statement(db_, idle, cache_.get());
    sqlite3_stmt* stmt = nullptr;
    const int rc =
        sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
    if (rc != SQLITE_OK) return error_from(db_, rc, "cannot prepare statement");
    return Statement(db_, stmt, cache_.get());
}

core::Status Connection::exec(std::string_view sql) {
    char* message = nullptr;
    const std::string text(sql);
    const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message);
    if (rc != SQLITE_OK) {
        auto error = error_from(db_, rc, "database command failed");
        sqlite3_free(message);
        return error;
    }
    return {};
}

core::Result<bool> Connection::try_begin_immediate() {
    // No busy wait for this BEGIN: another writer holding the lock is an answer, not an error.
    sqlite3_busy_timeout(db_, 0);
    const int rc = sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
    sqlite3_busy_timeout(db_, kBusyTimeoutMs);
    if ((rc & 0xff) == SQLITE_BUSY) return false;
    if (rc != SQLITE_OK) return error_from(db_, rc, "database command failed");
    return true;
}

namespace {
struct BlobHandle {
    sqlite3_blob* blob = nullptr;
    ~BlobHandle() { sqlite3_blob_close(blob); }
};
}  // namespace

core::Status Connection::write_blob(const char* table, const char* column, std::int64_t rowid,
                                    std::string_view bytes) {
    if (bytes.empty()) return {};
    BlobHandle handle;
    int rc = sqlite3_blob_open(db_, "main", table, column, rowid, 1, &handle.blob);
    if (rc != SQLITE_OK) return error_from(db_, rc, "cannot open blob for writing");
    // In pieces: sqlite3_blob_write takes an int length.
    constexpr std::size_t kChunk = 1u << 20;
    for (std::size_t offset = 0; offset < bytes.size(); offset += kChunk) {
        const auto n = std::min(kChunk, bytes.size() - offset);
        rc = sqlite3_blob_write(handle.blob, bytes.data() + offset, static_cast<int>(n),
                                static_cast<int>(offset));
        if (rc != SQLITE_OK) return error_from(db_, rc, "cannot write blob");
    }
    return {};
}

core::Result<std::string> Connection::read_blob(const char* table, const char* column,
                                                std::int64_t rowid, std::size_t size) {
    std::string out;
    if (size == 0) return out;
    BlobHandle handle;
    int rc = sqlite3_blob_open(db_, "main", table, column, rowid, 0, &handle.blob);
    if (rc != SQLITE_OK) return error_from(db_, rc, "cannot open blob");
    if (static_cast<std::size_t>(sqlite3_blob_bytes(handle.blob)) != size)
        return core::make_error(ErrorKind::io, "blob changed size while being read");
    out.resize(size);
    constexpr std::size_t kChunk = 1u << 20;
    for (std::size_t offset = 0; offset < size; offset += kChunk) {
        const auto n = std::min(kChunk, size - offset);
        rc = sqlite3_blob_read(handle.blob, out.data() + offset, static_cast<int>(n),
                               static_cast<int>(offset));
        if (rc != SQLITE_OK) return error_from(db_, rc, "cannot read blob");
    }
    return out;
}

}  // namespace cvd::store::sql
