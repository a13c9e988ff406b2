#pragma once
// RFC 2047 encoded words, both ways.

#include <string>
#include <string_view>
#include <vector>

namespace cvd::mail {

// Unfolds and decodes a header value to UTF-8: encoded words (adjacent ones joined, words of
// one charset split mid-character rejoined), broken ones best-effort, raw 8-bit bytes
// detected. Control characters (CR, LF, NUL, ...) come out as spaces, so a decoded value can
// never span lines. Problems are appended to `warnings`.
std::string decode_header_value(std::string_view raw_value,
                                std::vector<std::string>* warnings = nullptr);

// UTF-8 text → one or more "=?utf-8?B?...?=" words, each at most 75 characters and never
// splitting a character. `first_budget` is the room for the first word (the rest of the line).
std::vector<std::string> encode_words(std::string_view utf8, std::size_t first_budget = 75);

}  // namespace cvd::mail
