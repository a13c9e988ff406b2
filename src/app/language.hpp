#pragma once
// Which language a participant is written to in, and why (shown by `case show`).

#include <string>
#include <vector>

#include "cvdbot/core/result.hpp"
#include "cvdbot/domain/types.hpp"
#include "cvdbot/store/records.hpp"

namespace cvd::app {

struct LanguageChoice {
    std::string language;  // "ja" or "en"
    std::string source;    // "preference", "their mail" or "default"
};

// The participant's stored preference, else the language of the last mail they sent on the
// case (`case_messages`, any order), else `fallback`.
LanguageChoice choose_language(const domain::Participant& participant,
                               const std::vector<store::StoredMessage>& case_messages, const std::string& fallback);

}  // namespace cvd::app
