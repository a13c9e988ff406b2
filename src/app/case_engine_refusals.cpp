// SMTP refusing mail for good (5xx): a vendor that can be reached at none of its addresses is
// a workflow event (DeliveryRefused) that the rules may count toward "unreachable".
#include <spdlog/spdlog.h>

#include <algorithm>

#include "case_engine.hpp"
#include "cvdbot/domain/types.hpp"

namespace cvd::app {

using core::Status;

Status CaseEngine::delivery_refused(std::int64_t case_row_id,
                                    const std::vector<std::string>& refused, core::Timestamp now) {
    auto the_case = store_.case_by_row(case_row_id);
    if (!the_case) return the_case.error();
    if (!*the_case) return {};
    auto people = store_.participants(case_row_id);
    if (!people) return people.error();
    std::vector<std::string> refused_addresses;
    for (const auto& r : refused) refused_addresses.push_back(domain::normalize_address(r));
    const auto was_refused = [&](const std::string& a) {
        return std::find(refused_addresses.begin(), refused_addresses.end(),
                         domain::normalize_address(a)) != refused_addresses.end();
    };
    for (const auto& p : *people) {
        if (p.role != domain::Role::vendor || !was_refused(p.address)) continue;
        // One refused address of several is a coordinator's matter, not the vendor's silence.
        if (!std::all_of(p.other_addresses.begin(), p.other_addresses.end(), was_refused)) {
            spdlog::info("vendor #{} on case {} has other addresses; the refusal is not counted",
                         p.row_id, (*the_case)->id.str());
            continue;
        }
        auto applied = run(**the_case, workflow::DeliveryRefused{p.row_id},
                           Cause{"bot", std::nullopt, {}}, now);
        if (!applied) {
            if (applied.error().kind != core::ErrorKind::conflict &&
                applied.error().kind != core::ErrorKind::invalid_input)
                return applied.error();
            spdlog::info("case {}: {}", (*the_case)->id.str(), applied.error().message);
            continue;
        }
        for (const auto& e : applied->effects)
            spdlog::info("case {}: {}", (*the_case)->id.str(), e);
    }
    return {};
}

}  // namespace cvd::app
