#pragma once
// Reading verification results and fix statuses from words, for parse_vendor_reply. Internal.
// Values are width-folded and lowercased (scan::fold) by the caller.

#include <string>
#include <vector>

#include "cvdbot/report/vendor_reply.hpp"

namespace cvd::report::words {

// A form value ("影響あり", "not affected"); unclear, with a note, when it cannot be read.
Verification verification_of_value(std::string value, std::vector<std::string>& notes);

// Prose: only whole, unambiguous phrases count ("we are not affected", 「影響を受けません」).
Verification verification_of_sentences(std::string text, std::vector<std::string>& notes);

// A form value (form_value) or prose.
FixStatus fix_of(std::string text, bool form_value, std::vector<std::string>& notes);

// A form line left as the template wrote it ("affected | not affected") states nothing.
bool is_unfilled_choice(const std::string& value);

// "no preference", "特になし": an answer that wishes no particular date.
bool is_no_date_wish(const std::string& value);

// Whether a line of prose speaks of publication (so that a date in it is a wished one).
bool mentions_publication(const std::string& text);

}  // namespace cvd::report::words
