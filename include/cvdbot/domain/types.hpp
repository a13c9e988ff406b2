#pragma once
// Plain data of a coordination case. Enums are spelled in the database and in logs by
// to_string(); parse_* returns nullopt for anything unknown (the database is not trusted).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cvdbot/core/case_id.hpp"
#include "cvdbot/core/time.hpp"

namespace cvd::domain {

enum class CaseState {
    received,  // report stored and acknowledged, not yet triaged
    triage,
    accepted,
    rejected,
    stopped,   // 取扱い中止
    // Product track (DESIGN.md). On multi-vendor cases these summarise the vendors' states.
    vendor_contacted,  // the first contact attempt: the start date (起算日)
    details_sent,
    verifying,
    fixing,
    date_agreed,
    published,
    closed,
    not_affected,  // closed: no vendor affected
    unreachable,
    no_agreement,  // 調整不能: waiting for the committee
    committee,     // referred; the committee decides publish | do_not_publish
    do_not_publish,
    publication_cancelled,  // the vendor informed every user directly
    nondisclosure_lifted,
    // Web track.
    operator_contacted,
    web_details_sent,
    web_fixing,
    fix_reported,
    closed_fixed,
    closed_not_vulnerable,
    operator_unreachable,
    closed_unreachable,
};

// Status of one vendor on a product case, stored as text in participants.vendor_status.
enum class VendorState {
    pending,  // on the case, not contacted yet
    contacted,
    details_sent,
    verifying,
    not_affected,
    fixing,
    date_agreed,
    published,
    unreachable,
    name_listed,     // unreachable: name published in the list
    product_listed,  // unreachable: product and version published too
    no_agreement,
    publication_cancelled,
};

enum class Role { discoverer, vendor, site_operator, coordinator, observer };

enum class Direction { inbound, outbound };

// What happened to an inbound message after it was stored.
enum class MessageStatus {
    pending,    // stored, effects not yet committed
    processed,  // effects committed
    ignored,    // automatic mail or a duplicate: kept, deliberately not acted on
    failed,     // unusable (e.g. no sender); kept with the reason
    quarantined,  // names a case its sender takes no part in; held for a coordinator
};

// Which process a case follows; undecided until triage.
enum class Track { undecided, product, web };

std::string_view to_string(CaseState state);
std::string_view to_string(Role role);
std::string_view to_string(Direction direction);
std::string_view to_string(MessageStatus status);
std::optional<CaseState> parse_case_state(std::string_view text);
std::optional<Role> parse_role(std::string_view text);
std::optional<Direction> parse_direction(std::string_view text);
std::optional<MessageStatus> parse_message_status(std::string_view text);
std::string_view to_string(Track track);
std::optional<Track> parse_track(std::string_view text);
std::string_view to_string(VendorState state);
std::optional<VendorState> parse_vendor_state(std::string_view text);

// Closed states take no further events except a coordinator's reopening (not yet).
bool is_open(CaseState state);

struct Case {
    std::int64_t row_id = 0;
    core::CaseId id;
    CaseState state = CaseState::received;
    Track track = Track::undecided;
    std::string title;
    std::optional<core::Timestamp> start_date;  // 起算日: the first contact attempt to a vendor
    core::Timestamp created_at{};
    core::Timestamp updated_at{};
};

struct Consent {
    bool credit = false;               // may be named in the advisory's credits
    bool identity_to_vendor = false;   // vendors may learn who reported
    bool direct_contact = false;       // agrees to exchange mail with the vendor directly
    bool operator==(const Consent&) const = default;
};

struct Participant {
    std::int64_t row_id = 0;
    std::int64_t case_row_id = 0;
    Role role = Role::discoverer;
    std::string address;  // lower-cased addr-spec; the primary address
    std::string display_name;
    std::string language;  // "ja", "en" or empty when unknown
    std::string organisation;
    std::optional<std::int64_t> vendor_row_id;  // the directory entry, for vendors
    std::string reply_token;    // unguessable; replies to bot+<token>@domain land on this thread
    std::string vendor_status;  // per-vendor status on multi-vendor cases
    Consent consent;
    std::vector<std::string> other_addresses;  // e.g. a vendor's cc contacts
    bool operator==(const Participant&) const = default;
};

// Addresses compare case-insensitively in practice; we store them lower-cased.
std::string normalize_address(std::string_view address);

}  // namespace cvd::domain
