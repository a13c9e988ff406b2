#include "cvdbot/core/time.hpp"

#include <array>
#include <cstdio>

namespace cvd::core {

using namespace std::chrono;

Timestamp SystemClock::now() const { return time_point_cast<seconds>(system_clock::now()); }

namespace {
struct Civil {
    year_month_day date;
    hh_mm_ss<seconds> time;
};
Civil civil(Timestamp t) {
    const auto day = floor<days>(t);
    return Civil{year_month_day{day}, hh_mm_ss<seconds>{t - day}};
}
}  // namespace

std::string format_iso8601(Timestamp t) {
    const auto c = civil(t);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02ld:%02ld:%02lldZ", int(c.date.year()),
                  unsigned(c.date.month()), unsigned(c.date.day()), long(c.time.hours().count()),
                  long(c.time.minutes().count()), static_cast<long long>(c.time.seconds().count()));
    return buf;
}

std::optional<Timestamp> parse_iso8601(std::string_view text) {
    // Accepts exactly what format_iso8601 writes; the database is ours but still checked.
    int y = 0;
    unsigned mo = 0, d = 0, h = 0, mi = 0, s = 0;
    char z = 0;
    const std::string s_text(text);
    if (std::sscanf(s_text.c_str(), "%4d-%2u-%2uT%2u:%2u:%2u%c", &y, &mo, &d, &h, &mi, &s, &z) != 7 ||
        z != 'Z' || s_text.size() != 20)
        return std::nullopt;
    const year_month_day ymd{year{y}, month{mo}, day{d}};
    if (!ymd.ok() || h > 23 || mi > 59 || s > 60) return std::nullopt;
    return sys_days{ymd} + hours{h} + minutes{mi} + seconds{s};
}

std::string format_rfc5322(Timestamp t) {
    static constexpr std::array<const char*, 7> kDays{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static constexpr std::array<const char*, 12> kMonths{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const auto c = civil(t);
    const weekday wd{floor<days>(t)};
    char buf[96];
    std::snprintf(buf, sizeof buf, "%s, %02u %s %04d %02ld:%02ld:%02lld +0000", kDays[wd.c_encoding()],
                  unsigned(c.date.day()), kMonths[unsigned(c.date.month()) - 1], int(c.date.year()),
                  long(c.time.hours().count()), long(c.time.minutes().count()),
                  static_cast<long long>(c.time.seconds().count()));
    return buf;
}

int year_of(Timestamp t) { return int(year_month_day{floor<days>(t)}.year()); }

std::int64_t to_unix(Timestamp t) { return t.time_since_epoch().count(); }
Timestamp from_unix(std::int64_t s) { return Timestamp{seconds{s}}; }

}  // namespace cvd::core
