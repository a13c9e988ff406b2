#pragma once
// Raw RFC 5322 / MIME bytes → Message. Malformed mail gives warnings, never a failure.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "cvdbot/mail/message.hpp"

namespace cvd::mail {

// Never throws and never fails: empty input, garbage, NUL bytes and broken MIME all give a
// Message whose `warnings` say what was wrong. Work is linear in the input size (bounded by
// `limits`).
Message parse_message(std::string_view raw, const ParseLimits& limits = {});

// The same, except that attachments whose encoded body has `defer_from` bytes or more are not
// decoded: they stay views into `raw` (Attachment::deferred), decoded by whoever reads them.
// `raw` must outlive the returned Message and every copy of it. Warnings are the same.
inline constexpr std::size_t kDeferAttachmentsFrom = 1u << 20;
Message parse_message_deferred(std::string_view raw, std::size_t defer_from = kDeferAttachmentsFrom,
                               const ParseLimits& limits = {});

// Message-ID / In-Reply-To / References values → ids without brackets, in order, without
// duplicates. Copes with missing brackets, folding, comments and junk between ids.
std::vector<std::string> parse_message_ids(std::string_view value);

}  // namespace cvd::mail
