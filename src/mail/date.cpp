// Dates as clients write them: RFC 5322, its obsolete forms, asctime order, and the
// timezone names (JST among them) that show up in Japanese mail.

#include "cvdbot/mail/date.hpp"

#include <array>
#include <cctype>

#include "cvdbot/core/text.hpp"

namespace cvd::mail {
namespace {

std::vector<std::string> tokens_of(std::string_view s) {
    std::vector<std::string> out;
    std::string cur;
    int comment = 0;
    for (char c : s) {
        if (c == '(') {
            ++comment;
            continue;
        }
        if (c == ')' && comment > 0) {
            --comment;
            continue;
        }
        if (comment) continue;
        if (c == ' ' || c == '\t' || c == ',' || c == '\r' || c == '\n') {
            if (!cur.empty()) out.push_back(std::move(cur));
            cur.clear();
        } else {
            cur.push_back(c);
        }
    }
    if (!cur.empty()) out.push_back(std::move(cur));
    return out;
}

bool all_digits(std::string_view s) {
    if (s.empty()) return false;
    for (char c : s)
        if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    return true;
}

int month_of(std::string_view s) {
    static const std::array<const char*, 12> names{"jan", "feb", "mar", "apr", "may", "jun",
                                                   "jul", "aug", "sep", "oct", "nov", "dec"};
    if (s.size() < 3) return 0;
    std::string l = core::to_lower_ascii(s.substr(0, 3));
    for (int i = 0; i < 12; ++i)
        if (l == names[static_cast<std::size_t>(i)]) return i + 1;
    return 0;
}

bool zone_name(std::string_view s, int& minutes) {
    static const std::array<std::pair<const char*, int>, 13> zones{{
        {"ut", 0},
        {"utc", 0},
        {"gmt", 0},
        {"z", 0},
        {"est", -300},
        {"edt", -240},
        {"cst", -360},
        {"cdt", -300},
        {"mst", -420},
        {"mdt", -360},
        {"pst", -480},
        {"pdt", -420},
        {"jst", 540},
    }};
    std::string l = core::to_lower_ascii(s);
    for (const auto& [name, offset] : zones) {
        if (l == name) {
            minutes = offset;
            return true;
        }
    }
    return false;
}

}  // namespace

std::optional<core::Timestamp> parse_rfc5322_date(std::string_view value,
                                                  std::vector<std::string>* warnings) {
    auto fail = [&](const char* why) -> std::optional<core::Timestamp> {
        if (warnings)
            warnings->push_back(std::string("unreadable Date (") + why + "): \"" +
                                std::string(core::trim(value)).substr(0, 80) + "\"");
        return std::nullopt;
    };
    int day = 0, month = 0, year = -1, hour = -1, minute = 0, second = 0;
    int zone = 0;
    bool have_zone = false;
    for (const std::string& t : tokens_of(value)) {
        if (t.find(':') != std::string::npos) {
            auto parts = core::split(t, ':');
            if (parts.size() < 2 || parts.size() > 3) continue;
            for (auto p : parts)
                if (!all_digits(p) || p.size() > 2) return fail("bad time");
            hour = std::stoi(std::string(parts[0]));
            minute = std::stoi(std::string(parts[1]));
            second = parts.size() == 3 ? std::stoi(std::string(parts[2])) : 0;
            continue;
        }
        if ((t[0] == '+' || t[0] == '-') && t.size() == 5 && all_digits(t.substr(1))) {
            int hh = std::stoi(t.substr(1, 2)), mm = std::stoi(t.substr(3, 2));
            zone = (hh * 60 + mm) * (t[0] == '-' ? -1 : 1);
            have_zone = true;
            continue;
        }
        if (all_digits(t)) {
            if (t.size() > 4) return fail("bad number");
            int n = std::stoi(t);
            if (t.size() <= 2 && day == 0) {
                day = n;
            } else if (year < 0) {
                // RFC 5322 obsolete years: 2 digits → 1950..2049, 3 digits → +1900.
                year = t.size() == 2   ? (n < 50 ? 2000 + n : 1900 + n)
                       : t.size() == 3 ? 1900 + n
                                       : n;
            }
            continue;
        }
        if (int m = month_of(t); m && month == 0 && t.size() <= 9) {
            month = m;
            continue;
        }
        if (int z = 0; !have_zone && zone_name(t, z)) {
            zone = z;
            have_zone = true;
        }
        // Anything else (weekday names, junk) is ignored.
    }
    if (day < 1 || day > 31 || month == 0 || year < 0 || hour < 0) return fail("missing parts");
    if (hour > 23 || minute > 59 || second > 60) return fail("time out of range");
    std::chrono::year_month_day ymd{std::chrono::year{year},
                                    std::chrono::month{static_cast<unsigned>(month)},
                                    std::chrono::day{static_cast<unsigned>(day)}};
    if (!ymd.ok()) return fail("no such day");
    if (!have_zone && warnings) warnings->push_back("Date has no time zone; read as UTC");
    auto t = std::chrono::sys_days{ymd} + std::chrono::hours{hour} + std::chrono::minutes{minute} +
             std::chrono::seconds{second} - std::chrono::minutes{zone};
    return std::chrono::time_point_cast<std::chrono::seconds>(t);
}

}  // namespace cvd::mail
