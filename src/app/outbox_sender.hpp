#pragma once
// Sends the outbox on a thread of its own while the daemon goes on fetching and processing:
// catching up, the SMTP round trips and the mail server's work then overlap with parsing,
// rendering and signing instead of following them.
//
// It has its own database connection and SMTP session. Replies it sent are recorded as sent
// together, a commit (a disk sync) per kRecordGroup of them or per kRecordWindow, when nothing
// more is due, and when the write lock is free; while a group commit of the daemon holds the
// lock, sending goes on and the records wait, at most kMaxUnrecorded replies. A crash in that
// window sends those again on restart: a duplicate, never a loss. (One commit per reply cost
// as much as the SMTP transaction itself.)
// A failed send is handed back to the daemon, which owns the case engine that reacts to it.

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
    // Sent replies waiting for their record before sending pauses until the lock is free.
    static constexpr std::size_t kMaxUnrecorded = 64;
    // Sent replies recorded by one commit, unless nothing more is due first.
    static constexpr std::size_t kRecordGroup = 16;
    static constexpr std::chrono::milliseconds kRecordWindow{200};

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

  private:
    OutboxSender(store::Store store, net::SmtpSettings smtp, const core::Clock& clock);
    void run();
    // Sends what is due until nothing is, a send fails, or the records fall too far behind.
    void send_due();
    // Records the sent replies; without `wait`, only if the write lock is free now.
    bool record_sent(bool wait);
    bool held_back(std::int64_t outbox_row_id);

    store::Store store_;
    net::SmtpClient smtp_;
    const core::Clock& clock_;
    std::vector<std::int64_t> unrecorded_;  // sent, not yet marked sent (this thread only)
    std::chrono::steady_clock::time_point first_unrecorded_at_;
    int sent_in_pass_ = 0;
    std::uint64_t commits_before_pass_ = 0;

    std::mutex mutex_;  // guards what follows
    std::condition_variable woken_cv_;
    bool woken_ = false;
    bool stopping_ = false;
    std::set<std::int64_t> handed_back_;  // failed, until the daemon has recorded it
    std::vector<SendFailure> failures_;

    std::thread thread_;  // last: started when everything above exists
};

}  // namespace cvd::app
