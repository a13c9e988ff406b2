#pragma once
// The workflow rules from rules/*.toml, validated once and immutable afterwards.

#include <chrono>
#include <filesystem>
#include <string>

#include "cvdbot/core/result.hpp"

namespace cvd::rules {

struct IntakeRules {
    bool acknowledge_reports = true;
    std::string acknowledgment_template = "acknowledgment";
};

struct OutboxRules {
    std::chrono::seconds retry_initial{60};
    std::chrono::seconds retry_max{3600};
    int max_attempts = 72;
};

struct RuleSet {
    IntakeRules intake;
    OutboxRules outbox;
};

// Reads <dir>/workflow.toml. Errors name the file, the line and the key.
core::Result<RuleSet> load_rules(const std::filesystem::path& dir);
core::Result<RuleSet> parse_rules(std::string_view toml_text, const std::string& source_name);

// Delay before retry number `attempt` (1 = first retry): initial * 2^(attempt-1), capped.
std::chrono::seconds retry_delay(const OutboxRules& rules, int attempt);

}  // namespace cvd::rules
