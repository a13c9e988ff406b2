#pragma once
// Sends the outbox on a thread of its own while the daemon goes on fetching and processing:
// catching up, the SMTP round trips and the mail server's work then overlap with parsing,
// rendering and signing instead of following them.
//
// It has its own database connection and SMTP session. Each reply it sent is recorded as sent
// before the next one goes, so that a crash sends at most one reply twice on restart (a
// duplicate, never a loss; tests/integration/test_crash.py holds it to that). The record goes
// into the sent journal (store/sent_journal.hpp), a file nothing else writes, so it never waits
// for the daemon's transaction; the daemon carries the records over into the main database
// with its next group commit (unrecorded(), recorded()), and this thread does at the end of
// each pass. Until then the rows are held back here, and after a crash the journal is carried
// over before anything is sent.

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
#include "cvdbot/store/sent_journal.hpp"
#include "cvdbot/store/store.hpp"

namespace cvd::app {

struct SendFailure {
    store::OutboxItem item;  // without its raw bytes
    core::Error error;
};

class OutboxSender {
  public:
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

    // Replies sent (and in the journal) but not yet marked sent in the main database, for the
    // daemon to mark in its group commit; recorded() once that is committed.
    std::vector<store::SentRecord> unrecorded();
    void recorded(const std::vector<store::SentRecord>& records);

  private:
    OutboxSender(store::Store store, store::SentJournal journal,
                 std::vector<store::SentRecord> journaled, net::SmtpSettings smtp,
                 const core::Clock& clock);
    void run();
    // Sends what is due until nothing is, a send fails, or a record cannot be made.
    void send_due();
    // Puts the records not yet in the journal there (a full disk, say, refused them before);
    // false while any is missing: nothing more may go out then.
    bool journal_caught_up();
    // Marks what the journal holds sent in the main database, then forgets it in the journal.
    // Wait::no: only if the write lock is free now (else the daemon's commit takes them).
    enum class Wait { no, yes };
    void carry_over(Wait wait);
    std::size_t held_back_count();
    // Forgets in the journal what the main database now holds.
    void forget_recorded();
    bool held_back(std::int64_t outbox_row_id);

    store::Store store_;
    store::SentJournal journal_;
    net::SmtpClient smtp_;
    const core::Clock& clock_;
    int sent_in_pass_ = 0;
    std::uint64_t commits_before_pass_ = 0;
    // Where a pass's time went, for its log line: SMTP transactions, and recording them.
    std::chrono::steady_clock::duration smtp_time_{};
    std::chrono::steady_clock::duration record_time_{};
    std::vector<store::SentRecord> unjournaled_;  // sent, the journal refused the record
    std::chrono::steady_clock::time_point last_synced_record_{};

    std::mutex mutex_;  // guards what follows
    std::condition_variable woken_cv_;
    bool woken_ = false;
    bool stopping_ = false;
    std::set<std::int64_t> handed_back_;         // failed, until the daemon has recorded it
    std::vector<store::SentRecord> unrecorded_;  // sent, not yet in the main database
    std::vector<std::int64_t> to_forget_;        // in the main database, still in the journal
    std::vector<SendFailure> failures_;

    std::thread thread_;  // last: started when everything above exists
};

}  // namespace cvd::app
