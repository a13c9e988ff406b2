#include "cvdbot/advisory/cvss.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <map>
#include <sstream>
#include <vector>

#include "cvss_internal.hpp"

namespace cvd::advisory {
namespace {

using core::ErrorKind;
using core::make_error;

std::vector<std::string> split(const std::string& text, char sep) {
    std::vector<std::string> parts;
    std::string part;
    std::istringstream in(text);
    while (std::getline(in, part, sep)) parts.push_back(part);
    if (!text.empty() && text.back() == sep) parts.emplace_back();
    return parts;
}

struct MetricDef {
    const char* name;
    const char* values;
};

// Base metrics of v3.1 in the spec's order, which is also the canonical vector order.
constexpr MetricDef kBase31[] = {{"AV", "NALP"}, {"AC", "LH"}, {"PR", "NLH"}, {"UI", "NR"},
                                 {"S", "UC"},    {"C", "HLN"}, {"I", "HLN"},  {"A", "HLN"}};

double weight_av(char v) {
    return v == 'N' ? 0.85 : v == 'A' ? 0.62 : v == 'L' ? 0.55 : 0.2;
}
double weight_cia(char v) {
    return v == 'H' ? 0.56 : v == 'L' ? 0.22 : 0.0;
}
double weight_pr(char v, bool changed) {
    if (v == 'N') return 0.85;
    if (v == 'L') return changed ? 0.68 : 0.62;
    return changed ? 0.5 : 0.27;
}

}  // namespace

namespace internal {

core::Result<std::map<std::string, char>> read_metrics(const std::string& vector,
                                                       const std::string& prefix) {
    if (vector.rfind(prefix, 0) != 0)
        return core::make_error(core::ErrorKind::invalid_input,
                                "a CVSS vector starts with " + prefix);
    std::map<std::string, char> metrics;
    for (const auto& part : split(vector.substr(prefix.size()), '/')) {
        auto colon = part.find(':');
        if (colon == std::string::npos || colon == 0 || colon + 2 != part.size())
            return core::make_error(core::ErrorKind::invalid_input,
                                    "malformed CVSS metric '" + part + "'");
        auto name = part.substr(0, colon);
        if (!metrics.emplace(name, part[colon + 1]).second)
            return core::make_error(core::ErrorKind::invalid_input,
                                    "CVSS metric " + name + " given twice");
    }
    return metrics;
}

}  // namespace internal

double cvss_roundup(double x) {
    // Integer arithmetic as the spec's Appendix A prescribes, so 4.000000001 is not 4.1.
    auto scaled = static_cast<std::int64_t>(std::llround(x * 100000));
    if (scaled % 10000 == 0) return static_cast<double>(scaled) / 100000.0;
    return static_cast<double>(scaled / 10000 + 1) / 10.0;
}

std::string format_score(double score) {
    char text[8];
    std::snprintf(text, sizeof text, "%.1f", score);
    return text;
}

std::string cvss_severity(double score) {
    if (score == 0.0) return "NONE";
    if (score < 4.0) return "LOW";
    if (score < 7.0) return "MEDIUM";
    if (score < 9.0) return "HIGH";
    return "CRITICAL";
}

core::Result<Cvss31> parse_cvss31(const std::string& vector) {
    auto read = internal::read_metrics(vector, "CVSS:3.1/");
    if (!read) return read.error();
    auto& metrics = *read;
    std::string canonical = "CVSS:3.1";
    std::map<std::string, char> base;
    for (const auto& def : kBase31) {
        auto it = metrics.find(def.name);
        if (it == metrics.end())
            return make_error(ErrorKind::invalid_input,
                              std::string("CVSS 3.1 base metric ") + def.name + " is missing");
        if (std::string(def.values).find(it->second) == std::string::npos)
            return make_error(ErrorKind::invalid_input, std::string("CVSS 3.1 metric ") + def.name +
                                                            " cannot be " + it->second);
        base[def.name] = it->second;
        canonical += std::string("/") + def.name + ":" + it->second;
        metrics.erase(it);
    }
    if (!metrics.empty())
        return make_error(
            ErrorKind::invalid_input,
            "only CVSS 3.1 base metrics are supported; remove " + metrics.begin()->first);
    Cvss31 out;
    out.vector = canonical;
    out.av = base["AV"], out.ac = base["AC"], out.pr = base["PR"], out.ui = base["UI"];
    out.scope = base["S"], out.c = base["C"], out.i = base["I"], out.a = base["A"];
    bool changed = out.scope == 'C';
    double iss = 1 - (1 - weight_cia(out.c)) * (1 - weight_cia(out.i)) * (1 - weight_cia(out.a));
    double impact = changed ? 7.52 * (iss - 0.029) - 3.25 * std::pow(iss - 0.02, 15) : 6.42 * iss;
    double exploitability = 8.22 * weight_av(out.av) * (out.ac == 'L' ? 0.77 : 0.44) *
                            weight_pr(out.pr, changed) * (out.ui == 'N' ? 0.85 : 0.62);
    if (impact <= 0)
        out.base_score = 0;
    else if (changed)
        out.base_score = cvss_roundup(std::min(1.08 * (impact + exploitability), 10.0));
    else
        out.base_score = cvss_roundup(std::min(impact + exploitability, 10.0));
    out.severity = cvss_severity(out.base_score);
    return out;
}

}  // namespace cvd::advisory
