#pragma once
// The outbox sender's record of the replies it got out, in a small database file of its own
// beside the main one (<database>.sent).
//
// Each reply is recorded as sent before the next one goes, so that a crash repeats one reply
// at most. In the main database that record had to wait for the daemon's transaction to end
// (SQLite has one writer per file), about a sixth of each reply's time in a catch-up. Here
// nothing else writes: the record is a commit of its own at once. The records are carried over
// into the main database (outbox rows marked sent) with the daemon's next commit, or by the
// sender when the lock is free, and forgotten here afterwards; what a crash leaves here is
// carried over before anything is sent again.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "cvdbot/core/result.hpp"
#include "cvdbot/core/time.hpp"
#include "cvdbot/store/records.hpp"

namespace cvd::store {

class Store;

class SentJournal {
  public:
    // Where the journal of the database at `database` lives.
    static std::string path_for(const std::string& database);
    // Opens (creating if need be) the journal at `path`.
    static core::Result<SentJournal> open(const std::string& path);

    SentJournal(SentJournal&&) noexcept;
    SentJournal& operator=(SentJournal&&) noexcept;
    ~SentJournal();

    // One commit. `synced`: it waits for the disk; otherwise it survives a crash of the
    // process but maybe not of the machine (the caller syncs every so often).
    core::Status add(const SentRecord& record, bool synced);
    // Everything recorded and not yet forgotten, oldest first.
    core::Result<std::vector<SentRecord>> records();
    // Forgets records that the main database now holds.
    core::Status forget(const std::vector<std::int64_t>& outbox_row_ids);

  private:
    struct Impl;
    explicit SentJournal(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

// Marks every reply in `journal` sent in `store` (one transaction, waiting for the write lock as
// any transaction does), then forgets them in the journal. Idempotent: a crash between the two
// steps carries the same records over again, which changes nothing.
core::Status carry_over(SentJournal& journal, Store& store);

}  // namespace cvd::store
