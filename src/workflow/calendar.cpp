#include "cvdbot/workflow/calendar.hpp"

#include <chrono>

namespace cvd::workflow {

using namespace std::chrono;

namespace {
constexpr hours kJst{9};

struct Local {
    year_month_day date;
    seconds time_of_day;
};

Local to_jst(core::Timestamp t) {
    const auto local = t + kJst;
    const auto day = floor<days>(local);
    return {year_month_day{day}, local - day};
}

core::Timestamp from_jst(year_month_day date, seconds time_of_day) {
    return core::Timestamp{sys_days{date}.time_since_epoch() + time_of_day - kJst};
}
}  // namespace

core::Timestamp add_days(core::Timestamp t, int n) {
    return t + days{n};
}

core::Timestamp add_months(core::Timestamp t, int n) {
    auto [date, tod] = to_jst(t);
    year_month_day moved = date.year() / date.month() / date.day() + months{n};
    if (!moved.ok()) moved = moved.year() / moved.month() / last;
    return from_jst(moved, tod);
}

core::Timestamp add_business_days(core::Timestamp t, int n,
                                  const std::map<std::chrono::sys_days, std::string>& holidays) {
    auto [date, tod] = to_jst(t);
    sys_days day{date};
    while (n > 0) {
        day += days{1};
        const weekday wd{day};
        if (wd != Saturday && wd != Sunday && !holidays.count(day)) --n;
    }
    return from_jst(year_month_day{day}, tod);
}

core::Timestamp next_quarter_start(core::Timestamp t) {
    const auto [date, tod] = to_jst(t);
    const unsigned month = static_cast<unsigned>(date.month());
    const unsigned next = ((month - 1) / 3 + 1) * 3 + 1;  // 4, 7, 10 or 13
    const year_month_day start = next == 13 ? (date.year() + years{1}) / January / 1
                                            : date.year() / std::chrono::month{next} / 1;
    return from_jst(start, seconds{0});
}

}  // namespace cvd::workflow
