// What the workflow keeps in the store: timers, first replies, command mail, savepoints and
// confidential messages held for a key.
#include <catch2/catch.hpp>

#include "store_fixture.hpp"

using namespace cvd;
using namespace cvd::store;
using namespace cvd::store::test;

TEST_CASE("Timers fire exactly once and clear by name and participant") {
    TempDb db;
    auto s = open_store(db);
    auto c = s.create_case("CVD", kNow, "t");
    REQUIRE(c.ok());
    auto vendor = add_vendor(s, c->row_id, "psirt@vendor.test");
    const auto due = kNow + std::chrono::days(7);
    auto reminder = s.arm_timer({0, c->row_id, vendor.row_id, "vendor_reminder_1", due, "armed"});
    auto target = s.arm_timer(
        {0, c->row_id, std::nullopt, "publication_target", due + std::chrono::days(1), "armed"});
    REQUIRE(reminder.ok());
    REQUIRE(target.ok());

    CHECK(s.due_timers(kNow, 10)->empty());
    // The daemon sleeps until the earliest armed timer at most.
    CHECK(*s.next_scheduled_work(kNow) == due);
    CHECK(*s.next_scheduled_work(due) == due + std::chrono::days(1));
    auto now_due = s.due_timers(due, 10);
    REQUIRE(now_due->size() == 1);
    CHECK((*now_due)[0].name == "vendor_reminder_1");
    CHECK((*now_due)[0].participant_row_id == vendor.row_id);
    CHECK(*s.fire_timer(*reminder));
    CHECK_FALSE(*s.fire_timer(*reminder));  // a second tick (or a restart) does not fire it again
    CHECK(s.due_timers(due, 10)->empty());

    // Clearing matches the participant exactly: a vendor timer does not clear a case timer.
    REQUIRE(s.clear_timer(c->row_id, "publication_target", vendor.row_id).ok());
    CHECK(s.due_timers(due + std::chrono::days(2), 10)->size() == 1);
    REQUIRE(s.clear_timer(c->row_id, "publication_target", std::nullopt).ok());
    CHECK(s.due_timers(due + std::chrono::days(2), 10)->empty());
    CHECK_FALSE(*s.fire_timer(*target));
    CHECK_FALSE(*s.next_scheduled_work(kNow));
}

TEST_CASE("Workflow facts: publication date, first reply and pre-notice are remembered") {
    TempDb db;
    auto s = open_store(db);
    auto c = s.create_case("CVD", kNow, "t");
    REQUIRE(c.ok());
    auto vendor = add_vendor(s, c->row_id, "psirt@vendor.test");
    auto facts = s.workflow_facts(c->row_id);
    REQUIRE(facts.ok());
    CHECK_FALSE(facts->publication_date);
    REQUIRE(facts->participants.size() == 1);
    CHECK_FALSE(facts->participants[0].replied_at);

    REQUIRE(s.set_publication_date(c->row_id, kNow + std::chrono::days(45)).ok());
    REQUIRE(s.mark_replied(vendor.row_id, kNow).ok());
    REQUIRE(
        s.mark_replied(vendor.row_id, kNow + std::chrono::days(3)).ok());  // the first reply counts
    REQUIRE(s.allow_pre_notice(vendor.row_id).ok());
    REQUIRE(s.set_start_date(c->row_id, kNow).ok());
    facts = s.workflow_facts(c->row_id);
    CHECK(facts->publication_date == kNow + std::chrono::days(45));
    CHECK(facts->participants[0].replied_at == kNow);
    CHECK(facts->participants[0].pre_notice_allowed);
    CHECK((*s.case_by_row(c->row_id))->start_date == kNow);
    REQUIRE(s.set_publication_date(c->row_id, std::nullopt).ok());
    CHECK_FALSE(s.workflow_facts(c->row_id)->publication_date);
    CHECK(s.workflow_facts(c->row_id + 99).error().kind == core::ErrorKind::not_found);
    CHECK_FALSE(s.mark_replied(vendor.row_id + 99, kNow).ok());
}

TEST_CASE("A signed command mail is obeyed once: the same signer and text again is a replay") {
    TempDb db;
    auto s = open_store(db);
    CHECK(*s.remember_command_mail("FPR1", "digest-a", std::nullopt, kNow));
    CHECK_FALSE(*s.remember_command_mail("FPR1", "digest-a", std::nullopt, kNow));
    CHECK(*s.remember_command_mail("FPR2", "digest-a", std::nullopt, kNow));
    CHECK(*s.remember_command_mail("FPR1", "digest-b", std::nullopt, kNow));
}

TEST_CASE("A failed savepoint undoes only its own changes") {
    TempDb db;
    auto s = open_store(db);
    CHECK(s.savepoint([] { return core::Status{}; }).error().kind == core::ErrorKind::internal);
    std::int64_t kept = 0, undone = 0;
    auto status = s.transaction([&]() -> core::Status {
        auto a = s.create_case("CVD", kNow, "kept");
        if (!a) return a.error();
        kept = a->row_id;
        auto failed = s.savepoint([&]() -> core::Status {
            auto b = s.create_case("CVD", kNow, "undone");
            if (!b) return b.error();
            undone = b->row_id;
            return core::make_error(core::ErrorKind::conflict, "refused");
        });
        CHECK(failed.error().message == "refused");
        return s.savepoint([] { return core::Status{}; });
    });
    REQUIRE(status.ok());
    CHECK(s.case_by_row(kept)->has_value());
    CHECK_FALSE(s.case_by_row(undone)->has_value());
}

TEST_CASE("Held confidential messages wait per participant and are released once") {
    TempDb db;
    auto s = open_store(db);
    auto c = s.create_case("CVD", kNow, "t");
    REQUIRE(c.ok());
    auto vendor = add_vendor(s, c->row_id, "psirt@vendor.test");
    auto other = add_vendor(s, c->row_id, "other@vendor2.test");
    auto held = s.hold_message(
        {0, c->row_id, vendor.row_id, "vendor_details", {{"reason", "x \"quoted\""}}, kNow});
    REQUIRE(held.ok());
    auto waiting = s.held_messages();
    REQUIRE(waiting->size() == 1);
    CHECK((*waiting)[0].template_name == "vendor_details");
    CHECK((*waiting)[0].variables ==
          std::vector<std::pair<std::string, std::string>>{{"reason", "x \"quoted\""}});
    CHECK((*waiting)[0].held_at == kNow);
    CHECK(s.held_messages(other.row_id)->empty());
    CHECK(s.held_messages(vendor.row_id)->size() == 1);
    REQUIRE(s.release_held(*held, kNow).ok());
    CHECK(s.held_messages()->empty());
    CHECK(s.release_held(*held, kNow).error().kind == core::ErrorKind::conflict);  // never twice

    // A tampered row is reported, not guessed.
    REQUIRE(s.hold_message({0, c->row_id, vendor.row_id, "vendor_details", {}, kNow}).ok());
    db.exec_ok(
        "UPDATE held_messages SET variables = '{\"not\": \"pairs\"}' WHERE released_at IS NULL");
    CHECK_FALSE(s.held_messages().ok());
}
