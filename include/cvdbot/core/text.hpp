#pragma once
// Small string helpers shared by several modules.

#include <string>
#include <string_view>
#include <vector>

namespace cvd::core {

std::string_view trim(std::string_view text);
std::string to_lower_ascii(std::string_view text);
bool iequals_ascii(std::string_view a, std::string_view b);
bool starts_with_icase(std::string_view text, std::string_view prefix);
std::vector<std::string_view> split(std::string_view text, char separator);

// CRLF and lone CR become LF.
std::string to_lf(std::string_view text);

// Replaces every byte sequence that is not valid UTF-8 with U+FFFD, so that anything
// we store or show is valid text.
std::string sanitize_utf8(std::string_view text);
bool is_valid_utf8(std::string_view text);
// No byte above 0x7F.
bool is_ascii(std::string_view text);

// Appends code point `c` as UTF-8; surrogates and values above U+10FFFF become U+FFFD.
void append_utf8(std::string& out, char32_t c);

// Full-width ASCII (U+FF01..U+FF5E, as Japanese input methods write
// "［ＣＶＤ＃２０２６－０００１］") and the ideographic space become their ASCII forms; everything
// else is kept.
std::string fold_width(std::string_view utf8);

// RFC 5322 dot-atom: ASCII atext runs separated by single dots.
bool is_dot_atom(std::string_view text);

// local@domain with a dot-atom or quoted local part and a dot-atom or [literal] domain,
// ASCII only, at most 254 bytes. Every module that checks an address uses this one rule,
// so an address accepted anywhere is one the mail composer will also write.
bool is_plausible_addr_spec(std::string_view address);

// The domain of "user@example.test" ("example.test"), or an empty view.
std::string_view address_domain(std::string_view address);

}  // namespace cvd::core
