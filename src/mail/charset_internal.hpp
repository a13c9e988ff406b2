#pragma once
// Conversion primitives shared by charset.cpp and iso2022jp.cpp.

#include <cstddef>
#include <string>
#include <string_view>

namespace cvd::mail::detail {

// Converts with a cached iconv (or ICU) converter from `charset` to UTF-8, replacing each
// invalid sequence with U+FFFD. Returns false (and leaves `out` alone) when neither library
// knows the charset. `bad` counts replaced sequences.
bool convert_to_utf8(std::string_view bytes, const std::string& charset, std::string& out,
                     std::size_t& bad);

// ISO-2022-JP (any of its common variants, Microsoft extensions included) → UTF-8.
std::string iso2022jp_to_utf8(std::string_view bytes, std::size_t& bad,
                              std::size_t& unterminated_lines);

void append_replacement(std::string& out);

// core::is_valid_utf8 with an ASCII fast path (8 bytes at a time): bodies are mostly ASCII
// and are validated at least once each.
bool valid_utf8(std::string_view s);

// core::is_valid_utf8 with an ASCII fast path (8 bytes at a time): bodies are mostly ASCII
// and are validated at least once each.
bool valid_utf8(std::string_view s);

// Whether `bytes` are well-formed in a Japanese multibyte charset ("shift_jis", "euc-jp").
bool valid_in(std::string_view bytes, std::string_view charset);

// The charset that raw 8-bit header bytes most likely use in the message being parsed (its
// Japanese body charset), consulted when the bytes alone are ambiguous: "山本" in Shift_JIS is
// also valid windows-1252. Thread-local and scoped, so the public decoding API stays simple.
class CharsetHintScope {
  public:
    explicit CharsetHintScope(std::string hint);
    ~CharsetHintScope();
    CharsetHintScope(const CharsetHintScope&) = delete;
    CharsetHintScope& operator=(const CharsetHintScope&) = delete;
    static const std::string& current();

  private:
    std::string hint_;
    const std::string* previous_;
};

}  // namespace cvd::mail::detail
