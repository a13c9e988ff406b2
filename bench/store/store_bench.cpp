// Case lookups on a large store: by case tag and by References, the two ways intake threads a
// message. Fills a real SQLite file through the store's own API in one transaction (one case
// per kMessagesPerCase messages), then times random lookups.
//
//   store_bench DB_PATH [MESSAGES]     prints "fill <s>", "lookup <what> <median us> <p99 us>"
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "cvdbot/core/time.hpp"
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

struct Cases {
    std::vector<cvd::core::CaseId> ids;
    std::vector<std::int64_t> rows;
};

Cases fill(cvd::store::Store& store, long messages) {
    const auto now = cvd::core::from_unix(1'780'000'000);
    Cases cases;
    auto status = store.transaction([&]() -> cvd::core::Status {
        for (long n = 0; n < messages; ++n) {
            if (n % kMessagesPerCase == 0) {
                auto made = store.create_case("CVD", now, "case " + std::to_string(n));
                if (!made) return made.error();
                cases.ids.push_back(made->id);
                cases.rows.push_back(made->row_id);
            }
            const auto uid = static_cast<std::uint32_t>(n + 1);
            auto stored = store.store_fetched({"INBOX", 1, uid}, raw_message(n), now);
            if (!stored) return stored.error();
            cvd::store::MessageSummary summary;
            summary.message_id = message_id(n);
            summary.sender = "d@example.test";
            summary.subject = "report " + std::to_string(n);
            if (auto s =
                    store.record_processed(stored->row_id, cvd::domain::MessageStatus::processed,
                                           "", cases.rows.back(), summary, now);
                !s)
                return s;
        }
        return {};
    });
    if (!status) fail("fill", status.error());
    return cases;
}

template <typename Lookup>
void time_lookups(const char* what, Lookup lookup) {
    std::vector<double> micros;
    micros.reserve(kLookups);
    for (int i = 0; i < kLookups; ++i) {
        const auto start = Clock::now();
        lookup(i);
        micros.push_back(std::chrono::duration<double, std::micro>(Clock::now() - start).count());
    }
    std::sort(micros.begin(), micros.end());
    std::printf("lookup %s %.2f %.2f\n", what, micros[micros.size() / 2],
                micros[micros.size() * 99 / 100]);
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
    auto store = cvd::store::Store::open(argv[1]);
    if (!store) fail("open", store.error());

    const auto start = Clock::now();
    const Cases cases = fill(*store, messages);
    std::printf("fill %.2f\n", std::chrono::duration<double>(Clock::now() - start).count());
    std::fflush(stdout);

    std::mt19937_64 random(42);
    std::uniform_int_distribution<long> any_message(0, messages - 1);
    std::uniform_int_distribution<std::size_t> any_case(0, cases.ids.size() - 1);
    time_lookups("tag", [&](int) {
        const auto& id = cases.ids[any_case(random)];
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
