#include "cvdbot/domain/types.hpp"

#include <array>
#include <utility>

#include "cvdbot/core/text.hpp"

namespace cvd::domain {

namespace {
template <typename E, std::size_t N>
std::optional<E> lookup(const std::array<std::pair<E, std::string_view>, N>& table, std::string_view text) {
    for (const auto& [value, name] : table)
        if (name == text) return value;
    return std::nullopt;
}
template <typename E, std::size_t N>
std::string_view name_of(const std::array<std::pair<E, std::string_view>, N>& table, E value) {
    for (const auto& [v, name] : table)
        if (v == value) return name;
    return "?";
}

constexpr std::array<std::pair<CaseState, std::string_view>, 5> kCaseStates{{
    {CaseState::received, "received"},
    {CaseState::triage, "triage"},
    {CaseState::accepted, "accepted"},
    {CaseState::rejected, "rejected"},
    {CaseState::stopped, "stopped"},
}};
constexpr std::array<std::pair<Role, std::string_view>, 5> kRoles{{
    {Role::discoverer, "discoverer"},
    {Role::vendor, "vendor"},
    {Role::site_operator, "site_operator"},
    {Role::coordinator, "coordinator"},
    {Role::observer, "observer"},
}};
constexpr std::array<std::pair<Direction, std::string_view>, 2> kDirections{{
    {Direction::inbound, "inbound"},
    {Direction::outbound, "outbound"},
}};
constexpr std::array<std::pair<MessageStatus, std::string_view>, 5> kStatuses{{
    {MessageStatus::pending, "pending"},
    {MessageStatus::processed, "processed"},
    {MessageStatus::ignored, "ignored"},
    {MessageStatus::failed, "failed"},
    {MessageStatus::quarantined, "quarantined"},
}};
constexpr std::array<std::pair<Track, std::string_view>, 3> kTracks{{
    {Track::undecided, "undecided"},
    {Track::product, "product"},
    {Track::web, "web"},
}};
}  // namespace

std::string_view to_string(CaseState state) { return name_of(kCaseStates, state); }
std::string_view to_string(Role role) { return name_of(kRoles, role); }
std::string_view to_string(Direction direction) { return name_of(kDirections, direction); }
std::string_view to_string(MessageStatus status) { return name_of(kStatuses, status); }
std::optional<CaseState> parse_case_state(std::string_view text) { return lookup(kCaseStates, text); }
std::optional<Role> parse_role(std::string_view text) { return lookup(kRoles, text); }
std::optional<Direction> parse_direction(std::string_view text) { return lookup(kDirections, text); }
std::optional<MessageStatus> parse_message_status(std::string_view text) { return lookup(kStatuses, text); }
std::string_view to_string(Track track) { return name_of(kTracks, track); }
std::optional<Track> parse_track(std::string_view text) { return lookup(kTracks, text); }

bool is_open(CaseState state) {
    return state != CaseState::rejected && state != CaseState::stopped;
}

std::string normalize_address(std::string_view address) {
    return core::to_lower_ascii(core::trim(address));
}

}  // namespace cvd::domain
