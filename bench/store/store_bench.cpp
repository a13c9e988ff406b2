// Case lookups on a large store: by case tag and by References, the two ways intake threads a
// message. Fills a real SQLite file (the store's schema) in one transaction, then times random
// lookups through the store's API.
//
//   store_bench DB_PATH [MESSAGES]     prints "fill <s>" and, per lookup kind,
//                                      "lookup <what> <median us> <p99 us> <cpu median us> <cpu p99
//                                      us>"
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "cvdbot/core/hash.hpp"
#include "cvdbot/store/store.hpp"

namespace {

using Clock = std::chrono::steady_clock;
constexpr int kMessagesPerCase = 10;
constexpr int kLookups = 20000;

[[noreturn]] void fail(const std::string& what, const cvd::core::Error& error) {
    std::fprintf(stderr, "store_bench: %s: %s\n", what.c_str(), error.message.c_str());
    std::exit(1);
}

// A lookup must find what was stored: an error or an empty answer ends the benchmark.
template <typename Found>
void require_found(const std::string& what, const cvd::core::Result<Found>& found) {
    if (!found) fail(what, found.error());
    if (!*found) fail(what, cvd::core::Error{cvd::core::ErrorKind::not_found, "nothing found"});
}

std::string message_id(long n) {
    return "<bench-" + std::to_string(n) + "@example.test>";
}

std::string raw_message(long n) {
    return "From: d" + std::to_string(n % 997) + "@example.test\r\nMessage-ID: " + message_id(n) +
           "\r\nSubject: report " + std::to_string(n) + "\r\n\r\nbody " + std::to_string(n) +
           "\r\n";
}

// One prepared statement, reused for every row.
class Insert {
  public:
    Insert(sqlite3* db, const char* sql) {
        if (sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr) != SQLITE_OK) sqlite_fail(db, sql);
    }
    ~Insert() { sqlite3_finalize(stmt_); }
    Insert(const Insert&) = delete;
    Insert& operator=(const Insert&) = delete;
    sqlite3_stmt* operator*() const { return stmt_; }
    void run(sqlite3* db) {
        if (sqlite3_step(stmt_) != SQLITE_DONE) sqlite_fail(db, sqlite3_sql(stmt_));
        sqlite3_reset(stmt_);
    }
    [[noreturn]] static void sqlite_fail(sqlite3* db, const char* what) {
        std::fprintf(stderr, "store_bench: %s: %s\n", what, sqlite3_errmsg(db));
        std::exit(1);
    }

  private:
    sqlite3_stmt* stmt_ = nullptr;
};

void bind_text(sqlite3_stmt* stmt, int index, const std::string& text) {
    sqlite3_bind_text(stmt, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
}

// The store made the schema (Store::open); the rows go in with plain prepared INSERTs in one
// transaction, which is ~50 times faster than the store's per-message API and gives the same
// tables and indexes to look up in. One case per kMessagesPerCase messages.
std::vector<cvd::core::CaseId> fill(const std::string& path, long messages) {
    constexpr int kYear = 2026;
    constexpr std::int64_t kNow = 1'780'000'000;
    sqlite3* db = nullptr;
    if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) Insert::sqlite_fail(db, path.c_str());
    if (sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr) != SQLITE_OK)
        Insert::sqlite_fail(db, "BEGIN");
    Insert add_case(
        db,
        "INSERT INTO cases (id, prefix, year, number, state, title, created_at, updated_at) "
        "VALUES (?1, 'CVD', ?2, ?1, 'received', 'case', ?3, ?3)");
    Insert add_message(
        db,
        "INSERT INTO messages (id, direction, status, case_id, mailbox, uidvalidity, uid, "
        "server_done, message_id, content_hash, sender, subject, stored_at, processed_at) "
        "VALUES (?1, 'inbound', 'processed', ?2, 'INBOX', 1, ?1, 1, ?3, ?4, "
        "'d@example.test', 'report', ?5, ?5)");
    Insert add_raw(db, "INSERT INTO raw_messages (message_id, bytes) VALUES (?1, ?2)");
    std::vector<cvd::core::CaseId> cases;
    for (long n = 0; n < messages; ++n) {
        const std::int64_t case_row = n / kMessagesPerCase + 1;
        if (n % kMessagesPerCase == 0) {
            sqlite3_bind_int64(*add_case, 1, case_row);
            sqlite3_bind_int64(*add_case, 2, kYear);
            sqlite3_bind_int64(*add_case, 3, kNow);
            add_case.run(db);
            cases.push_back({"CVD", kYear, static_cast<int>(case_row)});
        }
        const std::string raw = raw_message(n);
        sqlite3_bind_int64(*add_message, 1, n + 1);
        sqlite3_bind_int64(*add_message, 2, case_row);
        bind_text(*add_message, 3, message_id(n));
        bind_text(*add_message, 4, cvd::core::sha256_hex(raw));
        sqlite3_bind_int64(*add_message, 5, kNow);
        add_message.run(db);
        sqlite3_bind_int64(*add_raw, 1, n + 1);
        sqlite3_bind_blob(*add_raw, 2, raw.data(), static_cast<int>(raw.size()), SQLITE_TRANSIENT);
        add_raw.run(db);
    }
    if (sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK)
        Insert::sqlite_fail(db, "COMMIT");
    sqlite3_close(db);
    return cases;
}

double thread_cpu_micros() {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) * 1e6 + static_cast<double>(t.tv_nsec) / 1e3;
}

// Wall time per lookup, and the CPU time this thread spent on it: on a loaded machine the
// wall time's tail is the scheduler, which the CPU time leaves out.
template <typename Lookup>
void time_lookups(const char* what, Lookup lookup) {
    std::vector<double> wall, cpu;
    wall.reserve(kLookups);
    cpu.reserve(kLookups);
    for (int i = 0; i < kLookups; ++i) {
        const auto start = Clock::now();
        const double cpu_start = thread_cpu_micros();
        lookup(i);
        cpu.push_back(thread_cpu_micros() - cpu_start);
        wall.push_back(std::chrono::duration<double, std::micro>(Clock::now() - start).count());
    }
    std::sort(wall.begin(), wall.end());
    std::sort(cpu.begin(), cpu.end());
    const auto p99 = wall.size() * 99 / 100;
    std::printf("lookup %s %.2f %.2f %.2f %.2f\n", what, wall[wall.size() / 2], wall[p99],
                cpu[cpu.size() / 2], cpu[p99]);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: store_bench DB_PATH [MESSAGES]\n");
        return 2;
    }
    const long messages = argc > 2 ? std::atol(argv[2]) : 1'000'000;
    if (messages < kMessagesPerCase) {
        std::fprintf(stderr, "store_bench: at least %d messages\n", kMessagesPerCase);
        return 2;
    }
    {  // the schema, made by the store itself
        auto created = cvd::store::Store::open(argv[1]);
        if (!created) fail("open", created.error());
    }
    const auto start = Clock::now();
    const std::vector<cvd::core::CaseId> cases = fill(argv[1], messages);
    std::printf("fill %.2f\n", std::chrono::duration<double>(Clock::now() - start).count());
    std::fflush(stdout);
    auto store = cvd::store::Store::open(argv[1]);
    if (!store) fail("open", store.error());

    std::mt19937_64 random(42);
    std::uniform_int_distribution<long> any_message(0, messages - 1);
    std::uniform_int_distribution<std::size_t> any_case(0, cases.size() - 1);
    time_lookups("tag", [&](int) {
        const auto& id = cases[any_case(random)];
        require_found("lookup by tag " + id.str(), store->find_case(id));
    });
    // A References header as mail clients write it: the thread's older ids first, most unknown
    // to the bot (written by other people's clients), the one it knows last.
    time_lookups("references", [&](int i) {
        const long known = any_message(random);
        const std::vector<std::string> references{
            "<elsewhere-" + std::to_string(i) + "@mail.example>",
            "<other-" + std::to_string(i) + "@mail.example>", message_id(known)};
        require_found("lookup by References", store->find_thread_by_message_ids(references));
    });
    return 0;
}
