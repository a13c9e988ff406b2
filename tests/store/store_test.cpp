#include <sqlite3.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "cvdbot/store/store.hpp"

using namespace cvd;
using namespace cvd::store;
using Catch::Matchers::Contains;

namespace {
const core::Timestamp kNow = core::from_unix(1'795'000'000);  // 2026-11-18

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
    int exec(const std::string& sql) {
        sqlite3* db = nullptr;
        REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
        char* err = nullptr;
        const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
        sqlite3_free(err);
        sqlite3_close(db);
        return rc;
    }
};

Store open_store(const TempDb& db) {
    auto store = Store::open(db.path);
    REQUIRE(store.ok());
    return std::move(*store);
}
}  // namespace

TEST_CASE("Opening migrates to the current schema and re-opening is harmless") {
    TempDb db;
    { auto s = open_store(db); }
    auto s = open_store(db);
    CHECK(*s.integrity_check() == "ok");
}

TEST_CASE("A database from a newer cvdbot is refused with a clear message") {
    TempDb db;
    { auto s = open_store(db); }
    REQUIRE(db.exec("PRAGMA user_version = 999") == SQLITE_OK);
    auto s = Store::open(db.path);
    REQUIRE_FALSE(s.ok());
    CHECK_THAT(s.error().message, Contains("newer than this cvdbot knows"));
}

TEST_CASE("Fetched messages are stored once, by UID and by content") {
    TempDb db;
    auto s = open_store(db);
    CHECK_FALSE(s.mailbox_state("INBOX")->has_value());
    REQUIRE(s.reset_mailbox("INBOX", 7).ok());

    auto first = s.store_fetched({"INBOX", 7, 1}, "Subject: a\r\n\r\nbody\r\n", kNow);
    REQUIRE(first.ok());
    CHECK(first->outcome == FetchOutcome::stored);
    CHECK((*s.mailbox_state("INBOX"))->last_uid == 1);
    CHECK(*s.raw_message(first->row_id) == "Subject: a\r\n\r\nbody\r\n");

    // Same UID again (a crash before the UID was recorded): a duplicate.
    auto again = s.store_fetched({"INBOX", 7, 1}, "Subject: a\r\n\r\nbody\r\n", kNow);
    CHECK(again->outcome == FetchOutcome::duplicate);
    CHECK(again->row_id == first->row_id);

    // After a UIDVALIDITY change the same bytes under a new UID are still a duplicate.
    REQUIRE(s.reset_mailbox("INBOX", 8).ok());
    CHECK((*s.mailbox_state("INBOX"))->last_uid == 0);
    auto resync = s.store_fetched({"INBOX", 8, 1}, "Subject: a\r\n\r\nbody\r\n", kNow);
    CHECK(resync->outcome == FetchOutcome::duplicate);
    CHECK((*s.mailbox_state("INBOX"))->last_uid == 1);

    auto other = s.store_fetched({"INBOX", 8, 2}, std::string("bin\0ary", 7), kNow);
    CHECK(other->outcome == FetchOutcome::stored);
    CHECK(*s.raw_message(other->row_id) == std::string("bin\0ary", 7));
    CHECK(s.pending_inbound()->size() == 2);
}

TEST_CASE("Case numbers count per year and cases are found by id and by Message-ID") {
    TempDb db;
    auto s = open_store(db);
    auto a = s.create_case("CVD", kNow, "first");
    auto b = s.create_case("CVD", kNow, "second");
    auto next_year = s.create_case("CVD", kNow + std::chrono::days(60), "third");
    REQUIRE(a.ok());
    CHECK(a->id.str() == "CVD#2026-0001");
    CHECK(b->id.str() == "CVD#2026-0002");
    CHECK(next_year->id.str() == "CVD#2027-0001");
    CHECK((*s.find_case(*core::parse_case_id("CVD#2026-0002")))->row_id == b->row_id);
    CHECK_FALSE(s.find_case(*core::parse_case_id("CVD#2026-0009"))->has_value());

    OutboundMail mail{a->row_id, "ack1@example.test", "bot@example.test", {"alice@example.test"}, "s", "b",
                      "raw bytes", std::nullopt};
    REQUIRE(s.queue_outbound(mail, kNow).ok());
    auto by_ref = s.find_case_by_message_ids({"unknown@x", "ack1@example.test"});
    REQUIRE(by_ref.ok());
    REQUIRE(by_ref->has_value());
    CHECK((*by_ref)->row_id == a->row_id);
    CHECK_FALSE(s.find_case_by_message_ids({"nope@x"})->has_value());

    auto list = s.list_cases();
    REQUIRE(list->size() == 3);
    CHECK((*list)[0].message_count == 1);
}

TEST_CASE("Participants are unique per case, role and address") {
    TempDb db;
    auto s = open_store(db);
    auto c = s.create_case("CVD", kNow, "");
    domain::Participant p{0, c->row_id, domain::Role::discoverer, "Alice@Example.TEST", "Alice", "ja"};
    CHECK(s.add_participant(p, kNow)->address == "alice@example.test");
    REQUIRE(s.add_participant(p, kNow).ok());
    auto all = s.participants(c->row_id);
    REQUIRE(all->size() == 1);
    CHECK((*all)[0].language == "ja");
}

TEST_CASE("The outbox hands out due mail and records sends, retries and failures") {
    TempDb db;
    auto s = open_store(db);
    OutboundMail mail{std::nullopt, "m1@example.test", "bot@example.test", {"a@example.test", "b@example.test"},
                      "s", "b", "raw", std::nullopt};
    auto row = s.queue_outbound(mail, kNow);
    REQUIRE(row.ok());
    auto due = s.due_outbox(kNow, 10);
    REQUIRE(due->size() == 1);
    CHECK((*due)[0].recipients == std::vector<std::string>{"a@example.test", "b@example.test"});
    REQUIRE(s.mark_retry(*row, 1, kNow + std::chrono::seconds(60), "421 try later").ok());
    CHECK(s.due_outbox(kNow, 10)->empty());
    CHECK(s.due_outbox(kNow + std::chrono::seconds(60), 10)->size() == 1);
    REQUIRE(s.mark_sent(*row, kNow).ok());
    CHECK(s.due_outbox(kNow + std::chrono::hours(1), 10)->empty());
    CHECK(*s.outbox_count(OutboxState::sent) == 1);
    // Sent is final: a late failure cannot reopen it.
    REQUIRE(s.mark_failed(*row, 2, "x", kNow).ok());
    CHECK(*s.outbox_count(OutboxState::sent) == 1);

    OutboundMail bad = mail;
    bad.message_id = "m2@example.test";
    bad.recipients = {"a@example.test\r\nRCPT TO:<x>"};
    CHECK_FALSE(s.queue_outbound(bad, kNow).ok());
}

TEST_CASE("Transactions roll back as a whole") {
    TempDb db;
    auto s = open_store(db);
    auto status = s.transaction([&]() -> core::Status {
        REQUIRE(s.create_case("CVD", kNow, "").ok());
        return core::make_error(core::ErrorKind::internal, "abort");
    });
    CHECK_FALSE(status.ok());
    CHECK(s.list_cases()->empty());
    CHECK(s.create_case("CVD", kNow, "")->id.number == 1);
}

TEST_CASE("The audit log is append-only and merged into the timeline") {
    TempDb db;
    auto s = open_store(db);
    auto c = s.create_case("CVD", kNow, "");
    REQUIRE(s.audit({0, c->row_id, kNow, "bot", "case_opened", "report from a@example.test", std::nullopt}).ok());
    auto log = s.audit_log(c->row_id);
    REQUIRE(log->size() == 1);
    CHECK((*log)[0].action == "case_opened");
    CHECK(db.exec("UPDATE audit_log SET action = 'x'") != SQLITE_OK);
    CHECK(db.exec("DELETE FROM audit_log") != SQLITE_OK);
    auto timeline = s.timeline(c->row_id);
    REQUIRE(timeline->size() == 1);
    CHECK_THAT((*timeline)[0].summary, Contains("case_opened by bot"));
}

TEST_CASE("Values we did not write are reported, not trusted") {
    TempDb db;
    {
        auto s = open_store(db);
        REQUIRE(s.create_case("CVD", kNow, "").ok());
    }
    REQUIRE(db.exec("UPDATE cases SET state = 'flying'") == SQLITE_OK);
    auto s = open_store(db);
    auto list = s.list_cases();
    REQUIRE_FALSE(list.ok());
    CHECK_THAT(list.error().message, Contains("invalid value"));
}
