// Dates as participants write them: 2027-01-15, 2027/1/15, 2027年1月15日, with an optional time.

#include <array>
#include <cstdio>

#include "cvdbot/core/text.hpp"
#include "wished_date_internal.hpp"

namespace cvd::report {

namespace {

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

// Reads up to `max` digits at text[i]; 0 digits → nullopt.
std::optional<int> read_number(std::string_view text, std::size_t& i, std::size_t max) {
    std::size_t n = 0;
    int value = 0;
    while (i < text.size() && n < max && is_digit(text[i])) {
        value = value * 10 + (text[i] - '0');
        ++i, ++n;
    }
    if (n == 0 || (i < text.size() && is_digit(text[i]))) return std::nullopt;
    return value;
}

bool eat(std::string_view text, std::size_t& i, std::string_view what) {
    if (text.compare(i, what.size(), what) != 0) return false;
    i += what.size();
    return true;
}

bool real_date(int year, int month, int day) {
    if (year < 1970 || year > 2199 || month < 1 || month > 12 || day < 1) return false;
    static constexpr std::array<int, 12> kDays{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return day <= kDays[static_cast<std::size_t>(month - 1)] + (month == 2 && leap ? 1 : 0);
}

constexpr std::string_view kYear = "\xE5\xB9\xB4", kMonth = "\xE6\x9C\x88", kDay = "\xE6\x97\xA5";
constexpr std::string_view kHour = "\xE6\x99\x82", kMinute = "\xE5\x88\x86";

// The optional time after a date: " 10:00", "T10:00", " (金) 10時", "10時30分".
void read_time(std::string_view text, std::size_t i, WishedDate& date) {
    while (i < text.size() && text[i] == ' ') ++i;
    if (i < text.size() && text[i] == '(') {
        const auto close = text.find(')', i);
        if (close == std::string_view::npos || close - i > 16) return;
        i = close + 1;
        while (i < text.size() && text[i] == ' ') ++i;
    }
    if (i < text.size() && (text[i] == 't' || text[i] == 'T')) ++i;
    const auto hour = read_number(text, i, 2);
    if (!hour || *hour > 23) return;
    std::optional<int> minute;
    if (eat(text, i, ":")) {
        const std::size_t from = i;
        minute = read_number(text, i, 2);
        if (i - from != 2) return;
    } else if (eat(text, i, kHour)) {
        const std::size_t from = i;
        minute = read_number(text, i, 2);
        if (minute && !eat(text, i, kMinute)) return;
        if (!minute) {
            i = from;
            minute = 0;
        }
    } else {
        return;
    }
    if (!minute || *minute > 59) return;
    date.hour = *hour;
    date.minute = *minute;
}

}  // namespace

std::vector<WishedDate> find_dates(std::string_view raw) {
    const std::string text = core::fold_width(raw);
    std::vector<WishedDate> found;
    for (std::size_t start = 0; start < text.size() && found.size() <= kMaxDates; ++start) {
        if (!is_digit(text[start]) || (start > 0 && is_digit(text[start - 1]))) continue;
        std::size_t i = start;
        const auto year = read_number(text, i, 4);
        if (!year || i - start != 4) continue;
        const bool kanji = text.compare(i, kYear.size(), kYear) == 0;
        char separator = 0;
        if (kanji) {
            i += kYear.size();
        } else if (i < text.size() && (text[i] == '-' || text[i] == '/' || text[i] == '.')) {
            separator = text[i++];
        } else {
            continue;
        }
        const auto month = read_number(text, i, 2);
        if (!month) continue;
        if (kanji ? !eat(text, i, kMonth) : !eat(text, i, std::string_view(&separator, 1)))
            continue;
        const auto day = read_number(text, i, 2);
        if (!day || !real_date(*year, *month, *day)) continue;
        if (kanji) eat(text, i, kDay);
        WishedDate date{*year, *month, *day, std::nullopt, std::nullopt};
        read_time(text, i, date);
        found.push_back(date);
        start = i - 1;
    }
    return found;
}

std::optional<WishedDate> single_date(const std::vector<WishedDate>& dates) {
    if (dates.empty() || dates.size() > kMaxDates) return std::nullopt;
    for (const auto& d : dates)
        if (!(d == dates.front())) return std::nullopt;
    return dates.front();
}

std::string WishedDate::to_iso() const {
    char buffer[64];
    if (hour && minute)
        std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d", year, month, day, *hour,
                      *minute);
    else
        std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", year, month, day);
    return buffer;
}

std::optional<WishedDate> parse_wished_date(std::string_view text) {
    return single_date(find_dates(text));
}

}  // namespace cvd::report
