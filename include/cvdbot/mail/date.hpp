#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cvdbot/core/time.hpp"

namespace cvd::mail {

// RFC 5322 date-time, leniently: optional weekday, 2- or 4-digit years, missing seconds,
// obsolete zone names, trailing comments. nullopt when no date can be made of it.
std::optional<core::Timestamp> parse_rfc5322_date(std::string_view value,
                                                  std::vector<std::string>* warnings = nullptr);

}  // namespace cvd::mail
