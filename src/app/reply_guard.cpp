#include "reply_guard.hpp"

#include <spdlog/spdlog.h>

#include "cvdbot/domain/types.hpp"
#include "cvdbot/workflow/reply_limit.hpp"

namespace cvd::app {

core::Result<bool> admit_reply(store::Store& store, const rules::LimitRules& limits, const std::string& template_name,
                               const std::string& recipient, std::optional<std::int64_t> case_row_id,
                               std::optional<std::int64_t> message_row_id, core::Timestamp now) {
    const auto address = domain::normalize_address(recipient);
    auto counts = store.count_audit("auto_reply", address, case_row_id, now - limits.window);
    if (!counts) return counts.error();
    const auto verdict = workflow::decide_reply(limits, {counts->first, case_row_id ? counts->second : 0});
    if (!verdict.send) {
        spdlog::warn("not sending {} to {}: {}", template_name, address, verdict.reason);
        if (auto s = store.audit({0, case_row_id, now, "bot", "reply_suppressed",
                                  template_name + " to " + address + ": " + verdict.reason, message_row_id});
            !s)
            return s.error();
        return false;
    }
    if (auto s = store.audit({0, case_row_id, now, "bot", "auto_reply", address, message_row_id}); !s) return s.error();
    return true;
}

}  // namespace cvd::app
