#pragma once
// The little MIME that PGP/MIME needs from the raw bytes (internal to pgp_open/pgp_compose).
// The mail parser's model is deliberately flat (text body + attachments), but a detached
// signature covers the exact bytes of a MIME part, so those must be cut from the raw message.
// Bounded and forgiving like the parser: malformed input gives empty results, never a throw.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cvd::app::pgp {

struct Entity {
    std::string_view header;  // header fields, without the empty line that ends them
    std::string_view body;    // everything after that empty line
};

// Splits at the first empty line (CRLF or LF); no empty line = all header.
Entity split_entity(std::string_view raw);

// Each header field with its continuation lines, line ends included.
std::vector<std::string_view> header_fields(std::string_view header);
// "Content-Type" of "Content-Type: text/plain" (as written).
std::string_view field_name(std::string_view field);
// Unfolded, trimmed value of the first field called `name` (ASCII case-insensitive).
std::optional<std::string> header_value(std::string_view header, std::string_view name);

struct ContentType {
    std::string type = "text/plain";            // lower case
    std::map<std::string, std::string> params;  // lower-case names, unquoted values

    std::string param(const std::string& name) const;
};
ContentType parse_content_type(std::string_view value);
// The entity's Content-Type (text/plain when absent).
ContentType content_type_of(std::string_view header);

// The parts of a multipart body, each without the line end that precedes the next delimiter
// (RFC 2046: it belongs to the delimiter). Empty when the boundary never occurs.
std::vector<std::string_view> split_multipart(std::string_view body, std::string_view boundary,
                                              std::size_t max_parts = 100);

// Content-Transfer-Encoding decoding (base64, quoted-printable; others as they are).
std::string decode_transfer(std::string_view body, std::string_view encoding);

// Every line end as CRLF (bare LF and bare CR alike): the canonical form of signed MIME.
std::string to_crlf(std::string_view text);
// (Every line end as LF, as the parser's text bodies have them: core::to_lf.)

// Does `text` start with a MIME header block that declares a Content-Type? (A decrypted
// PGP/MIME payload does; a decrypted inline message usually does not.)
bool looks_like_entity(std::string_view text);

}  // namespace cvd::app::pgp
