#include "outbox_sender.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <optional>

namespace cvd::app {

namespace {
// Rows read per query: a few hundred kB of replies at most.
constexpr int kDueBatch = 50;
// Sent rows held back (journaled, not yet marked in the main database) before the sender waits
// to carry them over itself rather than leave that to the daemon's next commit: the due rows are
// read past them, raw bytes and all.
constexpr std::size_t kMostHeldBack = 2 * kDueBatch;
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
    auto journal = store::SentJournal::open(store::SentJournal::path_for(database));
    if (!journal) return journal.error();
    // What a crash left in the journal went out: held back until it is carried over.
    auto journaled = journal->records();
    if (!journaled) return journaled.error();
    return std::unique_ptr<OutboxSender>(new OutboxSender(
        std::move(*store), std::move(*journal), std::move(*journaled), std::move(smtp), clock));
}

OutboxSender::OutboxSender(store::Store store, store::SentJournal journal,
                           std::vector<store::SentRecord> journaled, net::SmtpSettings smtp,
                           const core::Clock& clock)
    : store_(std::move(store)),
      journal_(std::move(journal)),
      smtp_(std::move(smtp)),
      clock_(clock),
      unrecorded_(std::move(journaled)),
      thread_([this] { run(); }) {}

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
           std::any_of(unrecorded_.begin(), unrecorded_.end(), [&](const store::SentRecord& r) {
               return r.outbox_row_id == outbox_row_id;
           });
}

std::vector<store::SentRecord> OutboxSender::unrecorded() {
    std::lock_guard lock(mutex_);
    return unrecorded_;
}

void OutboxSender::recorded(const std::vector<store::SentRecord>& records) {
    std::lock_guard lock(mutex_);
    for (const auto& record : records) {
        std::erase(unrecorded_, record);
        to_forget_.push_back(record.outbox_row_id);
    }
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
        // What the daemon's commits did not carry over yet (it may have nothing to process).
        carry_over(Wait::yes);
        if (sent_in_pass_ > 0)
            spdlog::info(
                "outbox: sent {} in {} ms (SMTP {} ms, recording {} ms), {} commit(s) here",
                sent_in_pass_, milliseconds(std::chrono::steady_clock::now() - pass_start),
                milliseconds(smtp_time_), milliseconds(record_time_),
                store_.commits() - commits_before_pass_);
    }
    // What went out is in the main database before the daemon ends, or else in the journal,
    // carried over on the next start.
    (void)journal_caught_up();
    carry_over(Wait::yes);
    const auto pending = unrecorded();
    const auto lost = std::count_if(unjournaled_.begin(), unjournaled_.end(), [&](const auto& r) {
        return std::find(pending.begin(), pending.end(), r) != pending.end();
    });
    if (lost > 0)
        spdlog::error(
            "outbox: {} sent message(s) could not be recorded as sent; they will be sent again "
            "on the next start",
            lost);
}

void OutboxSender::send_due() {
    for (;;) {
        // Rows already sent stay due in the main database until carried over.
        std::size_t held = held_back_count();
        if (held > 0) {
            carry_over(held >= kMostHeldBack ? Wait::yes : Wait::no);
            held = held_back_count();
        }
        auto due = store_.due_outbox(clock_.now(), kDueBatch + static_cast<int>(held));
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
            // A reply sent but not recorded (the disk was full, say) is recorded before any
            // more go.
            if (!journal_caught_up()) return;
            forget_recorded();
            // With the next reply's envelope known, its commands go out behind this content
            // (PIPELINING): one round trip per reply.
            std::optional<net::SmtpEnvelope> next;
            if (i + 1 < todo.size())
                next.emplace(todo[i + 1].envelope_from, todo[i + 1].recipients);
            const auto smtp_start = std::chrono::steady_clock::now();
            auto sent = smtp_.send(net::SmtpEnvelope{item.envelope_from, item.recipients}, item.raw,
                                   next ? &*next : nullptr);
            const auto smtp_end = std::chrono::steady_clock::now();
            smtp_time_ += smtp_end - smtp_start;
            if (sent) {
                const store::SentRecord record{item.row_id, clock_.now()};
                {
                    std::lock_guard lock(mutex_);
                    unrecorded_.push_back(record);
                }
                ++sent_in_pass_;
                spdlog::info("sent <{}> to {}", item.message_id, item.recipients.front());
                // Synced at the end of a batch, and at least every kSyncEvery.
                const bool sync =
                    i + 1 == todo.size() || smtp_end - last_synced_record_ >= kSyncEvery;
                if (auto added = journal_.add(record, sync); !added) {
                    spdlog::error(
                        "outbox: recording a sent message failed: {}; not sending more until "
                        "it is recorded",
                        core::describe(added.error()));
                    unjournaled_.push_back(record);
                    return;
                }
                if (sync) last_synced_record_ = smtp_end;
                record_time_ += std::chrono::steady_clock::now() - smtp_end;
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

bool OutboxSender::journal_caught_up() {
    // The daemon's commit may have recorded them in the main database meanwhile.
    const auto pending = unrecorded();
    std::erase_if(unjournaled_, [&](const store::SentRecord& r) {
        return std::find(pending.begin(), pending.end(), r) == pending.end();
    });
    while (!unjournaled_.empty()) {
        if (!journal_.add(unjournaled_.front(), true)) {
            // Recorded in the main database instead, if it takes the record now.
            const auto records = unrecorded();
            auto marked = store_.try_transaction([&] { return store_.mark_sent(records); });
            if (!marked || !*marked) return false;
            recorded(records);
            unjournaled_.clear();
            return true;
        }
        unjournaled_.erase(unjournaled_.begin());
    }
    return true;
}

void OutboxSender::carry_over(Wait wait) {
    const auto started = std::chrono::steady_clock::now();
    const auto records = unrecorded();
    if (!records.empty()) {
        const auto mark = [&] { return store_.mark_sent(records); };
        if (wait == Wait::yes) {
            if (auto marked = store_.transaction(mark); marked)
                recorded(records);
            else  // they stay in the journal and held back; the daemon's next commit may take them
                spdlog::warn("outbox: marking {} sent message(s) as sent: {}", records.size(),
                             core::describe(marked.error()));
        } else if (auto marked = store_.try_transaction(mark); marked && *marked) {
            recorded(records);
        }  // else the daemon is committing, and takes them with it
    }
    forget_recorded();
    record_time_ += std::chrono::steady_clock::now() - started;
}

std::size_t OutboxSender::held_back_count() {
    std::lock_guard lock(mutex_);
    return unrecorded_.size() + handed_back_.size();
}

void OutboxSender::forget_recorded() {
    std::vector<std::int64_t> rows;
    {
        std::lock_guard lock(mutex_);
        rows.swap(to_forget_);
    }
    if (rows.empty()) return;
    if (auto forgotten = journal_.forget(rows); !forgotten) {
        // Harmless: carried over again later, which changes nothing.
        spdlog::warn("outbox: {}", core::describe(forgotten.error()));
    }
}

}  // namespace cvd::app
