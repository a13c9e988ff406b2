#pragma once
// The MIME tree walk behind parse_message (internal).

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "cvdbot/mail/message.hpp"
#include "header_block.hpp"

namespace cvd::mail::detail {

struct WalkState {
    ParseLimits limits;
    std::size_t parts = 0;
    bool parts_warned = false;
    std::string japanese_charset;  // of the first Japanese text part seen: a hint for raw names
    // parse_message_deferred(): attachments of at least defer_from bytes inside defer_source
    // (the caller's raw message) stay encoded. 0: everything is decoded.
    std::size_t defer_from = 0;
    std::string_view defer_source;
};

// What a subtree contributes to its message.
struct Collected {
    std::string text;
    bool text_from_plain = false;
    bool has_text = false;
    std::string charset;
    std::vector<Attachment> attachments;
    std::vector<Message> forwarded;
    bool delivery_status = false;  // a message/delivery-status part was seen
};

// Parses one complete message (header and body) at MIME depth `depth`.
Message parse_at_depth(std::string_view raw, WalkState& state, int depth);

// Walks the entity whose header is `header` and whose body is `body`.
void walk_entity(const HeaderBlock& header, std::string_view body, WalkState& state, int depth,
                 std::string_view default_type, const std::string& where, Collected& out,
                 std::vector<std::string>& warnings);

}  // namespace cvd::mail::detail
