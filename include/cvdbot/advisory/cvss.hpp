#pragma once
// CVSS vectors: v3.1 (base metrics) and v4.0 (base, threat, environmental and supplemental
// metrics) parsed, validated and scored per the FIRST specifications.

#include "cvdbot/core/result.hpp"

#include <string>

namespace cvd::advisory {

struct Cvss31 {
    std::string vector;  // canonical order: CVSS:3.1/AV:_/AC:_/PR:_/UI:_/S:_/C:_/I:_/A:_
    double base_score = 0;
    std::string severity;  // NONE, LOW, MEDIUM, HIGH, CRITICAL (as CSAF and CVE spell it)
    char av = 'N', ac = 'L', pr = 'N', ui = 'N', scope = 'U', c = 'N', i = 'N', a = 'N';
};

// Base metrics only, each exactly once, in any order; temporal and environmental metrics are
// refused because the records would then carry scores this code does not compute.
core::Result<Cvss31> parse_cvss31(const std::string& vector);

// The spec's Roundup (3.1, Appendix A): smallest one-decimal number >= x, float-safe.
double cvss_roundup(double x);

std::string cvss_severity(double score);
// "7.2", "10.0": one decimal, as advisories print scores.
std::string format_score(double score);

struct Cvss40 {
    std::string vector;  // the specification's metric order, as the CVE schema requires
    double score = 0;    // CVSS-B, -BT, -BE or -BTE per the metrics given
    std::string severity;
};

// Mandatory base metrics (AV AC AT PR UI VC VI VA SC SI SA) once each, optional ones known;
// scored per the v4.0 specification (MacroVectors, lookup table, severity distances).
core::Result<Cvss40> parse_cvss40(const std::string& vector);
core::Status check_cvss40(const std::string& vector);

}  // namespace cvd::advisory
