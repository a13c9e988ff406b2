#pragma once
// Line and word helpers shared by the report-form and vendor-reply readers. Internal.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cvd::report::scan {

// The text prepared for reading: at most `max_bytes` of it (cut on a character boundary),
// invalid UTF-8 replaced, a BOM dropped, CRLF and lone CR turned into LF.
std::string prepare(std::string_view text, std::size_t max_bytes, bool& was_cut);

// At most `max_bytes` of `text`, never splitting a UTF-8 sequence.
std::string_view cut_utf8(std::string_view text, std::size_t max_bytes);

// Trims ASCII whitespace and the ideographic space U+3000.
std::string_view trim(std::string_view text);

// Drops one list marker from the front: bullets ("・", "- ", "* ", "•", "■", "□", "●", "○",
// "◆", "◇"), numbering ("1.", "1)", "(1)", "１．" after width folding, "①"), then spaces.
std::string_view strip_list_marker(std::string_view text);

// Width-folded, ASCII-lowercased, whitespace collapsed to single spaces, trimmed.
std::string fold(std::string_view text);

// Whether `phrase` occurs in `text` such that an ASCII letter or digit is neither just before
// nor just after it (so "no" does not match "note"). Japanese needs no boundaries.
bool contains_phrase(std::string_view text, std::string_view phrase);

// Blanks out every occurrence (with boundaries) of each phrase; returns whether any matched.
bool erase_phrases(std::string& text, const std::vector<std::string_view>& phrases);

// The first position of ':' or '：' (U+FF1A) in `text`, with the separator's length.
struct ColonAt {
    std::size_t pos = std::string_view::npos;
    std::size_t length = 0;
};
ColonAt find_colon(std::string_view text);

// "はい", "No", "■希望する □希望しない", "[x] yes [ ] no" → true/false; nullopt when the answer
// is missing or says both.
std::optional<bool> read_yes_no(std::string_view value);

}  // namespace cvd::report::scan
