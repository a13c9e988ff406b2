#pragma once
// CVSS vectors: v3.1 parsed, validated and scored per the FIRST specification (base metrics);
// v4.0 validated for syntax only (its score needs the spec's macro-vector tables, not done).

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

// Mandatory base metrics (AV AC AT PR UI VC VI VA SC SI SA) once each, optional ones known.
core::Status check_cvss40(const std::string& vector);

}  // namespace cvd::advisory
