// Writes random valid CVSS v4.0 vectors (base, threat, environmental and supplemental metrics)
// with cvdbot's scores, one "VECTOR<TAB>SCORE" per line, for cvss40_compare.mjs to check against
// an independent implementation. Usage: advisory_cvss40_sample COUNT SEED FILE
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <random>
#include <string>

#include "cvdbot/advisory/cvss.hpp"

namespace {

struct Metric {
    const char* name;
    const char* values;
    bool base;
};

constexpr Metric kMetrics[] = {
    {"AV", "NALP", true},    {"AC", "LH", true},      {"AT", "NP", true},
    {"PR", "NLH", true},     {"UI", "NPA", true},     {"VC", "HLN", true},
    {"VI", "HLN", true},     {"VA", "HLN", true},     {"SC", "HLN", true},
    {"SI", "HLN", true},     {"SA", "HLN", true},     {"E", "XAPU", false},
    {"CR", "XHML", false},   {"IR", "XHML", false},   {"AR", "XHML", false},
    {"MAV", "XNALP", false}, {"MAC", "XLH", false},   {"MAT", "XNP", false},
    {"MPR", "XNLH", false},  {"MUI", "XNPA", false},  {"MVC", "XHLN", false},
    {"MVI", "XHLN", false},  {"MVA", "XHLN", false},  {"MSC", "XHLN", false},
    {"MSI", "XSHLN", false}, {"MSA", "XSHLN", false}, {"S", "XNP", false},
    {"AU", "XNY", false},    {"R", "XAUI", false},    {"V", "XDC", false},
    {"RE", "XLMH", false}};

}  // namespace

int main(int argc, char** argv) {
    if (argc != 4) {
        std::cerr << "usage: advisory_cvss40_sample COUNT SEED FILE\n";
        return 2;
    }
    const int count = std::atoi(argv[1]);
    std::mt19937 random(static_cast<unsigned>(std::atoi(argv[2])));
    std::ofstream out(argv[3]);
    for (int n = 0; n < count; ++n) {
        // A third of the vectors carry base metrics only, the rest a random mix of the others.
        const bool base_only = n % 3 == 0;
        std::string vector = "CVSS:4.0";
        for (const auto& metric : kMetrics) {
            if (!metric.base && (base_only || random() % 2 == 0)) continue;
            const std::string values = metric.values;
            vector += std::string("/") + metric.name + ":" + values[random() % values.size()];
        }
        auto scored = cvd::advisory::parse_cvss40(vector);
        if (!scored) {
            std::cerr << vector << ": " << scored.error().message << "\n";
            return 1;
        }
        out << scored->vector << '\t' << cvd::advisory::format_score(scored->score) << '\n';
    }
    return out.flush() ? 0 : 1;
}
