#pragma once
// A thin RAII layer over sqlite3: the only place that knows sqlite3's C API.
// Internal to the store module.

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "cvdbot/core/result.hpp"

namespace cvd::store::sql {

core::Error error_from(sqlite3* db, int code, std::string_view what);

class Statement {
  public:
    Statement() = default;
    Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
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

  private:
    sqlite3* db_ = nullptr;
    sqlite3_stmt* stmt_ = nullptr;
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
    explicit Connection(sqlite3* db) : db_(db) {}
    Connection(Connection&& other) noexcept : db_(other.db_) { other.db_ = nullptr; }
    Connection& operator=(Connection&& other) noexcept;
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;
    ~Connection();

    static core::Result<Connection> open(const std::string& path);

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
};

}  // namespace cvd::store::sql
