#pragma once
// Plain data of a coordination case. Enums are spelled in the database and in logs by
// to_string(); parse_* returns nullopt for anything unknown (the database is not trusted).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "cvdbot/core/case_id.hpp"
#include "cvdbot/core/time.hpp"

namespace cvd::domain {

enum class CaseState {
    received,  // report stored and acknowledged, not yet triaged
    triage,
    accepted,
    rejected,
    stopped,   // 取扱い中止
};

enum class Role { discoverer, vendor, site_operator, coordinator, observer };

enum class Direction { inbound, outbound };

// What happened to an inbound message after it was stored.
enum class MessageStatus {
    pending,    // stored, effects not yet committed
    processed,  // effects committed
    ignored,    // automatic mail or a duplicate: kept, deliberately not acted on
    failed,     // unusable (e.g. no sender); kept with the reason
};

std::string_view to_string(CaseState state);
std::string_view to_string(Role role);
std::string_view to_string(Direction direction);
std::string_view to_string(MessageStatus status);
std::optional<CaseState> parse_case_state(std::string_view text);
std::optional<Role> parse_role(std::string_view text);
std::optional<Direction> parse_direction(std::string_view text);
std::optional<MessageStatus> parse_message_status(std::string_view text);

bool is_open(CaseState state);

struct Case {
    std::int64_t row_id = 0;
    core::CaseId id;
    CaseState state = CaseState::received;
    std::string title;
    core::Timestamp created_at{};
    core::Timestamp updated_at{};
};

struct Participant {
    std::int64_t row_id = 0;
    std::int64_t case_row_id = 0;
    Role role = Role::discoverer;
    std::string address;  // lower-cased addr-spec
    std::string display_name;
    std::string language;  // "ja", "en" or empty when unknown
};

// Addresses compare case-insensitively in practice; we store them lower-cased.
std::string normalize_address(std::string_view address);

}  // namespace cvd::domain
