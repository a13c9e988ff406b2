#pragma once
// The parsed form of one mail message: what the rest of cvdbot reads instead of raw bytes.
// Every string is valid UTF-8; everything odd about the input is listed in `warnings`.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cvdbot/core/time.hpp"

namespace cvd::mail {

struct Address {
    std::string display_name;  // decoded UTF-8, quotes removed
    std::string address;       // addr-spec as written (trimmed, no angle brackets)

    bool operator==(const Address&) const = default;
};

// Why a message must not be answered by the bot. `bulk` covers Precedence bulk/junk/list
// and mailing-list traffic (List-Id).
enum class AutomaticKind { none, auto_reply, bounce, bulk };

const char* to_string(AutomaticKind kind);

struct Attachment {
    std::string filename;      // decoded UTF-8 (RFC 2231 / RFC 2047), may be empty
    std::string content_type;  // lower-case "type/subtype"
    std::string bytes;         // transfer-decoded content; empty while `deferred`
    // Set only by parse_message_deferred(), for a large part: `encoded` is its body as it stands
    // in the raw message (a view into it) and `transfer_encoding` its lower-case
    // Content-Transfer-Encoding. Nothing is decoded until content() asks: a 25 MB capture that
    // nobody reads costs no memory.
    bool deferred = false;
    std::string_view encoded;
    std::string transfer_encoding;

    // The transfer-decoded content: `bytes`, or for a deferred attachment the encoded body
    // itself (7bit, 8bit, binary) or `scratch` filled by decoding it.
    std::string_view content(std::string& scratch) const;
    // At most the first `max` bytes of the content, decoding little more than that.
    std::string content_prefix(std::size_t max) const;
};

struct Message {
    std::optional<Address> from;
    std::vector<Address> to, cc, reply_to;
    std::string subject;                   // RFC 2047 decoded, unfolded, UTF-8
    std::string message_id;                // without angle brackets; empty if none
    std::vector<std::string> in_reply_to;  // ids without brackets
    std::vector<std::string> references;
    std::optional<core::Timestamp> date;
    std::string text_body;     // UTF-8 with LF line ends: text/plain, or html converted to text
    std::string text_charset;  // charset the body was declared or detected as (lower case)
    std::vector<Attachment> attachments;
    std::vector<Message> forwarded;  // message/rfc822 parts, bounded by ParseLimits::max_depth
    AutomaticKind automatic = AutomaticKind::none;
    std::vector<std::pair<std::string, std::string>> headers;  // top-level, names as written
    std::vector<std::string> warnings;  // every malformation noticed, in plain words

    // First top-level header with this name (ASCII case-insensitive), or nullptr.
    const std::string* header(std::string_view name) const;
};

// Bounds against hostile input. Exceeding one gives a warning and a truncated model.
struct ParseLimits {
    std::size_t max_message_bytes = 50u << 20;
    int max_depth = 16;  // MIME nesting, message/rfc822 included; values above 64 act as 64
    std::size_t max_parts = 500;
    std::size_t max_header_bytes = 256u << 10;  // per header block
    std::size_t max_line_length = 64u << 10;    // longer header lines are cut
};

}  // namespace cvd::mail
