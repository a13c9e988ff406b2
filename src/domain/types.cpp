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

constexpr std::array<std::pair<CaseState, std::string_view>, 27> kCaseStates{{
    {CaseState::received, "received"},
    {CaseState::triage, "triage"},
    {CaseState::accepted, "accepted"},
    {CaseState::rejected, "rejected"},
    {CaseState::stopped, "stopped"},
    {CaseState::vendor_contacted, "vendor_contacted"},
    {CaseState::details_sent, "details_sent"},
    {CaseState::verifying, "verifying"},
    {CaseState::fixing, "fixing"},
    {CaseState::date_agreed, "date_agreed"},
    {CaseState::published, "published"},
    {CaseState::closed, "closed"},
    {CaseState::not_affected, "not_affected"},
    {CaseState::unreachable, "unreachable"},
    {CaseState::no_agreement, "no_agreement"},
    {CaseState::committee, "committee"},
    {CaseState::do_not_publish, "do_not_publish"},
    {CaseState::publication_cancelled, "publication_cancelled"},
    {CaseState::nondisclosure_lifted, "nondisclosure_lifted"},
    {CaseState::operator_contacted, "operator_contacted"},
    {CaseState::web_details_sent, "web_details_sent"},
    {CaseState::web_fixing, "web_fixing"},
    {CaseState::fix_reported, "fix_reported"},
    {CaseState::closed_fixed, "closed_fixed"},
    {CaseState::closed_not_vulnerable, "closed_not_vulnerable"},
    {CaseState::operator_unreachable, "operator_unreachable"},
    {CaseState::closed_unreachable, "closed_unreachable"},
}};
constexpr std::array<std::pair<VendorState, std::string_view>, 13> kVendorStates{{
    {VendorState::pending, "pending"},
    {VendorState::contacted, "contacted"},
    {VendorState::details_sent, "details_sent"},
    {VendorState::verifying, "verifying"},
    {VendorState::not_affected, "not_affected"},
    {VendorState::fixing, "fixing"},
    {VendorState::date_agreed, "date_agreed"},
    {VendorState::published, "published"},
    {VendorState::unreachable, "unreachable"},
    {VendorState::name_listed, "name_listed"},
    {VendorState::product_listed, "product_listed"},
    {VendorState::no_agreement, "no_agreement"},
    {VendorState::publication_cancelled, "publication_cancelled"},
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
std::string_view to_string(VendorState state) { return name_of(kVendorStates, state); }
std::optional<VendorState> parse_vendor_state(std::string_view text) { return lookup(kVendorStates, text); }

bool is_open(CaseState state) {
    switch (state) {
    case CaseState::rejected:
    case CaseState::stopped:
    case CaseState::closed:
    case CaseState::not_affected:
    case CaseState::do_not_publish:
    case CaseState::publication_cancelled:
    case CaseState::nondisclosure_lifted:
    case CaseState::closed_fixed:
    case CaseState::closed_not_vulnerable:
    case CaseState::closed_unreachable:
        return false;
    default:
        return true;
    }
}

std::string normalize_address(std::string_view address) {
    return core::to_lower_ascii(core::trim(address));
}

}  // namespace cvd::domain
