#pragma once
// What the store hands out and takes in: plain records, no SQLite types.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cvdbot/core/time.hpp"
#include "cvdbot/domain/types.hpp"

namespace cvd::store {

struct MailboxState {
    std::uint32_t uidvalidity = 0;
    std::uint32_t last_uid = 0;  // highest UID whose raw bytes are stored
};

// Where an inbound message came from on the IMAP server.
struct ServerLocation {
    std::string mailbox;
    std::uint32_t uidvalidity = 0;
    std::uint32_t uid = 0;
};

struct StoredMessage {
    std::int64_t row_id = 0;
    domain::Direction direction = domain::Direction::inbound;
    domain::MessageStatus status = domain::MessageStatus::pending;
    std::string status_reason;
    std::optional<std::int64_t> case_row_id;
    std::optional<ServerLocation> location;  // inbound only
    std::string message_id;
    std::string content_hash;
    std::string sender;
    std::string recipients;  // comma-separated, for display
    std::string subject;
    std::string text_body;
    std::string language;
    core::Timestamp stored_at{};
    std::optional<std::int64_t> participant_row_id;  // whose thread on the case
    std::optional<std::int64_t> named_case_row_id;   // quarantined: the case it named
    std::string in_reply_to_ids;                      // space-separated
    std::string reference_ids;                        // space-separated
    std::string crypto;                               // crypto result summary, empty if none
    std::string signer_fingerprint;
};

// The parsed facts recorded when an inbound message is processed.
struct MessageSummary {
    std::string message_id;
    std::string sender;
    std::string recipients;
    std::string subject;
    std::string text_body;
    std::string language;
    std::vector<std::string> in_reply_to;
    std::vector<std::string> references;
    std::optional<std::int64_t> participant_row_id;
    std::optional<std::int64_t> named_case_row_id;
    std::string crypto;
    std::string signer_fingerprint;
};

// Where a stored message sits: its case and the participant thread within it.
struct ThreadRef {
    std::int64_t case_row_id = 0;
    std::optional<std::int64_t> participant_row_id;
};

struct Timer {
    std::int64_t row_id = 0;
    std::int64_t case_row_id = 0;
    std::optional<std::int64_t> participant_row_id;
    std::string name;
    core::Timestamp due_at{};
    std::string state;  // armed, fired, cleared
};

// What the workflow remembers about a case beyond its state and timers.
struct ParticipantFacts {
    std::int64_t participant_row_id = 0;
    std::optional<core::Timestamp> replied_at;
    bool pre_notice_allowed = false;
};

struct WorkflowFacts {
    std::optional<core::Timestamp> publication_date;
    std::vector<ParticipantFacts> participants;
};

// A confidential message waiting for its recipient's key.
struct HeldMessage {
    std::int64_t row_id = 0;
    std::int64_t case_row_id = 0;
    std::int64_t participant_row_id = 0;
    std::string template_name;
    std::vector<std::pair<std::string, std::string>> variables;  // the workflow's extra facts
    core::Timestamp held_at{};
};

// Filters for `case list`; empty fields do not filter.
struct CaseFilter {
    std::optional<domain::CaseState> state;
    std::optional<domain::Track> track;
    std::optional<core::Timestamp> overdue_at;  // only cases with an armed timer due by then
    std::string vendor;                         // vendor participant address or organisation contains
    std::string text;                           // title, subjects or bodies contain
};

struct OutboundMail {
    std::optional<std::int64_t> case_row_id;
    std::string message_id;  // without angle brackets
    std::string envelope_from;
    std::vector<std::string> recipients;
    std::string subject;     // for display
    std::string text_body;   // for display
    std::string raw;         // exact bytes to submit; resends reuse them (same Message-ID)
    std::optional<std::int64_t> in_reply_to_row_id;
    std::optional<std::int64_t> participant_row_id;  // the thread it belongs to
};

struct OutboxItem {
    std::int64_t row_id = 0;
    std::int64_t message_row_id = 0;
    std::optional<std::int64_t> case_row_id;
    std::string message_id;
    std::string envelope_from;
    std::vector<std::string> recipients;
    std::string raw;
    int attempts = 0;
};

enum class OutboxState { queued, sent, failed };

// An outbox row that went out, and when.
struct SentRecord {
    std::int64_t outbox_row_id = 0;
    core::Timestamp sent_at;
    bool operator==(const SentRecord&) const = default;
};

struct AuditEntry {
    std::int64_t row_id = 0;
    std::optional<std::int64_t> case_row_id;
    core::Timestamp at{};
    std::string actor;   // "bot", an address, or "admin"
    std::string action;  // snake_case verb, e.g. case_opened
    std::string detail;
    std::optional<std::int64_t> message_row_id;
};

// One line of a case's history, messages and events merged in time order.
struct TimelineEntry {
    core::Timestamp at{};
    std::string kind;  // "inbound", "outbound", "event"
    std::string summary;
    std::int64_t row_id = 0;
};

// An OpenPGP key bound to an address; kind is "learned" or "registered".
struct KeyBindingRecord {
    std::string address;
    std::string fingerprint;
    std::string kind;
    core::Timestamp added_at{};
    std::optional<std::int64_t> source_message;
};

struct CaseSummary {
    domain::Case record;
    std::string discoverer;
    std::int64_t message_count = 0;
    std::vector<std::string> vendors;  // organisation or address of each vendor participant
    std::optional<core::Timestamp> next_due;  // earliest armed timer
};

}  // namespace cvd::store
