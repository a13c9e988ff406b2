#include "cvdbot/workflow/reply_limit.hpp"

namespace cvd::workflow {

ReplyVerdict decide_reply(const rules::LimitRules& limits, const RecentReplies& recent) {
    const auto window = std::to_string(limits.window.count()) + " s";
    if (recent.to_recipient >= limits.replies_per_sender)
        return {false, std::to_string(recent.to_recipient) + " replies to this address within " + window +
                           " (limit " + std::to_string(limits.replies_per_sender) + ")"};
    if (recent.in_case >= limits.replies_per_case)
        return {false, std::to_string(recent.in_case) + " replies in this case within " + window + " (limit " +
                           std::to_string(limits.replies_per_case) + ")"};
    return {};
}

}  // namespace cvd::workflow
