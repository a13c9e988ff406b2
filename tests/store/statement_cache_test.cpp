// The connection keeps prepared statements for reuse (sql::StatementCache): a reused statement
// must behave exactly like a fresh one, never hold the database open behind the store's back,
// and never be handed to two users at once.
#include <catch2/catch.hpp>
#include <string>

#include "sqlite.hpp"
#include "store_fixture.hpp"

namespace cvd::store::test {

namespace {
sql::Connection open_connection(const TempDb& db) {
    auto connection = sql::Connection::open(db.path);
    REQUIRE(connection.ok());
    return std::move(*connection);
}

std::int64_t single_int(sql::Connection& connection, const std::string& text) {
    auto stmt = connection.prepare(text);
    REQUIRE(stmt.ok());
    auto row = stmt->step();
    REQUIRE(row.ok());
    REQUIRE(*row);
    return stmt->column_int(0);
}
}  // namespace

TEST_CASE("a statement prepared again is the same one, reset and without its old bindings",
          "[store]") {
    TempDb db;
    auto connection = open_connection(db);
    REQUIRE(connection.exec("CREATE TABLE t (n INTEGER); INSERT INTO t VALUES (1), (2), (3)").ok());
    const std::string text = "SELECT count(*), ?1 IS NULL FROM t WHERE n >= coalesce(?1, 0)";
    sqlite3_stmt* first_handle = nullptr;
    {
        auto first = connection.prepare(text);
        REQUIRE(first.ok());
        first_handle = first->raw();
        first->bind(1, std::int64_t{3});
        REQUIRE(*first->step());
        CHECK(first->column_int(0) == 1);
    }
    auto again = connection.prepare(text);
    REQUIRE(again.ok());
    CHECK(again->raw() == first_handle);
    // Run once already: a fresh statement (even one malloc placed at the same address) says 0.
    CHECK(sqlite3_stmt_status(again->raw(), SQLITE_STMTSTATUS_RUN, 0) == 1);
    // Nothing bound this time: the old ?1 = 3 must not linger.
    REQUIRE(*again->step());
    CHECK(again->column_int(0) == 3);
    CHECK(again->column_int(1) == 1);
}

TEST_CASE("the same text used inside its own loop gets a statement of its own", "[store]") {
    TempDb db;
    auto connection = open_connection(db);
    REQUIRE(connection.exec("CREATE TABLE t (n INTEGER); INSERT INTO t VALUES (1), (2)").ok());
    const std::string text = "SELECT n FROM t ORDER BY n";
    auto outer = connection.prepare(text);
    REQUIRE(outer.ok());
    int pairs = 0;
    REQUIRE(sql::read_all(*outer, [&](sql::Statement&) {
                auto inner = connection.prepare(text);
                REQUIRE(inner.ok());
                CHECK(inner->raw() != outer->raw());
                REQUIRE(sql::read_all(*inner, [&](sql::Statement&) { ++pairs; }).ok());
            }).ok());
    CHECK(pairs == 4);
}

TEST_CASE("a statement put back half-read does not keep its reader's old view", "[store]") {
    TempDb db;
    auto connection = open_connection(db);
    REQUIRE(connection.exec("PRAGMA journal_mode = WAL").ok());
    REQUIRE(connection.exec("CREATE TABLE t (n INTEGER); INSERT INTO t VALUES (1), (2)").ok());
    const std::string text = "SELECT count(*) FROM t";
    {
        // Stepped to its row but never to the end: a read transaction that only reset ends.
        auto stmt = connection.prepare("SELECT n FROM t");
        REQUIRE(stmt.ok());
        REQUIRE(*stmt->step());
    }
    auto other = open_connection(db);
    REQUIRE(other.exec("INSERT INTO t VALUES (3)").ok());
    CHECK(single_int(connection, "SELECT count(*) FROM t") == 3);
    // And the writer's checkpoint is not blocked by a reader left open in the cache.
    REQUIRE(other.exec("PRAGMA wal_checkpoint(TRUNCATE)").ok());
    CHECK(single_int(other, "SELECT count(*) FROM t") == 3);
    CHECK(single_int(connection, text) == 3);
}

TEST_CASE("statements outlive a move of their connection and are finalized with it", "[store]") {
    TempDb db;
    auto connection = open_connection(db);
    REQUIRE(connection.exec("CREATE TABLE t (n INTEGER)").ok());
    sql::Connection moved;
    {
        auto stmt = connection.prepare("INSERT INTO t VALUES (?)");
        REQUIRE(stmt.ok());
        moved = std::move(connection);
        stmt->bind(1, std::int64_t{7});
        REQUIRE(stmt->run().ok());
    }  // the insert goes back to the cache, which moved with the connection
    CHECK(single_int(moved, "SELECT count(*) FROM t WHERE n = 7") == 1);
    // Under ASan, a statement left unfinalized when `moved` closes is reported as a leak.
}

}  // namespace cvd::store::test
