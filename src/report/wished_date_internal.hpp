#pragma once
// Finding dates in text, for parse_vendor_reply. Internal.

#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

#include "cvdbot/report/vendor_reply.hpp"

namespace cvd::report {

inline constexpr std::size_t kMaxDates = 8;

// Every real date in `text`, in order, up to one more than kMaxDates.
std::vector<WishedDate> find_dates(std::string_view text);

// One date, or nullopt when there is none, several that differ, or too many to be sure.
std::optional<WishedDate> single_date(const std::vector<WishedDate>& dates);

}  // namespace cvd::report
