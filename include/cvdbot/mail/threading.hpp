#pragma once
// Threading keys: what a message says about the conversation it belongs to.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cvdbot/core/case_id.hpp"
#include "cvdbot/mail/message.hpp"

namespace cvd::mail {

// "Re: Fwd: AW: 返信: 転送： Subject" → "Subject": any number of reply and forward prefixes in
// the usual languages, with counters ("Re[2]:", "RE^3:"), width-folded.
std::string strip_subject_prefixes(std::string_view subject);

// The case tag "[PREFIX#YYYY-NNNN]" or "【PREFIX#YYYY-NNNN】" in the (decoded) subject, also when
// written in full-width characters; failing that, in the subjects of forwarded messages.
std::optional<core::CaseId> find_case_tag(const Message& m, std::string_view prefix);

// Message-IDs to look up, most specific first: In-Reply-To, then References newest first.
std::vector<std::string> thread_lookup_ids(const Message& m);

}  // namespace cvd::mail
