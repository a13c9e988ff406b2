#include "text_scan.hpp"

#include <algorithm>
#include <array>

#include "cvdbot/core/text.hpp"

namespace cvd::report::scan {

namespace {

bool is_ascii_alnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

constexpr std::string_view kIdeographicSpace = "\xE3\x80\x80";

// Length of `ascii` at text[pos], written plainly (1) or full-width (3), or 0.
std::size_t match_ascii(std::string_view text, std::size_t pos, char ascii) {
    if (pos < text.size() && text[pos] == ascii) return 1;
    const unsigned wide = 0xFF01u + static_cast<unsigned char>(ascii) - 0x21u;  // U+FF01..
    const char encoded[3] = {static_cast<char>(0xE0 | (wide >> 12)),
                             static_cast<char>(0x80 | ((wide >> 6) & 0x3F)),
                             static_cast<char>(0x80 | (wide & 0x3F))};
    return text.compare(pos, 3, std::string_view(encoded, 3)) == 0 ? 3 : 0;
}

std::size_t match_digit(std::string_view text, std::size_t pos) {
    for (char d = '0'; d <= '9'; ++d)
        if (std::size_t n = match_ascii(text, pos, d)) return n;
    return 0;
}

}  // namespace

std::string_view cut_utf8(std::string_view text, std::size_t max_bytes) {
    if (text.size() <= max_bytes) return text;
    std::size_t end = max_bytes;
    // Back off continuation bytes so that no sequence is split.
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
    return text.substr(0, end);
}

std::string prepare(std::string_view text, std::size_t max_bytes, bool& was_cut) {
    was_cut = text.size() > max_bytes;
    std::string clean = core::sanitize_utf8(cut_utf8(text, max_bytes));
    std::string_view view = clean;
    if (view.substr(0, 3) == "\xEF\xBB\xBF") view.remove_prefix(3);
    return core::to_lf(view);
}

std::string_view trim(std::string_view text) {
    for (;;) {
        text = core::trim(text);
        if (text.substr(0, 3) == kIdeographicSpace)
            text.remove_prefix(3);
        else if (text.size() >= 3 && text.substr(text.size() - 3) == kIdeographicSpace)
            text.remove_suffix(3);
        else
            return text;
    }
}

std::string_view strip_list_marker(std::string_view text) {
    text = trim(text);
    static constexpr std::array<std::string_view, 16> kBullets{
        "\xE3\x83\xBB",  // ・
        "\xEF\xBD\xA5",  // ･ (half-width)
        "\xE2\x80\xA2",  // •
        "\xE2\x96\xA0",  // ■
        "\xE2\x96\xA1",  // □
        "\xE2\x97\x8F",  // ●
        "\xE2\x97\x8B",  // ○
        "\xE2\x97\x86",  // ◆
        "\xE2\x97\x87",  // ◇
        "\xE2\x96\xB6",  // ▶
        "\xE2\x96\xBC",  // ▼
        "\xEF\xBC\x8D",  // － (full-width hyphen)
        "- ",           "* ", "+ ", "#",
    };
    for (std::string_view bullet : kBullets) {
        if (text.substr(0, bullet.size()) == bullet) {
            text.remove_prefix(bullet.size());
            while (!text.empty() && text.front() == '#') text.remove_prefix(1);  // "## Heading"
            return trim(text);
        }
    }
    // ① .. ⑳ (U+2460..U+2473): E2 91 A0..B3
    if (text.size() >= 3 && static_cast<unsigned char>(text[0]) == 0xE2 &&
        static_cast<unsigned char>(text[1]) == 0x91 &&
        static_cast<unsigned char>(text[2]) >= 0xA0 && static_cast<unsigned char>(text[2]) <= 0xB3)
        return trim(text.substr(3));
    // Numbering: "1.", "1)", "(1)", "1、", also in full-width digits.
    std::size_t pos = 0;
    const bool parenthesised = match_ascii(text, pos, '(') > 0;
    if (parenthesised) pos += match_ascii(text, pos, '(');
    std::size_t digits = 0;
    for (std::size_t n; digits < 3 && (n = match_digit(text, pos)) > 0; ++digits) pos += n;
    if (digits == 0) return text;
    std::size_t n = parenthesised
                        ? match_ascii(text, pos, ')')
                        : std::max(match_ascii(text, pos, '.'), match_ascii(text, pos, ')'));
    if (n == 0 && !parenthesised && text.compare(pos, 3, "\xE3\x80\x81") == 0) n = 3;  // 、
    if (n == 0) return text;
    pos += n;
    if (match_digit(text, pos) > 0) return text;  // "1.2.3" is a version, not a list number
    return trim(text.substr(pos));
}

std::string fold(std::string_view text) {
    const std::string folded = core::to_lower_ascii(core::fold_width(text));
    std::string out;
    out.reserve(folded.size());
    bool pending_space = false;
    for (char c : folded) {
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
            pending_space = !out.empty();
            continue;
        }
        if (pending_space) out.push_back(' ');
        pending_space = false;
        out.push_back(c);
    }
    return out;
}

namespace {

bool boundary_ok(std::string_view text, std::size_t pos, std::size_t length) {
    const bool phrase_starts_ascii = is_ascii_alnum(text[pos]);
    const bool phrase_ends_ascii = is_ascii_alnum(text[pos + length - 1]);
    if (phrase_starts_ascii && pos > 0 && is_ascii_alnum(text[pos - 1])) return false;
    if (phrase_ends_ascii && pos + length < text.size() && is_ascii_alnum(text[pos + length]))
        return false;
    return true;
}

std::size_t find_phrase(std::string_view text, std::string_view phrase, std::size_t from) {
    if (phrase.empty()) return std::string_view::npos;
    for (std::size_t pos = text.find(phrase, from); pos != std::string_view::npos;
         pos = text.find(phrase, pos + 1))
        if (boundary_ok(text, pos, phrase.size())) return pos;
    return std::string_view::npos;
}

}  // namespace

bool contains_phrase(std::string_view text, std::string_view phrase) {
    return find_phrase(text, phrase, 0) != std::string_view::npos;
}

bool erase_phrases(std::string& text, const std::vector<std::string_view>& phrases) {
    bool any = false;
    for (std::string_view phrase : phrases) {
        for (std::size_t pos = find_phrase(text, phrase, 0); pos != std::string_view::npos;
             pos = find_phrase(text, phrase, pos + phrase.size())) {
            text.replace(pos, phrase.size(), std::string(phrase.size(), ' '));
            any = true;
        }
    }
    return any;
}

ColonAt find_colon(std::string_view text) {
    const auto ascii = text.find(':');
    const auto wide = text.find("\xEF\xBC\x9A");  // ：
    if (wide != std::string_view::npos && (ascii == std::string_view::npos || wide < ascii))
        return {wide, 3};
    if (ascii != std::string_view::npos) return {ascii, 1};
    return {};
}

namespace {

// Negative words are erased before positive ones are looked for, so that "不可" does not
// count as "可" and "希望しない" not as "希望".
// clang-format off
const std::vector<std::string_view> kNo{
    "匿名を希望", "匿名希望", "同意しない", "同意しません", "希望しない", "希望しません",
    "希望せず", "しない", "しません", "いいえ", "不要", "不可", "無し", "なし", "無", "否", "拒否",
    "望まない", "匿名", "できない", "できません", "ng", "no", "not", "don't", "dont", "do not",
    "none", "anonymous", "anonymously", "decline", "n", "never", "nope",
};
const std::vector<std::string_view> kYes{
    "希望する", "希望します", "希望", "はい", "要", "可", "あり", "有", "同意", "構わない",
    "構いません", "かまわない", "かまいません", "お願いします", "お願いいたします", "する",
    "します", "よい", "良い", "ok", "yes", "y", "okay", "please", "sure", "agree", "agreed",
    "allowed", "fine", "yep",
};
// clang-format on

std::optional<bool> yes_no_words(std::string text) {
    const bool no = erase_phrases(text, kNo);
    bool yes = false;
    for (std::string_view phrase : kYes) yes = yes || contains_phrase(text, phrase);
    if (yes == no) return std::nullopt;
    return yes;
}

struct Marker {
    std::string_view text;
    bool checked;
};
const std::array<Marker, 14> kMarkers{{
    {"[x]", true},
    {"[v]", true},
    {"(x)", true},
    {"\xE2\x96\xA0", true} /* ■ */,
    {"\xE2\x98\x91", true} /* ☑ */,
    {"\xE2\x98\x92", true} /* ☒ */,
    {"\xE2\x97\x8F", true} /* ● */,
    {"\xE2\x97\x89", true} /* ◉ */,
    {"[ ]", false},
    {"[]", false},
    {"( )", false},
    {"\xE2\x96\xA1", false} /* □ */,
    {"\xE2\x98\x90", false} /* ☐ */,
    {"\xE2\x97\x8B", false} /* ○ */,
}};

}  // namespace

std::optional<bool> read_yes_no(std::string_view value) {
    const std::string text = fold(value);
    if (text.empty()) return std::nullopt;
    // Checkboxes: only the options after a checked marker count.
    struct Hit {
        std::size_t pos, length;
        bool checked;
    };
    std::vector<Hit> hits;
    for (std::size_t pos = 0; pos < text.size() && hits.size() < 16; ++pos)
        for (const Marker& m : kMarkers)
            if (text.compare(pos, m.text.size(), m.text) == 0) {
                hits.push_back({pos, m.text.size(), m.checked});
                pos += m.text.size() - 1;
                break;
            }
    if (hits.empty()) return yes_no_words(text);
    std::optional<bool> answer;
    for (std::size_t k = 0; k < hits.size(); ++k) {
        if (!hits[k].checked) continue;
        const std::size_t from = hits[k].pos + hits[k].length;
        const std::size_t to = k + 1 < hits.size() ? hits[k + 1].pos : text.size();
        const auto option = yes_no_words(text.substr(from, to - from));
        if (!option || (answer && *answer != *option)) return std::nullopt;
        answer = option;
    }
    return answer;
}

}  // namespace cvd::report::scan
