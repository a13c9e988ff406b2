#pragma once
// Sends the outbox on a thread of its own while the daemon goes on fetching and processing:
// catching up, the SMTP round trips and the mail server's work then overlap with parsing,
// rendering and signing instead of following them.
//
// It has its own database connection and SMTP session. Each reply it sent is recorded as sent
// before the next one goes, so that a crash sends at most one reply twice on restart (a
// duplicate, never a loss; tests/integration/test_crash.py holds it to that). The record is
// its own commit when the write lock is free; while the daemon is processing, its group
// commits hold the lock almost all the time (SQLite's busy wait is not fair: this thread would
// starve), so the daemon ends its group early and records the reply in that commit
// (unrecorded(), recorded()).

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "cvdbot/core/result.hpp"
#include "cvdbot/core/time.hpp"
#include "cvdbot/net/smtp_client.hpp"
#include "cvdbot/store/store.hpp"

namespace cvd::app {

struct SendFailure {
    store::OutboxItem item;  // without its raw bytes
    core::Error error;
};

class OutboxSender {
  public:
    // How long sending waits for its record before it stops until the next wake-up.
    static constexpr std::chrono::seconds kRecordPatience{30};
    // Each record is committed before the next reply goes, so a crash of the daemon repeats
    // one reply at most. A disk sync for each cost as much as a third of the SMTP transaction;
    // so records are synced at the end of each batch and at least this often: a crash of the
    // whole machine may repeat the replies of this last stretch (never lose one).
    static constexpr std::chrono::milliseconds kSyncEvery{100};

    // Opens its own connection to the database at `database` and starts the thread.
    static core::Result<std::unique_ptr<OutboxSender>> start(const std::string& database,
                                                             net::SmtpSettings smtp,
                                                             const core::Clock& clock);
    ~OutboxSender();
    OutboxSender(const OutboxSender&) = delete;
    OutboxSender& operator=(const OutboxSender&) = delete;

    // Something may be due: mail was queued, a retry time came, a failure was recorded.
    void wake();
    // Failed sends since the last call, for the daemon to record (retry or give up).
    std::vector<SendFailure> take_failures();
    // The daemon has recorded the failure of `outbox_row_id`: the row may be sent again when
    // it comes due.
    void settled(std::int64_t outbox_row_id);
    // Finishes the message in hand, records what was sent, and ends the thread.
    void stop();

    // Replies sent but not yet recorded as sent (one at most), for the daemon to mark in its
    // group commit; recorded() once that is committed.
    std::vector<std::int64_t> unrecorded();
    bool waiting_for_record();
    void recorded(const std::vector<std::int64_t>& outbox_row_ids);

  private:
    OutboxSender(store::Store store, net::SmtpSettings smtp, const core::Clock& clock);
    void run();
    // Sends what is due until nothing is, a send fails, or the records fall too far behind.
    void send_due();
    // Records the sent reply: its own commit, or the daemon's next one. `sync`: the commit
    // waits for the disk (the end of a batch); otherwise only when the last synced record is
    // kSyncEvery old.
    bool record_sent(bool sync = true);
    bool held_back(std::int64_t outbox_row_id);

    store::Store store_;
    net::SmtpClient smtp_;
    const core::Clock& clock_;
    int sent_in_pass_ = 0;
    std::uint64_t commits_before_pass_ = 0;
    // Where a pass's time went, for its log line: SMTP transactions, and recording them.
    std::chrono::steady_clock::duration smtp_time_{};
    std::chrono::steady_clock::duration record_time_{};
    std::chrono::steady_clock::time_point last_synced_record_{};

    std::mutex mutex_;  // guards what follows
    std::condition_variable woken_cv_;
    bool woken_ = false;
    bool stopping_ = false;
    std::set<std::int64_t> handed_back_;    // failed, until the daemon has recorded it
    std::vector<std::int64_t> unrecorded_;  // sent, not yet committed as sent
    std::condition_variable recorded_cv_;
    std::vector<SendFailure> failures_;

    std::thread thread_;  // last: started when everything above exists
};

}  // namespace cvd::app
