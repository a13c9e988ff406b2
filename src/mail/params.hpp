#pragma once
// Structured MIME header values: "token; name=value; name*=utf-8''%E2%80..." (RFC 2045,
// RFC 2231 with continuations and charsets).

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cvd::mail::detail {

struct ParamValue {
    std::string value;  // lower-case leading token, e.g. "multipart/mixed" or "attachment"
    std::vector<std::pair<std::string, std::string>> params;  // lower-case names, raw values

    // Raw value of a parameter (byte-exact: use for boundary and charset), or "".
    std::string raw(std::string_view name) const;
    bool has(std::string_view name) const;
    // A parameter as UTF-8 text: RFC 2231 segments joined and converted, RFC 2047 words and
    // raw 8-bit bytes decoded (as Japanese clients write file names).
    std::string text(std::string_view name, std::vector<std::string>* warnings) const;
};

ParamValue parse_param_value(std::string_view raw, std::vector<std::string>* warnings);

}  // namespace cvd::mail::detail
