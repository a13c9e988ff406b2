#pragma once
// The case's advisory facts between the store and the advisory module: a coordinator's fact
// command checked and recorded; the record turned into AdvisoryFacts for the exporters.

#include <cstdint>
#include <string>

#include "config.hpp"
#include "cvdbot/advisory/facts.hpp"
#include "cvdbot/core/result.hpp"
#include "cvdbot/domain/types.hpp"
#include "cvdbot/store/store.hpp"
#include "cvdbot/workflow/commands.hpp"

namespace cvd::app {

// Checks the value (CVE id, CVSS vector, version range, URL, date, the id scheme) and records
// it; returns what was done, for the transcript. A bad value is ErrorKind::invalid_input.
core::Result<std::string> record_advisory_fact(store::Store& store, std::int64_t case_row_id,
                                               const workflow::AdvisoryFactCommand& fact,
                                               const AdvisoryConfig& config, core::Timestamp now);

// Everything on record for the case's advisory. The credit carries the discoverer's consent
// from the report form; `credit_name` is the name to use when no `advisory credit` was given.
core::Result<advisory::AdvisoryFacts> load_advisory(store::Store& store, const domain::Case& the_case,
                                                    const AdvisoryConfig& config, const std::string& credit_name);

// The draft for the coordinators' review: the text in both languages as far as the facts go,
// and what is still missing for each output.
struct AdvisoryDraft {
    std::string advisory_id;  // or the case id while none is set
    std::string text;
    std::string missing;  // one problem per line
};
core::Result<AdvisoryDraft> advisory_draft(store::Store& store, const domain::Case& the_case,
                                         const AdvisoryConfig& config, const std::string& credit_name);

}  // namespace cvd::app
