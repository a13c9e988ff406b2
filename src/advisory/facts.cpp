#include "cvdbot/advisory/facts.hpp"

#include <cctype>

namespace cvd::advisory {
namespace {

std::string trim(const std::string& text) {
    auto begin = text.find_first_not_of(" \t");
    if (begin == std::string::npos) return {};
    auto end = text.find_last_not_of(" \t");
    return text.substr(begin, end - begin + 1);
}

// A version is one word of letters, digits and . - _ + (what vendors print on their pages).
bool is_version(const std::string& text) {
    if (text.empty() || text.size() > 64) return false;
    for (unsigned char c : text)
        if (!(std::isalnum(c) || c == '.' || c == '-' || c == '_' || c == '+')) return false;
    return true;
}

}  // namespace

const char* to_string(Lang lang) {
    return lang == Lang::ja ? "ja" : "en";
}

const char* to_string(VendorStatus status) {
    switch (status) {
        case VendorStatus::affected:
            return "affected";
        case VendorStatus::not_affected:
            return "not_affected";
        case VendorStatus::fixed:
            return "fixed";
        case VendorStatus::under_investigation:
            return "under_investigation";
    }
    return "under_investigation";
}

std::optional<VersionRange> parse_version_range(const std::string& raw) {
    auto text = trim(raw);
    VersionRange range;
    if (text.rfind("<=", 0) == 0) {
        range.to = trim(text.substr(2));
    } else if (text.rfind("<", 0) == 0) {
        range.to = trim(text.substr(1));
        range.to_inclusive = false;
    } else if (auto dash = text.find(" - "); dash != std::string::npos) {
        range.from = trim(text.substr(0, dash));
        range.to = trim(text.substr(dash + 3));
        if (!is_version(range.from)) return std::nullopt;
    } else {
        range.from = range.to = text;
    }
    if (!is_version(range.to)) return std::nullopt;
    return range;
}

AdvisoryFacts facts_for_cve(const AdvisoryFacts& facts, const std::string& cve_id) {
    AdvisoryFacts out = facts;
    out.per_cve.clear();
    for (const auto& own : facts.per_cve) {
        if (own.cve_id != cve_id) continue;
        for (auto lang : {Lang::ja, Lang::en})
            if (!own.description.in(lang).empty())
                out.description.in(lang) = own.description.in(lang);
        // A CWE of its own brings its own name (or none, to be taken from the known list).
        if (!own.cwe.empty()) out.cwe = own.cwe, out.cwe_name = own.cwe_name;
        if (!own.cvss31.empty()) out.cvss31 = own.cvss31;
        if (!own.cvss40.empty()) out.cvss40 = own.cvss40;
    }
    return out;
}

std::string format_version_range(const VersionRange& range) {
    if (range.single()) return range.to;
    if (range.from.empty()) return (range.to_inclusive ? "<= " : "< ") + range.to;
    return range.from + " - " + range.to;
}

}  // namespace cvd::advisory
