#pragma once
// A thin RAII layer over sqlite3: the only place that knows sqlite3's C API.
// Internal to the store module.

#include <sqlite3.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <utility>

#include "cvdbot/core/result.hpp"

namespace cvd::store::sql {

core::Error error_from(sqlite3* db, int code, std::string_view what);

// A connection's prepared statements that are not in use, by SQL text. Preparing cost more than
// running most of the store's statements (a sixth of the daemon's time in a catch-up), and the
// store runs the same few dozen texts over and over.
class StatementCache {
  public:
    StatementCache() = default;
    StatementCache(const StatementCache&) = delete;
    StatementCache& operator=(const StatementCache&) = delete;
    ~StatementCache();

    // An idle statement for `sql`, or nullptr. Taken out, so a statement nested in another's
    // loop with the same text gets one of its own.
    sqlite3_stmt* take(std::string_view sql);
    // Reset (ending its read of the database) and with its bindings dropped (a bound message can
    // be megabytes), it waits for the next use; finalized when enough are waiting.
    void give_back(sqlite3_stmt* stmt);

  private:
    struct Hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view text) const {
            return std::hash<std::string_view>{}(text);
        }
    };
    std::unordered_multimap<std::string, sqlite3_stmt*, Hash, std::equal_to<>> idle_;
};

class Statement {
  public:
    Statement() = default;
    // `cache`, if given, takes the statement back when this is done with it.
    Statement(sqlite3* db, sqlite3_stmt* stmt, StatementCache* cache = nullptr)
        : db_(db), stmt_(stmt), cache_(cache) {}
    Statement(Statement&& other) noexcept;
    Statement& operator=(Statement&& other) noexcept;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    ~Statement();

    Statement& bind(int index, std::int64_t value);
    Statement& bind(int index, std::string_view text);
    Statement& bind_blob(int index, std::string_view bytes);
    Statement& bind_null(int index);
    Statement& bind(int index, const std::optional<std::int64_t>& value);

    // true: a row is available; false: done.
    core::Result<bool> step();
    core::Status run();  // step until done, for statements without rows

    std::int64_t column_int(int index) const;
    std::optional<std::int64_t> column_optional_int(int index) const;
    std::string column_text(int index) const;
    std::string column_blob(int index) const;
    bool column_is_null(int index) const;
    sqlite3_stmt* raw() const { return stmt_; }

  private:
    void release();

    sqlite3* db_ = nullptr;
    sqlite3_stmt* stmt_ = nullptr;
    StatementCache* cache_ = nullptr;
};

// Steps through every result row, handing the statement to `row_fn` for each one. row_fn
// returns void, or core::Status to stop early: its error (or sqlite's) is what read_all returns.
template <typename RowFn>
core::Status read_all(Statement& stmt, RowFn&& row_fn) {
    for (;;) {
        auto row = stmt.step();
        if (!row) return row.error();
        if (!*row) return {};
        if constexpr (std::is_void_v<std::invoke_result_t<RowFn&, Statement&>>) {
            row_fn(stmt);
        } else {
            if (core::Status s = row_fn(stmt); !s) return s;
        }
    }
}

// How long a statement waits for another connection's write lock before failing.
constexpr int kBusyTimeoutMs = 5000;

class Connection {
  public:
    Connection() = default;
    explicit Connection(sqlite3* db) : db_(db), cache_(std::make_unique<StatementCache>()) {}
    Connection(Connection&& other) noexcept
        : db_(std::exchange(other.db_, nullptr)), cache_(std::move(other.cache_)) {}
    Connection& operator=(Connection&& other) noexcept;
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;
    ~Connection();

    static core::Result<Connection> open(const std::string& path);

    // A statement for `sql`, reused from an earlier prepare of the same text when one is idle.
    // Statements must end before their connection does.
    core::Result<Statement> prepare(std::string_view sql);
    core::Status exec(std::string_view sql);  // several statements, no parameters
    // BEGIN IMMEDIATE unless another connection holds the write lock (then false at once).
    core::Result<bool> try_begin_immediate();

    // Large blobs without a second copy in memory (binding one, or reading it as a column,
    // makes sqlite hold a copy of its own). write_blob fills a blob of the right size that
    // the row already has (insert zeroblob(n) first); read_blob reads one straight into the
    // string it returns, `size` bytes (the blob's length) from the row `rowid`.
    core::Status write_blob(const char* table, const char* column, std::int64_t rowid,
                            std::string_view bytes);
    core::Result<std::string> read_blob(const char* table, const char* column, std::int64_t rowid,
                                        std::size_t size);
    std::int64_t last_insert_id() const { return sqlite3_last_insert_rowid(db_); }
    int changes() const { return sqlite3_changes(db_); }
    // Rows changed since the connection was opened.
    std::int64_t total_changes() const { return sqlite3_total_changes64(db_); }
    sqlite3* raw() const { return db_; }

  private:
    sqlite3* db_ = nullptr;
    // On the heap, so statements point at it across moves of the connection.
    std::unique_ptr<StatementCache> cache_;
};

}  // namespace cvd::store::sql
