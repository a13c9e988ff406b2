#include "language.hpp"

namespace cvd::app {

namespace {
bool supported(const std::string& language) { return language == "ja" || language == "en"; }
}  // namespace

LanguageChoice choose_language(const domain::Participant& participant,
                               const std::vector<store::StoredMessage>& case_messages, const std::string& fallback) {
    if (supported(participant.language)) return {participant.language, "preference"};
    const store::StoredMessage* last = nullptr;
    for (const auto& m : case_messages)
        if (m.direction == domain::Direction::inbound && m.participant_row_id == participant.row_id &&
            supported(m.language) && (!last || m.stored_at >= last->stored_at))
            last = &m;
    if (last) return {last->language, "their mail"};
    return {supported(fallback) ? fallback : "en", "default"};
}

}  // namespace cvd::app
