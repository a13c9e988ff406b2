#include "cvdbot/core/case_id.hpp"

#include <cctype>
#include <cstdio>

namespace cvd::core {

namespace {
bool is_alnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Parses "YYYY-NNNN" at the start of text; returns the length consumed or 0.
std::size_t parse_year_number(std::string_view text, int& year, int& number) {
    if (text.size() < 9) return 0;
    for (int i = 0; i < 4; ++i)
        if (!is_digit(text[i])) return 0;
    if (text[4] != '-') return 0;
    std::size_t end = 5;
    while (end < text.size() && is_digit(text[end]) && end < 5 + 9) ++end;
    if (end - 5 < 4) return 0;
    year = std::stoi(std::string(text.substr(0, 4)));
    number = std::stoi(std::string(text.substr(5, end - 5)));
    if (number <= 0) return 0;
    return end;
}
}  // namespace

std::string CaseId::str() const {
    char buf[32];
    std::snprintf(buf, sizeof buf, "#%04d-%04d", year, number);
    return prefix + buf;
}

bool is_valid_case_prefix(std::string_view prefix) {
    if (prefix.empty() || prefix.size() > 16) return false;
    for (char c : prefix)
        if (!is_alnum(c)) return false;
    return true;
}

std::optional<CaseId> parse_case_id(std::string_view text) {
    const auto hash = text.find('#');
    if (hash == std::string_view::npos) return std::nullopt;
    const auto prefix = text.substr(0, hash);
    if (!is_valid_case_prefix(prefix)) return std::nullopt;
    CaseId id{std::string(prefix), 0, 0};
    const auto rest = text.substr(hash + 1);
    const auto used = parse_year_number(rest, id.year, id.number);
    if (used == 0 || used != rest.size()) return std::nullopt;
    return id;
}

std::optional<CaseId> find_case_tag(std::string_view subject, std::string_view prefix) {
    static constexpr std::string_view kOpenJa = "\xE3\x80\x90";   // 【
    static constexpr std::string_view kCloseJa = "\xE3\x80\x91";  // 】
    const std::string needle = std::string(prefix) + "#";
    for (std::size_t pos = subject.find(needle); pos != std::string_view::npos;
         pos = subject.find(needle, pos + 1)) {
        const bool ascii_open = pos >= 1 && subject[pos - 1] == '[';
        const bool ja_open = pos >= kOpenJa.size() && subject.substr(pos - kOpenJa.size(), kOpenJa.size()) == kOpenJa;
        if (!ascii_open && !ja_open) continue;
        CaseId id{std::string(prefix), 0, 0};
        const auto rest = subject.substr(pos + needle.size());
        const auto used = parse_year_number(rest, id.year, id.number);
        if (used == 0) continue;
        const auto after = rest.substr(used);
        if ((ascii_open && !after.empty() && after[0] == ']') ||
            (ja_open && after.substr(0, kCloseJa.size()) == kCloseJa))
            return id;
    }
    return std::nullopt;
}

}  // namespace cvd::core
