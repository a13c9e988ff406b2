// RFC 2047 as clients really write it: words of one charset are joined before conversion
// (encoders split ISO-2022-JP and UTF-8 sequences across words), words glued to text are
// accepted, and raw 8-bit bytes are read with a charset detected from the whole value.

#include "cvdbot/mail/encoded_words.hpp"

#include <optional>

#include "charset_internal.hpp"
#include "cvdbot/core/text.hpp"
#include "cvdbot/mail/charset.hpp"
#include "transfer_coding.hpp"

namespace cvd::mail {
namespace {

struct EncodedWord {
    std::string charset;  // normalized
    std::string bytes;    // decoded, still in `charset`
    std::size_t end = 0;  // index after "?="
    bool b_invalid = false;
};

bool is_wsp(char c) {
    return c == ' ' || c == '\t';
}

// Parses "=?charset?X?text?=" starting at `pos` (which holds "=?").
std::optional<EncodedWord> parse_word(std::string_view s, std::size_t pos) {
    std::size_t cs_end = s.find('?', pos + 2);
    if (cs_end == std::string_view::npos || cs_end == pos + 2 || cs_end - pos > 80)
        return std::nullopt;
    std::string_view charset = s.substr(pos + 2, cs_end - pos - 2);
    for (char c : charset)
        if (is_wsp(c) || c == '=' || static_cast<unsigned char>(c) < 0x21) return std::nullopt;
    if (cs_end + 2 >= s.size() || s[cs_end + 2] != '?') return std::nullopt;
    char enc = s[cs_end + 1];
    if (enc != 'B' && enc != 'b' && enc != 'Q' && enc != 'q') return std::nullopt;
    std::size_t text_start = cs_end + 3;
    std::size_t text_end = s.find("?=", text_start);
    if (text_end == std::string_view::npos) return std::nullopt;
    std::string_view text = s.substr(text_start, text_end - text_start);
    // A real word never spans another word's start; this keeps "=?" in prose literal.
    if (text.find("=?") != std::string_view::npos && (enc == 'B' || enc == 'b'))
        return std::nullopt;
    EncodedWord w;
    w.charset = normalize_charset_name(charset);
    w.end = text_end + 2;
    if (enc == 'B' || enc == 'b') {
        std::size_t invalid = 0;
        w.bytes = detail::decode_base64(text, &invalid);
        w.b_invalid = invalid > 0;
    } else {
        w.bytes = detail::decode_q(text);
    }
    return w;
}

std::string unfold(std::string_view raw) {
    if (raw.find_first_of("\r\n") == std::string_view::npos) return std::string(raw);
    std::string out;
    out.reserve(raw.size());
    for (char c : raw)
        if (c != '\r' && c != '\n') out.push_back(c);
    return out;
}

// Control characters would let a decoded value span lines or hide text: make them spaces.
std::string neutralize_controls(std::string s) {
    for (char& c : s) {
        auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u == 0x7F) c = ' ';
    }
    return s;
}

}  // namespace

std::string decode_header_value(std::string_view raw_value, std::vector<std::string>* warnings) {
    // Most values (Received, Date, ids, ASCII subjects) are plain ASCII without encoded words.
    bool plain = raw_value.find("=?") == std::string_view::npos;
    for (std::size_t i = 0; plain && i < raw_value.size(); ++i) {
        auto c = static_cast<unsigned char>(raw_value[i]);
        if (c >= 0x80 || (c < 0x20 && c != '\t' && c != '\r' && c != '\n') || c == 0x7F)
            plain = false;
    }
    if (plain) return std::string(core::trim(neutralize_controls(unfold(raw_value))));
    std::string s = unfold(raw_value);
    bool had_controls = false;
    for (char c : s)
        if (c == '\0') had_controls = true;
    if (had_controls && warnings) warnings->push_back("header value contains NUL bytes");

    // Raw 8-bit bytes outside encoded words: one charset guess for the whole value.
    std::string plain_bytes;
    std::string out;
    std::string pending;  // decoded bytes of adjacent words in one charset
    std::string pending_charset;
    bool last_was_word = false;
    bool bad_b = false;

    struct Piece {
        bool is_word;
        std::string charset;
        std::string bytes;
    };
    std::vector<Piece> pieces;
    std::size_t i = 0;
    std::size_t text_start = 0;
    auto push_text = [&](std::size_t end) {
        if (end > text_start) {
            std::string t = s.substr(text_start, end - text_start);
            plain_bytes += t;
            pieces.push_back({false, {}, std::move(t)});
        }
    };
    while (i < s.size()) {
        std::size_t pos = s.find("=?", i);
        if (pos == std::string::npos) break;
        auto w = parse_word(s, pos);
        if (!w) {
            i = pos + 2;
            continue;
        }
        push_text(pos);
        bad_b = bad_b || w->b_invalid;
        pieces.push_back({true, std::move(w->charset), std::move(w->bytes)});
        i = w->end;
        text_start = i;
    }
    push_text(s.size());

    std::string plain_charset;
    if (!core::is_ascii(plain_bytes)) {
        plain_charset = detect_charset(plain_bytes);
        if (plain_charset != "utf-8") {
            // 8-bit bytes in a Japanese message are Shift_JIS (or EUC-JP) far more often than
            // Latin-1: ISO-2022-JP clients fall back to the Windows charset for raw headers.
            std::string hint = detail::CharsetHintScope::current();
            if (hint == "iso-2022-jp") hint = "shift_jis";
            if ((hint == "shift_jis" || hint == "euc-jp") && detail::valid_in(plain_bytes, hint))
                plain_charset = hint;
        }
        if (plain_charset.empty()) plain_charset = "windows-1252";
        if (plain_charset != "utf-8" && warnings)
            warnings->push_back("header contains raw 8-bit bytes; read as " + plain_charset);
    }

    auto flush = [&] {
        if (!pending_charset.empty() || !pending.empty())
            out += to_utf8(pending, pending_charset, warnings);
        pending.clear();
        pending_charset.clear();
    };
    for (std::size_t k = 0; k < pieces.size(); ++k) {
        Piece& p = pieces[k];
        if (p.is_word) {
            if (last_was_word && p.charset == pending_charset) {
                pending += p.bytes;  // whitespace between adjacent words is dropped
            } else {
                flush();
                pending_charset = p.charset.empty() ? "us-ascii" : p.charset;
                pending = std::move(p.bytes);
            }
            last_was_word = true;
            continue;
        }
        bool only_space = true;
        for (char c : p.bytes)
            if (!is_wsp(c)) only_space = false;
        if (only_space && last_was_word && k + 1 < pieces.size() && pieces[k + 1].is_word)
            continue;  // linear whitespace between two encoded words
        flush();
        last_was_word = false;
        if (plain_charset.empty() || plain_charset == "utf-8")
            out += p.bytes;
        else
            out += to_utf8(p.bytes, plain_charset, nullptr);
    }
    flush();
    if (bad_b && warnings) warnings->push_back("encoded word has invalid base64");
    if (!detail::valid_utf8(out)) out = core::sanitize_utf8(out);
    return std::string(core::trim(neutralize_controls(std::move(out))));
}

std::vector<std::string> encode_words(std::string_view utf8, std::size_t first_budget) {
    constexpr std::size_t overhead = 12;  // "=?utf-8?B?" + "?="
    std::vector<std::string> words;
    std::size_t i = 0;
    std::size_t budget = first_budget < overhead + 4 ? 75 : std::min<std::size_t>(first_budget, 75);
    while (i < utf8.size()) {
        std::size_t max_bytes = (budget - overhead) / 4 * 3;
        std::size_t end = i;
        // Whole characters only, so every word decodes on its own.
        while (end < utf8.size()) {
            std::size_t len = 1;
            auto c = static_cast<unsigned char>(utf8[end]);
            if (c >= 0xF0)
                len = 4;
            else if (c >= 0xE0)
                len = 3;
            else if (c >= 0xC0)
                len = 2;
            if (end + len > utf8.size()) len = utf8.size() - end;
            if (end + len - i > max_bytes && end > i) break;
            end += len;
        }
        std::string encoded = detail::encode_base64_lines(utf8.substr(i, end - i));
        while (!encoded.empty() && (encoded.back() == '\n' || encoded.back() == '\r'))
            encoded.pop_back();
        std::string word = "=?utf-8?B?";
        for (char c : encoded)
            if (c != '\r' && c != '\n') word.push_back(c);
        word += "?=";
        words.push_back(std::move(word));
        i = end;
        budget = 75;
    }
    return words;
}

}  // namespace cvd::mail
