#pragma once
// Everything a coordinator sees of one case, as data: printed as a timeline, or as JSON
// that reads back into the same CaseView.

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cvdbot/core/result.hpp"
#include "cvdbot/store/store.hpp"

namespace cvd::app {

struct CaseView {
    domain::Case record;
    std::vector<domain::Participant> participants;
    std::vector<store::StoredMessage> messages;
    std::vector<store::AuditEntry> events;
    std::vector<store::Timer> timers;
    bool operator==(const CaseView&) const;
};

core::Result<CaseView> load_case_view(store::Store& store, const core::CaseId& id);

nlohmann::json to_json(const CaseView& view);
core::Result<CaseView> case_view_from_json(const nlohmann::json& json);

// The readable story: who wrote to whom, in time order, with state changes and timers.
std::string format_case_view(const CaseView& view, const std::string& default_language = "ja");

}  // namespace cvd::app
