#pragma once
// Calendar arithmetic for timers, in Japan time (UTC+9, no DST): the partnership counts days,
// months and quarters as people in Japan see them.

#include <chrono>
#include <map>
#include <string>

#include "cvdbot/core/time.hpp"

namespace cvd::workflow {

core::Timestamp add_days(core::Timestamp t, int days);
// Same day-of-month N months later in JST, clamped to the month's last day (Jan 31 + 1 = Feb 28).
core::Timestamp add_months(core::Timestamp t, int months);
// N business days later (Mon-Fri in JST, skipping `holidays`), same time of day.
core::Timestamp add_business_days(core::Timestamp t, int days,
                                  const std::map<std::chrono::sys_days, std::string>& holidays = {});
// 00:00 JST on the first day of the next calendar quarter (Jan, Apr, Jul, Oct).
core::Timestamp next_quarter_start(core::Timestamp t);

}  // namespace cvd::workflow
