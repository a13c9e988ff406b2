#pragma once
// How cvdbot reads a message, for people (`cvdbot mail inspect`) and for golden tests.

#include <string>

#include "cvdbot/mail/message.hpp"

namespace cvd::mail {

struct DescribeOptions {
    std::string case_prefix;      // e.g. "CVD": also show the case tag; empty = do not look
    bool include_body = true;     // the chosen text body
    bool include_headers = true;  // every top-level header, decoded
};

// A plain-text report: addresses, threading keys, case tag, automatic/bounce verdict,
// attachments, forwarded messages, warnings, then the text body.
std::string describe_message(const Message& m, const DescribeOptions& options = {});

// The same as JSON (UTF-8, 2-space indent; attachments as size and SHA-256, not bytes).
std::string message_to_json(const Message& m, const DescribeOptions& options = {});

}  // namespace cvd::mail
