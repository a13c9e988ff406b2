// The threading lookups must use an index: on a store of a million messages a table scan costs
// ~100 ms per lookup (bench/store), an index search microseconds. Checked with EXPLAIN QUERY PLAN
// on the real schema, so a dropped index or a query the index cannot serve fails here.
#include <catch2/catch.hpp>
#include <string>

#include "lookup_sql.hpp"
#include "store_fixture.hpp"

namespace cvd::store::test {
TEST_CASE("threading by References searches the Message-ID index instead of scanning messages",
          "[store]") {
    TempDb db;
    { auto store = open_store(db); }
    const auto plan = db.query_plan(sql_text::kThreadByMessageId);
    INFO(plan);
    CHECK(plan.find("USING INDEX messages_by_message_id") != std::string::npos);
    CHECK(plan.find("SCAN messages") == std::string::npos);
}

TEST_CASE("finding a case by its tag searches the (prefix, year, number) index", "[store]") {
    TempDb db;
    { auto store = open_store(db); }
    const auto plan = db.query_plan(std::string("SELECT c.id") + sql_text::kCaseByTagWhere);
    INFO(plan);
    CHECK(plan.find("SEARCH c USING") != std::string::npos);
    CHECK(plan.find("(prefix=? AND year=? AND number=?)") != std::string::npos);
}

// Each reply reads its case's messages (for the template's variables): with the OR's second
// side unindexed, SQLite scanned every stored message for it (4 ms a reply on 4,000 messages).
TEST_CASE("a case's messages are searched on both sides of the OR, not scanned", "[store]") {
    TempDb db;
    { auto store = open_store(db); }
    const auto plan = db.query_plan(std::string("SELECT id") + sql_text::kCaseMessagesWhere);
    INFO(plan);
    CHECK(plan.find("MULTI-INDEX OR") != std::string::npos);
    CHECK(plan.find("USING INDEX messages_by_case (case_id=?)") != std::string::npos);
    CHECK(plan.find("USING INDEX messages_by_named_case (named_case_id=?)") != std::string::npos);
    CHECK(plan.find("SCAN messages") == std::string::npos);
}

// The reply limits count for every reply; in a catch-up all of the last hour's replies share
// action and window, so only the address (or the case) narrows the search to a few entries.
TEST_CASE("the reply limits count one address's and one case's entries by index", "[store]") {
    TempDb db;
    { auto store = open_store(db); }
    const auto by_detail = db.query_plan(sql_text::kAuditCountByDetail);
    INFO(by_detail);
    CHECK(by_detail.find(
              "USING COVERING INDEX audit_by_action_detail_at (action=? AND detail=? AND at>?)") !=
          std::string::npos);
    const auto by_case = db.query_plan(sql_text::kAuditCountByCase);
    INFO(by_case);
    CHECK(by_case.find("USING INDEX audit_by_case (case_id=?)") != std::string::npos);
    CHECK(by_case.find("SCAN") == std::string::npos);
}

TEST_CASE("a References lookup finds a stored message's case and skips empty ids", "[store]") {
    TempDb db;
    auto store = open_store(db);
    auto made = store.create_case("CVD", kNow, "plan");
    REQUIRE(made.ok());
    auto stored = store.store_fetched({"INBOX", 1, 1}, "Message-ID: <a@x>\r\n\r\nbody\r\n", kNow);
    REQUIRE(stored.ok());
    MessageSummary summary;
    summary.message_id = "<a@x>";
    REQUIRE(store
                .record_processed(stored->row_id, domain::MessageStatus::processed, "",
                                  made->row_id, summary, kNow)
                .ok());
    auto found = store.find_thread_by_message_ids({"", "<unknown@x>", "<a@x>"});
    REQUIRE(found.ok());
    REQUIRE(found->has_value());
    CHECK((*found)->case_row_id == made->row_id);
    auto none = store.find_thread_by_message_ids({""});
    REQUIRE(none.ok());
    CHECK_FALSE(none->has_value());
}

}  // namespace cvd::store::test
