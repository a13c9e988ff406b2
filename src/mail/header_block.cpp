#include "header_block.hpp"

#include "cvdbot/core/text.hpp"

namespace cvd::mail::detail {
namespace {

// A field name is printable ASCII without ':' and spaces (RFC 5322 ftext). We also accept a
// few spaces before the colon, which some scripts write.
std::size_t field_colon(std::string_view line) {
    std::size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0 || colon > 200) return std::string_view::npos;
    std::string_view name = line.substr(0, colon);
    std::size_t end = name.find_last_not_of(" \t");
    if (end == std::string_view::npos) return std::string_view::npos;
    for (std::size_t i = 0; i <= end; ++i) {
        auto c = static_cast<unsigned char>(name[i]);
        if (c < 33 || c > 126) return std::string_view::npos;
    }
    return colon;
}

}  // namespace

const std::string* HeaderBlock::find(std::string_view name) const {
    for (const auto& f : fields)
        if (core::iequals_ascii(f.name, name)) return &f.value;
    return nullptr;
}

HeaderBlock parse_header_block(std::string_view entity, const ParseLimits& limits,
                               std::vector<std::string>& warnings, std::string_view where) {
    HeaderBlock block;
    std::size_t pos = 0;
    std::size_t header_bytes = 0;
    bool over_size = false;
    bool long_line = false;
    bool first = true;
    const std::string w(where);
    while (pos < entity.size()) {
        std::size_t eol = entity.find('\n', pos);
        std::size_t next = eol == std::string_view::npos ? entity.size() : eol + 1;
        std::string_view line = entity.substr(pos, next - pos);
        while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
        if (line.empty() || line.find_first_not_of(" \t") == std::string_view::npos) {
            if (!line.empty()) warnings.push_back(w + ": header ends with a line of only spaces");
            block.body = entity.substr(next);
            return block;
        }
        if (first && line.substr(0, 5) == "From " &&
            core::trim(line.substr(4)).substr(0, 1) != ":") {  // an mbox separator line
            warnings.push_back(w + ": starts with an mbox \"From \" line; skipped");
            first = false;
            pos = next;
            continue;
        }
        first = false;
        header_bytes += next - pos;
        if (header_bytes > limits.max_header_bytes) {
            if (!over_size)
                warnings.push_back(w + ": header exceeds " +
                                   std::to_string(limits.max_header_bytes) +
                                   " bytes; the rest of it is ignored");
            over_size = true;
            pos = next;
            continue;
        }
        if (line.size() > limits.max_line_length) {
            if (!long_line)
                warnings.push_back(w + ": header line longer than " +
                                   std::to_string(limits.max_line_length) + " bytes; cut");
            long_line = true;
            line = line.substr(0, limits.max_line_length);
        }
        if (line.front() == ' ' || line.front() == '\t') {
            if (block.fields.empty()) {
                warnings.push_back(w + ": header starts with a continuation line; ignored");
            } else {
                block.fields.back().value += line;
            }
            pos = next;
            continue;
        }
        std::size_t colon = field_colon(line);
        if (colon == std::string_view::npos) {
            // No blank line between header and body, or no header at all: the body starts here.
            if (block.fields.empty())
                warnings.push_back(w + ": no header found; everything is body");
            else
                warnings.push_back(w + ": header ended without a blank line");
            block.body = entity.substr(pos);
            return block;
        }
        std::string_view name = core::trim(line.substr(0, colon));
        if (name.size() != colon)
            warnings.push_back(w + ": space before ':' in header \"" + std::string(name) + "\"");
        std::string_view value = line.substr(colon + 1);
        block.fields.push_back({std::string(name), std::string(value)});
        pos = next;
    }
    if (!over_size) {
        if (block.fields.empty())
            warnings.push_back(w + ": empty");
        else
            warnings.push_back(w + ": no body (header not followed by a blank line)");
    }
    block.body = entity.substr(entity.size());
    return block;
}

}  // namespace cvd::mail::detail
