#include "outbox_sender.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>

namespace cvd::app {

namespace {
// Rows read per query: a few hundred kB of replies at most.
constexpr int kDueBatch = 50;
// Without a wake-up (the daemon wakes this after every commit), a look every so often.
constexpr auto kIdleLook = std::chrono::seconds(1);

long long milliseconds(std::chrono::steady_clock::duration d) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
}
}  // namespace

core::Result<std::unique_ptr<OutboxSender>> OutboxSender::start(const std::string& database,
                                                                net::SmtpSettings smtp,
                                                                const core::Clock& clock) {
    auto store = store::Store::open(database);
    if (!store) return store.error();
    return std::unique_ptr<OutboxSender>(
        new OutboxSender(std::move(*store), std::move(smtp), clock));
}

OutboxSender::OutboxSender(store::Store store, net::SmtpSettings smtp, const core::Clock& clock)
    : store_(std::move(store)), smtp_(std::move(smtp)), clock_(clock), thread_([this] { run(); }) {}

OutboxSender::~OutboxSender() {
    stop();
}

void OutboxSender::wake() {
    {
        std::lock_guard lock(mutex_);
        woken_ = true;
    }
    woken_cv_.notify_one();
}

std::vector<SendFailure> OutboxSender::take_failures() {
    std::lock_guard lock(mutex_);
    return std::exchange(failures_, {});
}

void OutboxSender::settled(std::int64_t outbox_row_id) {
    std::lock_guard lock(mutex_);
    handed_back_.erase(outbox_row_id);
}

void OutboxSender::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    woken_cv_.notify_one();
    if (thread_.joinable()) thread_.join();
}

bool OutboxSender::held_back(std::int64_t outbox_row_id) {
    std::lock_guard lock(mutex_);
    return handed_back_.count(outbox_row_id) != 0 ||
           std::find(unrecorded_.begin(), unrecorded_.end(), outbox_row_id) != unrecorded_.end();
}

std::vector<std::int64_t> OutboxSender::unrecorded() {
    std::lock_guard lock(mutex_);
    return unrecorded_;
}

bool OutboxSender::waiting_for_record() {
    std::lock_guard lock(mutex_);
    return !unrecorded_.empty();
}

void OutboxSender::recorded(const std::vector<std::int64_t>& outbox_row_ids) {
    {
        std::lock_guard lock(mutex_);
        std::erase_if(unrecorded_, [&](std::int64_t row) {
            return std::find(outbox_row_ids.begin(), outbox_row_ids.end(), row) !=
                   outbox_row_ids.end();
        });
    }
    recorded_cv_.notify_all();
}

void OutboxSender::run() {
    for (;;) {
        {
            std::unique_lock lock(mutex_);
            woken_cv_.wait_for(lock, kIdleLook, [&] { return woken_ || stopping_; });
            if (stopping_) break;
            woken_ = false;
        }
        sent_in_pass_ = 0;
        commits_before_pass_ = store_.commits();
        smtp_time_ = record_time_ = {};
        const auto pass_start = std::chrono::steady_clock::now();
        send_due();
        if (sent_in_pass_ > 0)
            spdlog::info(
                "outbox: sent {} in {} ms (SMTP {} ms, recording {} ms), recorded in {} commit(s)",
                sent_in_pass_, milliseconds(std::chrono::steady_clock::now() - pass_start),
                milliseconds(smtp_time_), milliseconds(record_time_),
                store_.commits() - commits_before_pass_);
    }
    // What went out is recorded before the daemon ends; if even that fails, it goes out again
    // on the next start.
    if (!record_sent())
        spdlog::error(
            "outbox: a sent message could not be recorded as sent; it will be sent again on "
            "the next start");
}

void OutboxSender::send_due() {
    // A reply sent but not recorded (the disk was full, say) is recorded before any more go.
    if (!record_sent()) return;
    for (;;) {
        auto due = store_.due_outbox(clock_.now(), kDueBatch);
        if (!due) {
            spdlog::error("outbox: reading what is due failed: {}; trying again later",
                          core::describe(due.error()));
            return;
        }
        std::vector<store::OutboxItem> todo;
        for (auto& item : *due)
            if (!held_back(item.row_id)) todo.push_back(std::move(item));
        if (todo.empty()) return;
        for (std::size_t i = 0; i < todo.size(); ++i) {
            auto& item = todo[i];
            {
                std::lock_guard lock(mutex_);
                if (stopping_) return;
            }
            const auto smtp_start = std::chrono::steady_clock::now();
            auto sent =
                smtp_.send(net::SmtpEnvelope{item.envelope_from, item.recipients}, item.raw);
            smtp_time_ += std::chrono::steady_clock::now() - smtp_start;
            if (sent) {
                {
                    std::lock_guard lock(mutex_);
                    unrecorded_.push_back(item.row_id);
                }
                ++sent_in_pass_;
                spdlog::info("sent <{}> to {}", item.message_id, item.recipients.front());
                if (!record_sent(i + 1 == todo.size())) return;
                continue;
            }
            item.raw.clear();
            {
                std::lock_guard lock(mutex_);
                handed_back_.insert(item.row_id);
                failures_.push_back({std::move(item), sent.error()});
            }
            // The server may not be taking mail now: the rest waits for the next wake-up,
            // which comes after the daemon has recorded this failure.
            return;
        }
    }
}

bool OutboxSender::record_sent(bool sync) {
    const auto started = std::chrono::steady_clock::now();
    struct AddTime {
        std::chrono::steady_clock::time_point started;
        std::chrono::steady_clock::duration& total;
        ~AddTime() { total += std::chrono::steady_clock::now() - started; }
    } add_time{started, record_time_};
    const auto give_up_at = started + kRecordPatience;
    sync = sync || started - last_synced_record_ >= kSyncEvery;
    if (auto set = store_.set_synced_commits(sync); !set)
        spdlog::warn("outbox: {}", core::describe(set.error()));  // the last setting stays
    for (;;) {
        const auto rows = unrecorded();
        if (rows.empty()) return true;
        const auto now = clock_.now();
        auto tried = store_.try_transaction([&] { return store_.mark_sent(rows, now); });
        if (!tried) {
            spdlog::error(
                "outbox: recording {} sent message(s) failed: {}; not sending more "
                "until it succeeds",
                rows.size(), core::describe(tried.error()));
            return false;
        }
        if (*tried) {
            if (sync) last_synced_record_ = started;
            recorded(rows);
            return true;
        }
        // The lock is taken: the daemon's next group commit records it, or it is free soon.
        if (std::chrono::steady_clock::now() >= give_up_at) {
            spdlog::error(
                "outbox: {} sent message(s) not recorded as sent: the database stayed locked "
                "for {} s; not sending more until they are",
                rows.size(), kRecordPatience.count());
            return false;
        }
        std::unique_lock lock(mutex_);
        recorded_cv_.wait_for(lock, std::chrono::milliseconds(20),
                              [&] { return unrecorded_.empty(); });
    }
}

}  // namespace cvd::app
