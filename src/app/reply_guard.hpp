#pragma once
// The reply limits at work: before the bot queues a reply of its own, count its recent ones
// in the audit log, ask the pure rule, and record either the reply or its suppression. Call
// inside the transaction that queues the reply, so a crash counts neither or both.

#include <optional>
#include <string>

#include "cvdbot/core/result.hpp"
#include "cvdbot/rules/rule_set.hpp"
#include "cvdbot/store/store.hpp"

namespace cvd::app {

// True: queue it (recorded as auto_reply). False: do not (recorded as reply_suppressed).
core::Result<bool> admit_reply(store::Store& store, const rules::LimitRules& limits, const std::string& template_name,
                               const std::string& recipient, std::optional<std::int64_t> case_row_id,
                               std::optional<std::int64_t> message_row_id, core::Timestamp now);

}  // namespace cvd::app
