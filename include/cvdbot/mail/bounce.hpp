#pragma once
// Bounce reports: which recipient failed, why, and whether it is worth retrying. Read from an
// RFC 3464 delivery-status part when there is one, else from the common non-standard forms
// (Exim's X-Failed-Recipients, qmail, sendmail and Postfix text, Japanese MTAs).

#include <optional>
#include <string>
#include <vector>

#include "cvdbot/mail/message.hpp"

namespace cvd::mail {

enum class DeliveryFailure { permanent, temporary, unknown };

const char* to_string(DeliveryFailure failure);

struct BounceRecipient {
    std::string address;     // addr-spec of the failed recipient
    std::string status;      // RFC 3463 "5.1.1", or an SMTP code "550" when that is all there is
    std::string action;      // RFC 3464 action in lower case ("failed", "delayed"), or ""
    std::string diagnostic;  // Diagnostic-Code text, or the line the failure was read from
    DeliveryFailure failure = DeliveryFailure::unknown;

    bool operator==(const BounceRecipient&) const = default;
};

struct BounceReport {
    std::vector<BounceRecipient> recipients;  // only failed or delayed deliveries
    std::string reporting_mta;
    std::string original_message_id;  // Message-ID of the mail that bounced, if returned
    bool standard = false;            // read from a message/delivery-status part
};

// nullopt unless `m.automatic` is bounce or the message carries a delivery-status part.
std::optional<BounceReport> parse_bounce(const Message& m);

// From an RFC 3463 enhanced status ("5.1.1") or an SMTP reply code ("550", "421").
DeliveryFailure failure_from_status(std::string_view status);

}  // namespace cvd::mail
