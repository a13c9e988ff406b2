#pragma once
// Whether the bot may send one more reply of its own, given how many it sent recently.
// Pure: the caller counts (from the audit log) and records the verdict.

#include <string>

#include "cvdbot/rules/rule_set.hpp"

namespace cvd::workflow {

struct RecentReplies {
    int to_recipient = 0;  // replies to this address within the window
    int in_case = 0;       // replies within this case within the window (0 without a case)
};

struct ReplyVerdict {
    bool send = true;
    std::string reason;  // why not, for the audit log
};

ReplyVerdict decide_reply(const rules::LimitRules& limits, const RecentReplies& recent);

}  // namespace cvd::workflow
