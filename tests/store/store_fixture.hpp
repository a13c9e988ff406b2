#pragma once
// Shared by the store tests: a real SQLite file in a fresh directory per test.

#include <sqlite3.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>

#include "cvdbot/store/store.hpp"

namespace cvd::store::test {

inline const core::Timestamp kNow = core::from_unix(1'795'000'000);  // 2026-11-18

// A real SQLite file in a fresh directory per test.
struct TempDb {
    std::filesystem::path dir;
    std::string path;
    TempDb() {
        dir = std::filesystem::temp_directory_path() /
              ("cvdbot-store-" + std::to_string(::getpid()) + "-" + std::to_string(counter()++));
        std::filesystem::remove_all(dir);
        std::filesystem::create_directories(dir);
        path = (dir / "cvdbot.db").string();
    }
    ~TempDb() { std::filesystem::remove_all(dir); }
    static int& counter() {
        static int n = 0;
        return n;
    }
    // Writes behind the store's back, to play a corrupted or tampered database.
    int exec(const std::string& sql) {
        sqlite3* db = nullptr;
        REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
        char* err = nullptr;
        const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
        UNSCOPED_INFO((err ? err : ""));
        sqlite3_free(err);
        sqlite3_close(db);
        return rc;
    }
    void exec_ok(const std::string& sql) { REQUIRE(exec(sql) == SQLITE_OK); }
    // The details of EXPLAIN QUERY PLAN for `sql`, one line each.
    std::string query_plan(const std::string& sql) {
        sqlite3* db = nullptr;
        REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
        sqlite3_stmt* stmt = nullptr;
        REQUIRE(sqlite3_prepare_v2(db, ("EXPLAIN QUERY PLAN " + sql).c_str(), -1, &stmt, nullptr) ==
                SQLITE_OK);
        std::string plan;
        while (sqlite3_step(stmt) == SQLITE_ROW)
            plan += std::string(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 3))) + "\n";
        sqlite3_finalize(stmt);
        sqlite3_close(db);
        return plan;
    }
};

inline domain::Participant add_vendor(Store& s, std::int64_t case_row_id,
                                      const std::string& address) {
    domain::Participant v;
    v.case_row_id = case_row_id;
    v.role = domain::Role::vendor;
    v.address = address;
    auto added = s.add_participant(v, kNow);
    REQUIRE(added.ok());
    return *added;
}

inline Store open_store(const TempDb& db) {
    auto store = Store::open(db.path);
    REQUIRE(store.ok());
    return std::move(*store);
}

}  // namespace cvd::store::test
