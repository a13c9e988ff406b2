#pragma once
// Recognising mail the bot must never answer (internal).

#include "cvdbot/mail/message.hpp"

namespace cvd::mail::detail {

// `top_type` is the lower-case top-level content type with its report-type parameter,
// `delivery_status` whether a message/delivery-status part was seen.
AutomaticKind classify_automatic(const Message& m, std::string_view top_type,
                                 std::string_view report_type, bool delivery_status);

}  // namespace cvd::mail::detail
