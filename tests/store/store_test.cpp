#include "cvdbot/store/store.hpp"

#include <sqlite3.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "cvdbot/core/text.hpp"
#include "store_fixture.hpp"

using namespace cvd;
using namespace cvd::store;
using Catch::Matchers::Contains;
using namespace cvd::store::test;

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

// Raw bytes go in and out through sqlite3_blob_* in 1 MiB pieces (no copy of a 34 MB message
// held by sqlite): exact for the empty message, and across the pieces' edges.
TEST_CASE("Raw messages are kept exactly, empty and larger than one blob piece") {
    TempDb db;
    auto s = open_store(db);
    REQUIRE(s.reset_mailbox("INBOX", 1).ok());
    auto empty = s.store_fetched({"INBOX", 1, 1}, "", kNow);
    REQUIRE(empty.ok());
    CHECK(s.raw_message(empty->row_id)->empty());
    std::string big((3u << 20) + 12345, '\0');
    for (std::size_t i = 0; i < big.size(); ++i)
        big[i] = static_cast<char>((i * 131 + i / 4096) & 0xff);
    auto stored = s.store_fetched({"INBOX", 1, 2}, big, kNow);
    REQUIRE(stored.ok());
    CHECK(stored->outcome == FetchOutcome::stored);
    auto back = s.raw_message(stored->row_id);
    REQUIRE(back.ok());
    CHECK(*back == big);
    CHECK_FALSE(s.raw_message(stored->row_id + 100).ok());
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

    OutboundMail mail{
        a->row_id,   "ack1@example.test", "bot@example.test", {"alice@example.test"}, "s", "b",
        "raw bytes", std::nullopt,        std::nullopt};
    REQUIRE(s.queue_outbound(mail, kNow).ok());
    auto by_ref = s.find_thread_by_message_ids({"unknown@x", "ack1@example.test"});
    REQUIRE(by_ref.ok());
    REQUIRE(by_ref->has_value());
    CHECK((*by_ref)->case_row_id == a->row_id);
    CHECK_FALSE(s.find_thread_by_message_ids({"nope@x"})->has_value());

    auto list = s.list_cases();
    REQUIRE(list->size() == 3);
    CHECK((*list)[0].message_count == 1);
}

TEST_CASE("Participants are unique per case, role and address") {
    TempDb db;
    auto s = open_store(db);
    auto c = s.create_case("CVD", kNow, "");
    domain::Participant p;
    p.case_row_id = c->row_id;
    p.role = domain::Role::discoverer;
    p.address = "Alice@Example.TEST";
    p.display_name = "Alice";
    p.language = "ja";
    auto first = s.add_participant(p, kNow);
    REQUIRE(first.ok());
    CHECK(first->address == "alice@example.test");
    CHECK(first->reply_token.size() == 20);
    auto again = s.add_participant(p, kNow);
    REQUIRE(again.ok());
    CHECK(again->row_id == first->row_id);
    CHECK(again->reply_token == first->reply_token);
    auto all = s.participants(c->row_id);
    REQUIRE(all->size() == 1);
    CHECK((*all)[0] == *first);
}

TEST_CASE("The outbox hands out due mail and records sends, retries and failures") {
    TempDb db;
    auto s = open_store(db);
    OutboundMail mail{std::nullopt,
                      "m1@example.test",
                      "bot@example.test",
                      {"a@example.test", "b@example.test"},
                      "s",
                      "b",
                      "raw",
                      std::nullopt,
                      std::nullopt};
    auto row = s.queue_outbound(mail, kNow);
    REQUIRE(row.ok());
    auto due = s.due_outbox(kNow, 10);
    REQUIRE(due->size() == 1);
    CHECK((*due)[0].recipients == std::vector<std::string>{"a@example.test", "b@example.test"});
    REQUIRE(s.mark_retry(*row, 1, kNow + std::chrono::seconds(60), "421 try later").ok());
    CHECK(s.due_outbox(kNow, 10)->empty());
    CHECK(s.due_outbox(kNow + std::chrono::seconds(60), 10)->size() == 1);
    CHECK(*s.next_scheduled_work(kNow) == kNow + std::chrono::seconds(60));
    REQUIRE(s.mark_sent(*row, kNow).ok());
    CHECK_FALSE(*s.next_scheduled_work(kNow));
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

TEST_CASE(
    "try_transaction answers at once while another connection writes, and commits otherwise") {
    TempDb db;
    auto daemon = open_store(db);
    auto sender = open_store(db);  // the outbox sender's own connection
    bool ran = false;
    const auto started = std::chrono::steady_clock::now();
    REQUIRE(daemon
                .transaction([&]() -> core::Status {
                    REQUIRE(daemon.create_case("CVD", kNow, "").ok());
                    auto tried = sender.try_transaction([&]() -> core::Status {
                        ran = true;
                        return {};
                    });
                    REQUIRE(tried.ok());
                    CHECK_FALSE(*tried);
                    return {};
                })
                .ok());
    CHECK_FALSE(ran);
    // Not the 5 s a busy wait would take.
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(2));
    const auto commits = sender.commits();
    auto tried = sender.try_transaction([&]() -> core::Status {
        ran = true;
        auto opened = sender.create_case("CVD", kNow, "");
        if (!opened) return opened.error();
        return {};
    });
    REQUIRE(tried.ok());
    CHECK(*tried);
    CHECK(ran);
    CHECK(sender.commits() == commits + 1);
    CHECK(daemon.list_cases()->size() == 2);
    // A failing body rolls back and is an error, not "busy".
    auto failed = sender.try_transaction([&]() -> core::Status {
        REQUIRE(sender.create_case("CVD", kNow, "").ok());
        return core::make_error(core::ErrorKind::internal, "abort");
    });
    CHECK_FALSE(failed.ok());
    CHECK(daemon.list_cases()->size() == 2);
    // Inside a transaction of its own connection it is a bug, said as an error.
    REQUIRE(sender
                .transaction([&]() -> core::Status {
                    CHECK_FALSE(sender.try_transaction([] { return core::Status{}; }).ok());
                    return {};
                })
                .ok());
}

TEST_CASE("The audit log is append-only and merged into the timeline") {
    TempDb db;
    auto s = open_store(db);
    auto c = s.create_case("CVD", kNow, "");
    REQUIRE(s.audit({0, c->row_id, kNow, "bot", "case_opened", "report from a@example.test",
                     std::nullopt})
                .ok());
    auto log = s.audit_log(c->row_id);
    REQUIRE(log->size() == 1);
    CHECK((*log)[0].action == "case_opened");
    CHECK(db.exec("UPDATE audit_log SET action = 'x'") != SQLITE_OK);
    CHECK(db.exec("DELETE FROM audit_log") != SQLITE_OK);
    auto timeline = s.timeline(c->row_id);
    REQUIRE(timeline->size() == 1);
    CHECK_THAT((*timeline)[0].summary, Contains("case_opened by bot"));
}

TEST_CASE("Audit entries are counted by action, detail, case and time (the reply limits' ledger)") {
    TempDb db;
    auto s = open_store(db);
    auto c = s.create_case("CVD", kNow, "");
    const auto hour = std::chrono::seconds(3600);
    REQUIRE(s.audit({0, c->row_id, kNow - 2 * hour, "bot", "auto_reply", "a@example.test",
                     std::nullopt})
                .ok());
    REQUIRE(
        s.audit({0, c->row_id, kNow, "bot", "auto_reply", "a@example.test", std::nullopt}).ok());
    REQUIRE(
        s.audit({0, std::nullopt, kNow, "bot", "auto_reply", "a@example.test", std::nullopt}).ok());
    REQUIRE(
        s.audit({0, c->row_id, kNow, "bot", "auto_reply", "b@example.test", std::nullopt}).ok());
    REQUIRE(
        s.audit({0, c->row_id, kNow, "bot", "case_opened", "a@example.test", std::nullopt}).ok());
    auto counts = s.count_audit("auto_reply", "a@example.test", c->row_id, kNow - hour);
    REQUIRE(counts.ok());
    CHECK(counts->first == 2);   // the old one is outside the window, case_opened is another action
    CHECK(counts->second == 2);  // a@ and b@ in the case
    auto no_case = s.count_audit("auto_reply", "nobody@example.test", std::nullopt, kNow - hour);
    REQUIRE(no_case.ok());
    CHECK(*no_case == std::pair{0, 0});
}

TEST_CASE("Unsynced commits are seen by other connections and after reopening") {
    TempDb db;
    std::int64_t row = 0;
    {
        auto s = open_store(db);
        REQUIRE(s.set_synced_commits(false).ok());
        OutboundMail mail{
            std::nullopt, "m1@example.test", "bot@example.test", {"a@example.test"}, "s", "b",
            "raw",        std::nullopt,      std::nullopt};
        auto queued = s.queue_outbound(mail, kNow);
        REQUIRE(queued.ok());
        row = *queued;
        REQUIRE(s.transaction([&] { return s.mark_sent(row, kNow); }).ok());
        auto other = open_store(db);
        CHECK(other.due_outbox(kNow, 10)->empty());
        REQUIRE(s.set_synced_commits(true).ok());
    }
    auto reopened = open_store(db);
    CHECK(reopened.due_outbox(kNow, 10)->empty());
    CHECK(*reopened.outbox_count(OutboxState::sent) == 1);
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

namespace {
domain::Participant vendor_participant(std::int64_t case_row, const std::string& address,
                                       const std::string& org) {
    domain::Participant p;
    p.case_row_id = case_row;
    p.role = domain::Role::vendor;
    p.address = address;
    p.organisation = org;
    p.other_addresses = {"psirt-cc@" + std::string(core::address_domain(address))};
    p.consent = domain::Consent{false, false, true};
    p.vendor_status = "contacted";
    return p;
}
}  // namespace

TEST_CASE("Every participant thread has its own unguessable reply token") {
    TempDb db;
    auto s = open_store(db);
    auto c = s.create_case("CVD", kNow, "");
    auto a =
        s.add_participant(vendor_participant(c->row_id, "psirt@vendor-a.test", "Vendor A"), kNow);
    auto b = s.add_participant(vendor_participant(c->row_id, "security@vendor-b.test", "Vendor B"),
                               kNow);
    REQUIRE(a.ok());
    REQUIRE(b.ok());
    CHECK(a->reply_token != b->reply_token);
    CHECK(a->reply_token.find("2026") == std::string::npos);
    CHECK((*s.participant_by_token(a->reply_token))->row_id == a->row_id);
    CHECK_FALSE(s.participant_by_token("0000000000000000000z")->has_value());
    CHECK_FALSE(s.participant_by_token("").value().has_value());
    // Other addresses identify the participant too; round trip of every field.
    auto by_cc = s.participant_by_address(c->row_id, "PSIRT-CC@vendor-a.test");
    REQUIRE(by_cc->has_value());
    CHECK(**by_cc == *a);
    CHECK((*by_cc)->consent.direct_contact);
    CHECK_FALSE(s.participant_by_address(c->row_id, "nobody@vendor-a.test")->has_value());
}

TEST_CASE("Threads are found by any stored Message-ID, most specific first") {
    TempDb db;
    auto s = open_store(db);
    auto c = s.create_case("CVD", kNow, "");
    auto a =
        s.add_participant(vendor_participant(c->row_id, "psirt@vendor-a.test", "Vendor A"), kNow);
    auto b = s.add_participant(vendor_participant(c->row_id, "security@vendor-b.test", "Vendor B"),
                               kNow);
    for (auto [id, who] : {std::pair{"to-a@bot", a->row_id}, std::pair{"to-b@bot", b->row_id}}) {
        OutboundMail mail{c->row_id,    id, "bot@example.test", {"x@example.test"}, "s", "b", "raw",
                          std::nullopt, who};
        REQUIRE(s.queue_outbound(mail, kNow).ok());
    }
    auto found = s.find_thread_by_message_ids({"unknown@x", "to-b@bot", "to-a@bot"});
    REQUIRE(found->has_value());
    CHECK((*found)->case_row_id == c->row_id);
    CHECK((*found)->participant_row_id == b->row_id);
    CHECK_FALSE(s.find_thread_by_message_ids({})->has_value());
    // A hostile References header with thousands of ids costs a bounded number of lookups.
    std::vector<std::string> many(5000, "junk@x");
    many.push_back("to-a@bot");
    CHECK_FALSE(s.find_thread_by_message_ids(many)->has_value());
}

TEST_CASE("Ticket numbers find the thread only for the participant who used them") {
    TempDb db;
    auto s = open_store(db);
    auto c = s.create_case("CVD", kNow, "");
    auto a =
        s.add_participant(vendor_participant(c->row_id, "psirt@vendor-a.test", "Vendor A"), kNow);
    REQUIRE(s.remember_ticket(c->row_id, a->row_id, "PSIRT-4711").ok());
    REQUIRE(s.remember_ticket(c->row_id, a->row_id, "PSIRT-4711").ok());
    auto found = s.find_thread_by_ticket({"INC-1", "PSIRT-4711"}, "psirt@vendor-a.test");
    REQUIRE(found->has_value());
    CHECK((*found)->participant_row_id == a->row_id);
    CHECK_FALSE(s.find_thread_by_ticket({"PSIRT-4711"}, "attacker@evil.test")->has_value());
}

TEST_CASE("Case lists filter by state, track, vendor, text and overdue timers") {
    TempDb db;
    auto s = open_store(db);
    auto one = s.create_case("CVD", kNow, "XSS in WebMail");
    auto two = s.create_case("CVD", kNow, "SQL injection in Shop");
    REQUIRE(s.set_case_state(two->row_id, domain::CaseState::accepted, kNow).ok());
    REQUIRE(s.set_case_track(two->row_id, domain::Track::web, kNow).ok());
    REQUIRE(
        s.add_participant(vendor_participant(one->row_id, "psirt@vendor-a.test", "Vendor A"), kNow)
            .ok());
    REQUIRE(s.arm_timer({0, one->row_id, std::nullopt, "vendor_first_reply",
                         kNow + std::chrono::days(7), "armed"})
                .ok());

    CHECK(s.list_cases()->size() == 2);
    CaseFilter by_state;
    by_state.state = domain::CaseState::accepted;
    REQUIRE(s.list_cases(by_state)->size() == 1);
    CHECK(s.list_cases(by_state)->front().record.id.number == 2);
    CaseFilter by_track;
    by_track.track = domain::Track::web;
    CHECK(s.list_cases(by_track)->front().record.track == domain::Track::web);
    CaseFilter by_vendor;
    by_vendor.vendor = "vendor a";
    REQUIRE(s.list_cases(by_vendor)->size() == 1);
    CHECK(s.list_cases(by_vendor)->front().vendors == std::vector<std::string>{"Vendor A"});
    CaseFilter by_text;
    by_text.text = "sql INJECTION";
    CHECK(s.list_cases(by_text)->front().record.id.number == 2);
    CaseFilter overdue;
    overdue.overdue_at = kNow + std::chrono::days(6);
    CHECK(s.list_cases(overdue)->empty());
    overdue.overdue_at = kNow + std::chrono::days(8);
    REQUIRE(s.list_cases(overdue)->size() == 1);
    CHECK(s.list_cases(overdue)->front().next_due == kNow + std::chrono::days(7));
    REQUIRE(s.timers(one->row_id)->size() == 1);
}

TEST_CASE("A version 1 database is migrated to the current schema with its data intact") {
    TempDb db;
    REQUIRE(migrate_database_to(db.path, 1).ok());
    REQUIRE(
        db.exec("INSERT INTO cases (prefix, year, number, state, title, created_at, updated_at) "
                "VALUES ('CVD', 2026, 1, 'received', 'old', 1795000000, 1795000000)") == SQLITE_OK);
    REQUIRE(db.exec("INSERT INTO participants (case_id, role, address, created_at) "
                    "VALUES (1, 'discoverer', 'old@example.test', 1795000000)") == SQLITE_OK);
    auto s = open_store(db);
    auto cases = s.list_cases();
    REQUIRE(cases->size() == 1);
    CHECK(cases->front().record.title == "old");
    CHECK(cases->front().record.track == domain::Track::undecided);
    auto people = s.participants(cases->front().record.row_id);
    REQUIRE(people->size() == 1);
    CHECK(people->front().reply_token.empty());
    CHECK(*s.integrity_check() == "ok");
}

TEST_CASE("Advisory facts, lists, vendor statements and revisions are kept per case") {
    TempDb db;
    auto s = open_store(db);
    auto c = s.create_case("CVD", kNow, "");
    REQUIRE(c.ok());
    const auto id = c->row_id;
    REQUIRE(s.set_advisory_fact(id, {"title", "ja", "最初"}, kNow).ok());
    REQUIRE(s.set_advisory_fact(id, {"title", "ja", "タイトル"}, kNow).ok());
    REQUIRE(s.set_advisory_fact(id, {"cwe", "", "CWE-79"}, kNow).ok());
    REQUIRE(s.set_advisory_fact(id, {"cvss31", "", "x"}, kNow).ok());
    REQUIRE(s.set_advisory_fact(id, {"cvss31", "", ""}, kNow).ok());  // removed
    CHECK_FALSE(s.set_advisory_fact(id, {"title", "fr", "x"}, kNow).ok());
    CHECK(*s.add_advisory_item(id, {"cve", "CVE-2027-12345"}, kNow));
    CHECK_FALSE(*s.add_advisory_item(id, {"cve", "CVE-2027-12345"}, kNow));
    CHECK(*s.add_advisory_item(id, {"cve", "CVE-2027-12346"}, kNow));
    CHECK(*s.remove_advisory_item(id, {"cve", "CVE-2027-12346"}));
    REQUIRE(
        s.set_vendor_statement(id, {"Example", "affected", "日本語", "", 1, std::nullopt}).ok());
    REQUIRE(s.set_vendor_statement(id, {"Example", "fixed", "", "English", 2, std::nullopt}).ok());
    CHECK(*s.add_advisory_revision(id, {0, "2027-01-15", "公開", "Initial release"}) == 1);
    CHECK(*s.add_advisory_revision(id, {0, "2027-02-01", "更新", "Updated"}) == 2);

    auto record = s.advisory(id);
    REQUIRE(record.ok());
    REQUIRE(record->facts.size() == 2);
    CHECK(record->facts[0].name == "cwe");
    CHECK(record->facts[1].value == "タイトル");
    REQUIRE(record->items.size() == 1);
    CHECK(record->items[0].value == "CVE-2027-12345");
    REQUIRE(record->statements.size() == 1);
    CHECK(record->statements[0].status == "fixed");
    CHECK(record->statements[0].statement_ja == "日本語");
    CHECK(record->statements[0].statement_en == "English");
    REQUIRE(record->revisions.size() == 2);
    CHECK(record->revisions[1].number == 2);
    CHECK(record->revisions[1].summary_en == "Updated");
}
