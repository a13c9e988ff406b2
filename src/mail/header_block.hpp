#pragma once
// Splitting an entity into header fields and body. Our own code, not mimetic's: mimetic has
// no header size bound and slows down quadratically on a long header line (5 MB: 6 s).

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "cvdbot/mail/message.hpp"

namespace cvd::mail::detail {

struct RawField {
    std::string name;   // as written, trimmed
    std::string value;  // raw bytes, unfolded (line breaks removed, folding whitespace kept)
};

struct HeaderBlock {
    std::vector<RawField> fields;
    std::string_view body;  // everything after the blank line (or where the header ended)

    // First field with this name (ASCII case-insensitive), or nullptr.
    const std::string* find(std::string_view name) const;
};

// `where` names the entity in warnings ("message", "part 2", ...).
HeaderBlock parse_header_block(std::string_view entity, const ParseLimits& limits,
                               std::vector<std::string>& warnings, std::string_view where);

}  // namespace cvd::mail::detail
