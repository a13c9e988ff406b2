#include "cvdbot/mail/message.hpp"

#include "cvdbot/core/text.hpp"

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

}  // namespace cvd::mail
