#pragma once
// A case id such as "CVD#2026-0042": a configurable prefix, the year, a per-year counter.

#include <optional>
#include <string>
#include <string_view>

namespace cvd::core {

struct CaseId {
    std::string prefix;  // letters and digits only, e.g. "CVD"
    int year = 0;
    int number = 0;

    std::string str() const;  // "CVD#2026-0042"
    bool operator==(const CaseId&) const = default;
};

bool is_valid_case_prefix(std::string_view prefix);

// Parses exactly "PREFIX#YYYY-NNNN" (4 or more digits); nullopt for anything else.
std::optional<CaseId> parse_case_id(std::string_view text);

// Finds the first "[PREFIX#YYYY-NNNN]" or "【PREFIX#YYYY-NNNN】" tag in a subject line.
std::optional<CaseId> find_case_tag(std::string_view subject, std::string_view prefix);

}  // namespace cvd::core
