#include "cvdbot/mail/message.hpp"

#include "cvdbot/core/text.hpp"
#include "transfer_coding.hpp"

namespace cvd::mail {

const char* to_string(AutomaticKind kind) {
    switch (kind) {
        case AutomaticKind::none:
            return "none";
        case AutomaticKind::auto_reply:
            return "auto_reply";
        case AutomaticKind::bounce:
            return "bounce";
        case AutomaticKind::bulk:
            return "bulk";
    }
    return "none";
}

const std::string* Message::header(std::string_view name) const {
    for (const auto& [n, v] : headers)
        if (core::iequals_ascii(n, name)) return &v;
    return nullptr;
}

std::string_view Attachment::content(std::string& scratch) const {
    if (!deferred) return bytes;
    if (transfer_encoding == "base64") {
        scratch = detail::decode_base64(encoded);
        return scratch;
    }
    if (transfer_encoding == "quoted-printable") {
        scratch = detail::decode_quoted_printable(encoded);
        return scratch;
    }
    return encoded;  // 7bit, 8bit, binary, or unknown and read as is (as the parser does)
}

std::string Attachment::content_prefix(std::size_t max) const {
    if (!deferred) return bytes.substr(0, max);
    if (transfer_encoding == "base64") {
        // Four characters give three bytes; line ends and noise make the cut a little later.
        const std::size_t take = max / 3 * 4 + max / 16 + 64;
        if (take >= encoded.size()) return detail::decode_base64(encoded).substr(0, max);
        std::string out = detail::decode_base64(encoded.substr(0, take));
        // The last quantum may be cut in two: its bytes are not yet what they will be.
        out.resize(out.size() > 3 ? out.size() - 3 : 0);
        if (out.size() > max) out.resize(max);
        return out;
    }
    std::string scratch;
    return std::string(content(scratch).substr(0, max));
}

}  // namespace cvd::mail
