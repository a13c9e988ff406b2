#pragma once
// Content-Transfer-Encoding decoding and encoding (internal to the mail module).

#include <cstddef>
#include <string>
#include <string_view>

namespace cvd::mail::detail {

// Skips whitespace, counts other non-alphabet bytes in `invalid`, tolerates missing padding
// and padded chunks concatenated mid-stream.
std::string decode_base64(std::string_view in, std::size_t* invalid = nullptr);

// The number of bytes decode_base64 would count in `invalid`, without decoding.
std::size_t count_invalid_base64(std::string_view in);

// Quoted-printable through mimetic: malformed escapes are kept literally. Line ends become LF.
std::string decode_quoted_printable(std::string_view in);

// RFC 2047 "Q": like quoted-printable, with '_' meaning space.
std::string decode_q(std::string_view in);

// Base64 in lines of 76 characters, each ended by CRLF.
std::string encode_base64_lines(std::string_view in);

// Quoted-printable for UTF-8 text with CRLF line ends, lines at most 76 characters.
std::string encode_quoted_printable(std::string_view text_crlf);

}  // namespace cvd::mail::detail
