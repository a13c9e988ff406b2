// Declared charsets are often wrong in Japanese mail (ISO-2022-JP labels on Shift_JIS bytes,
// no label at all, UTF-8 labelled as us-ascii). We trust the label when the bytes agree with
// it and fall back to detection only when they plainly do not.

#include "cvdbot/mail/charset.hpp"

#include <array>
#include <utility>

#include "charset_internal.hpp"
#include "cvdbot/core/text.hpp"

namespace cvd::mail {
namespace {

using core::is_ascii;

void warn(std::vector<std::string>* warnings, std::string text) {
    if (warnings) warnings->push_back(std::move(text));
}

bool has_iso2022jp_escape(std::string_view s) {
    return s.find("\x1b$B") != std::string_view::npos ||
           s.find("\x1b$@") != std::string_view::npos ||
           s.find("\x1b(I") != std::string_view::npos ||
           s.find("\x1b$(D") != std::string_view::npos;
}

struct JapaneseScore {
    bool valid = true;
    std::size_t doubles = 0;
    std::size_t kana = 0;  // hiragana and katakana: almost every Japanese sentence has some
};

JapaneseScore score_sjis(std::string_view s) {
    JapaneseScore r;
    for (std::size_t i = 0; i < s.size(); ++i) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        if (c < 0x80 || (c >= 0xA1 && c <= 0xDF)) continue;
        bool lead = (c >= 0x81 && c <= 0x9F) || (c >= 0xE0 && c <= 0xFC);
        if (!lead || i + 1 >= s.size()) {
            r.valid = false;
            return r;
        }
        unsigned char t = static_cast<unsigned char>(s[++i]);
        if (t < 0x40 || t == 0x7F || t > 0xFC) {
            r.valid = false;
            return r;
        }
        ++r.doubles;
        if ((c == 0x82 && t >= 0x9F && t <= 0xF1) || (c == 0x83 && t >= 0x40 && t <= 0x96))
            ++r.kana;
    }
    return r;
}

JapaneseScore score_eucjp(std::string_view s) {
    JapaneseScore r;
    for (std::size_t i = 0; i < s.size(); ++i) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        if (c < 0x80) continue;
        auto high = [&](std::size_t k) {
            return k < s.size() && static_cast<unsigned char>(s[k]) >= 0xA1 &&
                   static_cast<unsigned char>(s[k]) <= 0xFE;
        };
        if (c == 0x8E && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) >= 0xA1 &&
            static_cast<unsigned char>(s[i + 1]) <= 0xDF) {  // half-width kana
            ++i;
            continue;
        }
        if (c == 0x8F && high(i + 1) && high(i + 2)) {
            i += 2;
            ++r.doubles;
            continue;
        }
        if (c >= 0xA1 && c <= 0xFE && high(i + 1)) {
            if (c == 0xA4 || c == 0xA5) ++r.kana;
            ++i;
            ++r.doubles;
            continue;
        }
        r.valid = false;
        return r;
    }
    return r;
}

// Canonical name → the converter that reads it the way senders mean it.
std::string converter_for(const std::string& name) {
    static constexpr std::array<std::pair<std::string_view, std::string_view>, 12> table{{
        {"shift_jis", "CP932"},
        {"euc-jp", "EUC-JP-MS"},
        {"iso-8859-1", "WINDOWS-1252"},  // as every browser does: C1 bytes are 1252 letters
        {"us-ascii", "WINDOWS-1252"},
        {"gb2312", "GB18030"},
        {"gbk", "GB18030"},
        {"euc-kr", "CP949"},
        {"big5", "BIG5-HKSCS"},
        {"tis-620", "CP874"},
        {"iso-8859-11", "CP874"},
        {"iso-8859-8-i", "ISO-8859-8"},
        {"utf-7", "UTF-7"},
    }};
    for (const auto& [from, to] : table)
        if (name == from) return std::string(to);
    return name;
}

std::string convert(std::string_view bytes, const std::string& name,
                    std::vector<std::string>* warnings, bool& known) {
    std::string out;
    std::size_t bad = 0;
    known = true;
    if (name == "utf-8") {
        if (detail::valid_utf8(bytes)) return std::string(bytes);
        out = core::sanitize_utf8(bytes);
        warn(warnings, "text declared utf-8 has invalid byte sequences; replaced with U+FFFD");
        return out;
    }
    if (name == "iso-2022-jp") {
        std::size_t unterminated = 0;
        out = detail::iso2022jp_to_utf8(bytes, bad, unterminated);
        if (unterminated)
            warn(warnings, "iso-2022-jp text has lines that end in a double-byte mode");
    } else if (!detail::convert_to_utf8(bytes, converter_for(name), out, bad)) {
        known = false;
        return {};
    }
    if (bad)
        warn(warnings, std::to_string(bad) + " invalid byte sequence(s) in " + name +
                           " text; replaced with U+FFFD");
    return out;
}

bool is_japanese_8bit(const std::string& name) {
    return name == "shift_jis" || name == "euc-jp";
}

}  // namespace

namespace detail {

namespace {
thread_local const std::string* current_hint = nullptr;
const std::string no_hint;
}  // namespace

bool valid_in(std::string_view bytes, std::string_view charset) {
    if (charset == "shift_jis") return score_sjis(bytes).valid;
    if (charset == "euc-jp") return score_eucjp(bytes).valid;
    return false;
}

CharsetHintScope::CharsetHintScope(std::string hint)
    : hint_(std::move(hint)), previous_(current_hint) {
    current_hint = &hint_;
}
CharsetHintScope::~CharsetHintScope() {
    current_hint = previous_;
}
const std::string& CharsetHintScope::current() {
    return current_hint ? *current_hint : no_hint;
}

}  // namespace detail

std::string normalize_charset_name(std::string_view charset) {
    // The common, already canonical names skip the alias table.
    for (std::string_view common : {"utf-8", "us-ascii", "iso-2022-jp", "shift_jis", "euc-jp"})
        if (charset == common) return std::string(common);
    std::string_view s = core::trim(charset);
    while (!s.empty() && (s.front() == '"' || s.front() == '\'')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == '"' || s.back() == '\'')) s.remove_suffix(1);
    if (auto star = s.find('*'); star != std::string_view::npos) s = s.substr(0, star);
    std::string n = core::to_lower_ascii(core::trim(s));
    static constexpr std::array<std::pair<std::string_view, std::string_view>, 37> aliases{{
        {"utf8", "utf-8"},
        {"unicode-1-1-utf-8", "utf-8"},
        {"x-unicode20utf8", "utf-8"},
        {"ascii", "us-ascii"},
        {"ansi_x3.4-1968", "us-ascii"},
        {"iso646-us", "us-ascii"},
        {"us", "us-ascii"},
        {"shift-jis", "shift_jis"},
        {"sjis", "shift_jis"},
        {"x-sjis", "shift_jis"},
        {"ms_kanji", "shift_jis"},
        {"csshiftjis", "shift_jis"},
        {"windows-31j", "shift_jis"},
        {"cp932", "shift_jis"},
        {"ms932", "shift_jis"},
        {"x-ms-cp932", "shift_jis"},
        {"windows-932", "shift_jis"},
        {"eucjp", "euc-jp"},
        {"x-euc-jp", "euc-jp"},
        {"cseucpkdfmtjapanese", "euc-jp"},
        {"euc-jp-ms", "euc-jp"},
        {"eucjp-ms", "euc-jp"},
        {"csiso2022jp", "iso-2022-jp"},
        {"iso-2022-jp-ms", "iso-2022-jp"},
        {"cp50220", "iso-2022-jp"},
        {"cp50221", "iso-2022-jp"},
        {"cp50222", "iso-2022-jp"},
        {"iso-2022-jp-1", "iso-2022-jp"},
        {"jis", "iso-2022-jp"},
        {"latin1", "iso-8859-1"},
        {"iso8859-1", "iso-8859-1"},
        {"iso_8859-1", "iso-8859-1"},
        {"l1", "iso-8859-1"},
        {"ks_c_5601-1987", "euc-kr"},
        {"ks_c_5601", "euc-kr"},
        {"x-gbk", "gbk"},
        {"cp1252", "windows-1252"},
    }};
    for (const auto& [from, to] : aliases)
        if (n == from) return std::string(to);
    return n;
}

std::string detect_charset(std::string_view bytes) {
    if (is_ascii(bytes)) return has_iso2022jp_escape(bytes) ? "iso-2022-jp" : "us-ascii";
    if (detail::valid_utf8(bytes)) return "utf-8";
    JapaneseScore sjis = score_sjis(bytes);
    JapaneseScore euc = score_eucjp(bytes);
    bool sjis_ok = sjis.valid && sjis.doubles >= 2 && sjis.kana >= 1;
    bool euc_ok = euc.valid && euc.doubles >= 2 && euc.kana >= 1;
    if (sjis_ok && !euc_ok) return "shift_jis";
    if (euc_ok && !sjis_ok) return "euc-jp";
    if (sjis_ok && euc_ok) {
        if (sjis.kana >= 2 * euc.kana) return "shift_jis";
        if (euc.kana >= 2 * sjis.kana) return "euc-jp";
    }
    return "";
}

std::string to_utf8(std::string_view bytes, std::string_view charset,
                    std::vector<std::string>* warnings) {
    if (bytes.empty()) return {};
    std::string name = normalize_charset_name(charset);
    std::string label = name.empty() ? std::string("unlabeled") : "declared " + name;
    std::string use = name;
    bool ascii = is_ascii(bytes);

    if (name.empty() || name == "us-ascii" || name == "unknown-8bit" || name == "x-unknown" ||
        name == "default") {
        if (ascii && !has_iso2022jp_escape(bytes)) return std::string(bytes);
        use = detect_charset(bytes);
        if (use.empty()) use = "windows-1252";
        // Unlabeled UTF-8 is legitimate in headers (RFC 6532); anything else is a guess.
        if (!name.empty() || use != "utf-8")
            warn(warnings, label + " text contains 8-bit or escape bytes; read as " + use);
    } else if (name == "iso-2022-jp" && !ascii && !has_iso2022jp_escape(bytes)) {
        use = detect_charset(bytes);
        if (use.empty()) use = "iso-2022-jp";
        if (use != name) warn(warnings, "text declared iso-2022-jp is 8-bit; read as " + use);
    } else if (name != "iso-2022-jp" && ascii && has_iso2022jp_escape(bytes)) {
        use = "iso-2022-jp";
        warn(warnings, label + " text contains iso-2022-jp escapes; read as iso-2022-jp");
    } else if ((name == "utf-8" || is_japanese_8bit(name)) && !ascii) {
        // A Japanese label on UTF-8 bytes (or the reverse) is a common client bug.
        bool utf8_ok = detail::valid_utf8(bytes);
        if (name != "utf-8" && utf8_ok && score_sjis(bytes).valid == false) {
            use = "utf-8";
        } else if (name == "utf-8" && !utf8_ok) {
            std::string guess = detect_charset(bytes);
            if (!guess.empty() && guess != "utf-8") use = guess;
        }
        if (use != name) warn(warnings, label + " text reads as " + use);
    }

    bool known = true;
    std::string out = convert(bytes, use, warnings, known);
    if (!known) {
        std::string guess = detect_charset(bytes);
        if (guess.empty() || guess == "us-ascii") guess = ascii ? "us-ascii" : "windows-1252";
        warn(warnings,
             "unknown charset \"" + std::string(core::trim(charset)) + "\"; read as " + guess);
        out = guess == "us-ascii" ? std::string(bytes) : convert(bytes, guess, warnings, known);
    }
    // iconv and ICU write valid UTF-8; only our own paths could slip (e.g. a "us-ascii" guess).
    if (use != "utf-8" && !detail::valid_utf8(out)) out = core::sanitize_utf8(out);
    return out;
}

}  // namespace cvd::mail
