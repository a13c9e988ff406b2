#pragma once
// The case file: one SQLite database (WAL, foreign keys), migrated on open.
// Only this module includes sqlite3.h. Everything read back is validated again.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cvdbot/core/case_id.hpp"
#include "cvdbot/core/result.hpp"
#include "cvdbot/store/advisory_records.hpp"
#include "cvdbot/store/records.hpp"

namespace cvd::store {

// The newest schema this binary knows.
int current_schema_version();
// Creates or migrates the database at `path` up to `version` only (tests of migrations).
core::Status migrate_database_to(const std::string& path, int version);

class VendorDirectory;

enum class FetchOutcome { stored, duplicate };

struct StoredFetch {
    FetchOutcome outcome = FetchOutcome::stored;
    std::int64_t row_id = 0;  // the new row, or the row it duplicates
};

class Store {
  public:
    // Opens (creating if needed) and migrates. Refuses a database newer than this binary.
    static core::Result<Store> open(const std::string& path);

    Store(Store&&) noexcept;
    Store& operator=(Store&&) noexcept;
    ~Store();

    // Runs `body` in one IMMEDIATE transaction: committed if it returns ok, rolled back
    // otherwise (and on exceptions).
    core::Status transaction(const std::function<core::Status()>& body);
    // transaction(), unless another connection holds the write lock: then false at once,
    // without waiting and without running `body`.
    core::Result<bool> try_transaction(const std::function<core::Status()>& body);
    // Transactions that changed rows, committed since the store was opened: each costs a disk
    // sync, so this is what the daemon's log reports to show its writes are grouped.
    std::uint64_t commits() const;
    // Whether commits wait for the disk (the default). Unsynced ones survive a crash of this
    // process but not of the machine, until a synced commit on any connection or a checkpoint
    // (both sync the whole write-ahead log). For records that are cheap to repeat.
    core::Status set_synced_commits(bool synced);
    // Inside a transaction: `body`'s changes are undone if it fails, the rest of the
    // transaction goes on (one refused command among several).
    core::Status savepoint(const std::function<core::Status()>& body);

    // --- mailbox tracking ---
    core::Result<std::optional<MailboxState>> mailbox_state(const std::string& mailbox);
    // A new UIDVALIDITY: start over from UID 0 (content hashes keep us from processing twice).
    core::Status reset_mailbox(const std::string& mailbox, std::uint32_t uidvalidity);

    // Stores the raw bytes of a fetched message and advances the mailbox's last UID, in one
    // transaction. Identical bytes stored before (any UID) are a duplicate, not a new row.
    core::Result<StoredFetch> store_fetched(const ServerLocation& where, std::string_view raw,
                                            core::Timestamp now);

    // --- inbound processing ---
    core::Result<std::vector<std::int64_t>> pending_inbound();
    core::Result<StoredMessage> message(std::int64_t row_id);
    core::Result<std::string> raw_message(std::int64_t row_id);
    core::Status record_processed(std::int64_t row_id, domain::MessageStatus status,
                                  const std::string& reason,
                                  std::optional<std::int64_t> case_row_id,
                                  const MessageSummary& summary, core::Timestamp now);
    // Inbound messages whose effects are committed but whose server-side flag/move is not done.
    core::Result<std::vector<StoredMessage>> awaiting_server_mark();
    core::Status mark_server_done(std::int64_t row_id);

    // --- cases ---
    // Allocates the next per-year number for `prefix` and creates the case.
    core::Result<domain::Case> create_case(const std::string& prefix, core::Timestamp now,
                                           const std::string& title);
    core::Result<std::optional<domain::Case>> find_case(const core::CaseId& id);
    core::Result<std::optional<domain::Case>> case_by_row(std::int64_t row_id);
    // The case and thread of the first id (in the given order, most specific first) that
    // names a stored message, incoming or outgoing. At most 100 ids are looked at.
    core::Result<std::optional<ThreadRef>> find_thread_by_message_ids(
        const std::vector<std::string>& message_ids);
    core::Status set_case_state(std::int64_t case_row_id, domain::CaseState state,
                                core::Timestamp now);
    core::Status set_case_track(std::int64_t case_row_id, domain::Track track, core::Timestamp now);
    core::Result<std::vector<CaseSummary>> list_cases(const CaseFilter& filter = {});

    // Adds the participant with a fresh reply token; an existing (case, role, address) is
    // returned as it is.
    core::Result<domain::Participant> add_participant(const domain::Participant& participant,
                                                      core::Timestamp now);
    core::Result<std::vector<domain::Participant>> participants(std::int64_t case_row_id);
    core::Result<std::optional<domain::Participant>> participant(std::int64_t participant_row_id);
    core::Result<std::optional<domain::Participant>> participant_by_token(const std::string& token);
    // The participant of the case who uses `address` (primary or other address).
    core::Result<std::optional<domain::Participant>> participant_by_address(
        std::int64_t case_row_id, const std::string& address);
    core::Status add_participant_address(std::int64_t participant_row_id,
                                         const std::string& address, const std::string& kind);
    core::Status set_vendor_status(std::int64_t participant_row_id, const std::string& status);
    core::Status set_consent(std::int64_t participant_row_id, const domain::Consent& consent);

    // Ticket numbers a participant's own system put in subjects, for threading mail that
    // carries nothing else of ours.
    core::Status remember_ticket(std::int64_t case_row_id, std::int64_t participant_row_id,
                                 const std::string& ticket);
    // The thread whose participant uses `sender` and has one of `tickets` on record.
    core::Result<std::optional<ThreadRef>> find_thread_by_ticket(
        const std::vector<std::string>& tickets, const std::string& sender);

    // --- key bindings ---
    core::Result<std::vector<KeyBindingRecord>> key_bindings_for(const std::string& address);
    // Adds or refreshes; a registered binding never becomes learned again.
    core::Status bind_key(const KeyBindingRecord& binding);

    // --- timers ---
    core::Result<std::int64_t> arm_timer(const Timer& timer);
    core::Result<std::vector<Timer>> timers(std::int64_t case_row_id);

    // --- workflow state (see workflow_state.cpp) ---
    core::Result<WorkflowFacts> workflow_facts(std::int64_t case_row_id);
    core::Status set_start_date(std::int64_t case_row_id, core::Timestamp date);
    core::Status set_publication_date(std::int64_t case_row_id,
                                      std::optional<core::Timestamp> when);
    core::Status mark_replied(std::int64_t participant_row_id, core::Timestamp at);
    core::Status allow_pre_notice(std::int64_t participant_row_id);
    // Armed timers due by `now`, oldest first.
    core::Result<std::vector<Timer>> due_timers(core::Timestamp now, int limit);
    // armed -> fired; false when the timer was not armed any more (it fires at most once).
    core::Result<bool> fire_timer(std::int64_t timer_row_id);
    // Clears the armed timers of that name (and participant) on the case.
    core::Status clear_timer(std::int64_t case_row_id, const std::string& name,
                             std::optional<std::int64_t> participant_row_id);
    // Remembers a signed command mail; false when the same signer sent the same signed text
    // before (a replay).
    core::Result<bool> remember_command_mail(const std::string& signer, const std::string& digest,
                                             std::optional<std::int64_t> message_row_id,
                                             core::Timestamp now);

    // --- confidential messages held for a key (see held_messages.cpp) ---
    core::Result<std::int64_t> hold_message(const HeldMessage& held);
    // Waiting messages: all of them, or one participant's.
    core::Result<std::vector<HeldMessage>> held_messages(
        std::optional<std::int64_t> participant_row_id = std::nullopt);
    core::Status release_held(std::int64_t held_row_id, core::Timestamp now);

    // --- advisory facts (see advisory.cpp) ---
    // Sets one fact; an empty value removes it.
    core::Status set_advisory_fact(std::int64_t case_row_id, const AdvisoryFactRecord& fact,
                                   core::Timestamp now);
    // Adds to a list; false when the same value is on it already.
    core::Result<bool> add_advisory_item(std::int64_t case_row_id, const AdvisoryItemRecord& item,
                                         core::Timestamp now);
    // false when it was not on the list.
    core::Result<bool> remove_advisory_item(std::int64_t case_row_id,
                                            const AdvisoryItemRecord& item);
    // Replaces the vendor's statement; a text left empty keeps the one on record.
    core::Status set_vendor_statement(std::int64_t case_row_id,
                                      const VendorStatementRecord& statement);
    // Appends the next revision and returns its number (1 for the first publication).
    core::Result<int> add_advisory_revision(std::int64_t case_row_id,
                                            const AdvisoryRevisionRecord& revision);
    core::Result<AdvisoryRecord> advisory(std::int64_t case_row_id);

    // --- views ---
    core::Result<std::vector<StoredMessage>> case_messages(std::int64_t case_row_id);
    core::Result<std::vector<StoredMessage>> quarantined_messages();

    // --- outbox ---
    core::Result<std::int64_t> queue_outbound(const OutboundMail& mail, core::Timestamp now);
    core::Result<std::vector<OutboxItem>> due_outbox(core::Timestamp now, int limit);
    core::Status mark_sent(std::int64_t outbox_row_id, core::Timestamp now);
    // Each row at its own time; rows no longer queued (marked before) are left as they are.
    core::Status mark_sent(const std::vector<SentRecord>& records);
    core::Status mark_retry(std::int64_t outbox_row_id, int attempts, core::Timestamp next_attempt,
                            const std::string& error);
    core::Status mark_failed(std::int64_t outbox_row_id, int attempts, const std::string& error,
                             core::Timestamp now);
    core::Result<std::int64_t> outbox_count(OutboxState state);
    // The earliest armed timer or outbox retry after `now`, if any: when the daemon has work
    // again even without new mail.
    core::Result<std::optional<core::Timestamp>> next_scheduled_work(core::Timestamp now);

    // --- audit ---
    core::Status audit(const AuditEntry& entry);
    core::Result<std::vector<AuditEntry>> audit_log(std::int64_t case_row_id);
    // How many entries of `action` since `since`: with exactly this detail, and in this case
    // (0 without one). The reply limits count the bot's own replies this way.
    core::Result<std::pair<int, int>> count_audit(const std::string& action,
                                                  const std::string& detail,
                                                  std::optional<std::int64_t> case_row_id,
                                                  core::Timestamp since);
    core::Result<std::vector<TimelineEntry>> timeline(std::int64_t case_row_id);

    // Runs PRAGMA integrity_check; "ok" when healthy.
    core::Result<std::string> integrity_check();

  private:
    core::Status run_begun(const std::function<core::Status()>& body);

    friend class VendorDirectory;
    struct Impl;
    explicit Store(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace cvd::store
