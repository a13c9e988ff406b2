#pragma once
// Which case and thread does an inbound message belong to? In order: a per-thread reply
// address (bot+<token>@domain, an unguessable token per participant), the case tag in the
// subject, In-Reply-To/References against every stored Message-ID, and a ticket number
// the sender's own system put in earlier subjects on the case.

#include <optional>
#include <string>
#include <vector>

#include "cvdbot/core/result.hpp"
#include "cvdbot/domain/types.hpp"
#include "cvdbot/mail/message.hpp"
#include "cvdbot/store/store.hpp"

namespace cvd::app {

// "bot+<token>@example.test" for bot address "bot@example.test".
std::string reply_address(const std::string& bot_address, const std::string& token);
// The token of a reply address of this bot, if `address` is one.
std::optional<std::string> reply_token_of(const std::string& bot_address, std::string_view address);

// Ticket-like tokens in a subject ("[PSIRT-1234]", "INC#20417", "#123456"), without our own
// case tag.
std::vector<std::string> ticket_candidates(std::string_view subject, std::string_view case_prefix);

struct ThreadMatch {
    std::optional<domain::Case> found;
    std::optional<std::int64_t> thread_participant;  // whose thread the match points at
    std::string how;  // "reply address", "subject tag", "references", "ticket number"; empty when none
    std::optional<core::CaseId> named_but_unknown;   // a tag naming no case we have
};

core::Result<ThreadMatch> find_thread(store::Store& store, const mail::Message& message, const std::string& sender,
                                      const std::string& bot_address, const std::string& prefix);

}  // namespace cvd::app
