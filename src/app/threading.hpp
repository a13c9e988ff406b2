#pragma once
// Which case does an inbound message belong to? In order: the per-case reply address
// (bot+<case>@domain), the case tag in the subject, In-Reply-To/References against
// stored Message-IDs.

#include <optional>
#include <string>

#include "cvdbot/core/case_id.hpp"
#include "cvdbot/core/result.hpp"
#include "cvdbot/domain/types.hpp"
#include "cvdbot/mail/message.hpp"
#include "cvdbot/store/store.hpp"

namespace cvd::app {

// "bot+cvd-2026-0001@example.test" for case CVD#2026-0001 and bot address bot@example.test.
std::string case_reply_address(const std::string& bot_address, const core::CaseId& id);
// The case id in a per-case address of this bot, if it is one.
std::optional<core::CaseId> case_from_reply_address(const std::string& bot_address, const std::string& prefix,
                                                    std::string_view address);

struct ThreadMatch {
    std::optional<domain::Case> found;
    std::string how;  // "reply address", "subject tag", "references", or empty
};

core::Result<ThreadMatch> find_thread(store::Store& store, const mail::Message& message,
                                      const std::string& bot_address, const std::string& prefix);

}  // namespace cvd::app
