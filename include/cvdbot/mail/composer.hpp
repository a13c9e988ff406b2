#pragma once
// OutgoingMessage → RFC 5322 bytes that every client shows right.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cvdbot/core/result.hpp"
#include "cvdbot/core/time.hpp"
#include "cvdbot/mail/message.hpp"

namespace cvd::mail {

struct OutgoingAttachment {
    std::string filename;      // UTF-8; written as RFC 2231 filename*
    std::string content_type;  // "type/subtype"; empty = application/octet-stream
    std::string bytes;
};

struct OutgoingMessage {
    Address from;
    std::vector<Address> to, cc;
    std::string subject;     // UTF-8
    std::string message_id;  // without brackets; empty = a new one on the From domain
    std::vector<std::string> in_reply_to, references;  // without brackets
    core::Timestamp date;
    std::string text_body;       // UTF-8; any line ends
    std::string auto_submitted;  // e.g. "auto-replied"; empty = omit header
    std::vector<std::pair<std::string, std::string>> extra_headers;
    std::vector<OutgoingAttachment> attachments;
};

// CRLF-terminated RFC 5322 bytes: MIME-Version, text/plain; charset=utf-8 in 7bit (ASCII with
// short lines), quoted-printable (mostly ASCII) or base64; RFC 2047 subject and display names
// folded within 78 columns; multipart/mixed with RFC 2231 file names when there are
// attachments. References longer than 20 ids keep the first and the last 19.
// Fails with ErrorKind::invalid_input when any value from outside contains CR, LF or NUL
// (header injection), an address is not a plausible addr-spec, an extra header's name is not
// a valid field name or clashes with a header the composer writes itself.
core::Result<std::string> compose_message(const OutgoingMessage& message);

// "<128 random bits hex>@domain" without brackets.
std::string make_message_id(std::string_view domain);

}  // namespace cvd::mail
