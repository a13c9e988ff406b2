#pragma once
// Outputs of an advisory: the text people read, CSAF 2.0 and CVE JSON 5.1 records.
// Each refuses facts that validate() finds wanting, naming the missing facts.

#include "cvdbot/advisory/facts.hpp"
#include "cvdbot/core/result.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace cvd::advisory {

// One problem with the facts, by the name a coordinator uses in a command ("cvss", "title.en").
struct Problem {
    std::string fact;
    std::string message;
};

enum class Output { text, csaf, cve };

// Everything missing or invalid for the given output and language.
std::vector<Problem> validate(const AdvisoryFacts& facts, Output output, Lang lang);
// Every problem for any output in either language: what `advisory show` lists.
std::vector<Problem> validate(const AdvisoryFacts& facts);
std::string describe(const std::vector<Problem>& problems);

// The official name of a CWE on the list the CSAF validator checks against; "" if unknown.
std::string known_cwe_name(const std::string& cwe);

core::Result<std::string> render_text(const AdvisoryFacts& facts, Lang lang);
// `generated` is the generator date (ISO 8601, UTC), injected so output is reproducible.
core::Result<nlohmann::json> to_csaf(const AdvisoryFacts& facts, Lang lang,
                                     const std::string& generated, const std::string& version);
core::Result<nlohmann::json> to_cve(const AdvisoryFacts& facts, const std::string& cve_id);

}  // namespace cvd::advisory
