// The sent journal (the outbox sender's own record of what it got out) and carrying it over.

#include "cvdbot/store/sent_journal.hpp"

#include <fstream>

#include "store_fixture.hpp"

using namespace cvd;
using namespace cvd::store;
using namespace cvd::store::test;
using Catch::Matchers::Contains;

namespace {

std::int64_t queue(Store& s, const std::string& id) {
    OutboundMail mail{
        std::nullopt, id + "@example.test", "bot@example.test", {"a@example.test"}, "s", "b",
        "raw",        std::nullopt,         std::nullopt};
    auto row = s.queue_outbound(mail, kNow);
    REQUIRE(row.ok());
    return *row;
}

std::int64_t sent_at(TempDb& db, std::int64_t row) {
    sqlite3* raw = nullptr;
    REQUIRE(sqlite3_open(db.path.c_str(), &raw) == SQLITE_OK);
    sqlite3_stmt* stmt = nullptr;
    REQUIRE(sqlite3_prepare_v2(raw, "SELECT coalesce(sent_at, -1) FROM outbox WHERE id = ?", -1,
                               &stmt, nullptr) == SQLITE_OK);
    sqlite3_bind_int64(stmt, 1, row);
    REQUIRE(sqlite3_step(stmt) == SQLITE_ROW);
    const auto value = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
    sqlite3_close(raw);
    return value;
}

}  // namespace

TEST_CASE("The sent journal keeps its records across reopening until they are forgotten") {
    TempDb db;
    const auto path = SentJournal::path_for(db.path);
    CHECK(path == db.path + ".sent");
    {
        auto journal = SentJournal::open(path);
        REQUIRE(journal.ok());
        REQUIRE(journal->add({7, kNow}, false).ok());
        REQUIRE(journal->add({3, kNow + std::chrono::seconds(2)}, true).ok());
        // The same row twice (sent, recorded, a crash before the carry-over): one record.
        REQUIRE(journal->add({7, kNow}, false).ok());
    }
    auto journal = SentJournal::open(path);
    REQUIRE(journal.ok());
    auto records = journal->records();
    REQUIRE(records.ok());
    CHECK(*records == std::vector<SentRecord>{{7, kNow}, {3, kNow + std::chrono::seconds(2)}});
    REQUIRE(journal->forget({7, 99}).ok());
    CHECK(*journal->records() == std::vector<SentRecord>{{3, kNow + std::chrono::seconds(2)}});
    CHECK(journal->forget({}).ok());
}

TEST_CASE("Carrying the journal over marks the rows sent at their own times, once") {
    TempDb db;
    auto s = open_store(db);
    const auto first = queue(s, "m1");
    const auto second = queue(s, "m2");
    const auto third = queue(s, "m3");
    auto journal = SentJournal::open(SentJournal::path_for(db.path));
    REQUIRE(journal.ok());
    REQUIRE(journal->add({first, kNow + std::chrono::seconds(5)}, false).ok());
    REQUIRE(journal->add({second, kNow + std::chrono::seconds(9)}, true).ok());
    // A row the main database no longer has (trust no file): nothing to mark.
    REQUIRE(journal->add({4242, kNow}, true).ok());

    REQUIRE(carry_over(*journal, s).ok());
    CHECK(journal->records()->empty());
    CHECK(sent_at(db, first) == core::to_unix(kNow) + 5);
    CHECK(sent_at(db, second) == core::to_unix(kNow) + 9);
    CHECK(sent_at(db, third) == -1);
    auto due = s.due_outbox(kNow + std::chrono::hours(1), 10);
    REQUIRE(due->size() == 1);
    CHECK((*due)[0].row_id == third);

    // Carried over twice (a crash between marking and forgetting): the first time stands.
    REQUIRE(journal->add({first, kNow + std::chrono::seconds(60)}, true).ok());
    REQUIRE(carry_over(*journal, s).ok());
    CHECK(sent_at(db, first) == core::to_unix(kNow) + 5);
    CHECK(*s.outbox_count(OutboxState::sent) == 2);
}

TEST_CASE("A journal file that is not a database is a clear error, not a crash") {
    TempDb db;
    const auto path = SentJournal::path_for(db.path);
    {
        std::ofstream garbage(path, std::ios::binary);
        garbage << std::string(4096, 'x');
    }
    auto journal = SentJournal::open(path);
    REQUIRE_FALSE(journal.ok());
    CHECK_THAT(journal.error().message, Contains(path));
}
