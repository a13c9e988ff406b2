#pragma once
// Turning what the report module read from a participant's mail into workflow event data.

#include <string>
#include <string_view>

#include "cvdbot/domain/types.hpp"
#include "cvdbot/workflow/step.hpp"

namespace cvd::app {

// A new report: its form's kind, missing fields (bilingual labels) and free-form flag.
workflow::ReportReceived read_report(std::string_view text, workflow::ReportReceived event);

// A vendor's or operator's reply: clear statements only; anything doubtful is `unclear`.
// nullopt when the mail states nothing about verification, fix or dates (ordinary mail).
std::optional<workflow::ReplyReading> read_reply(std::string_view text, domain::Role role);

// What someone wrote themselves, for passing on: quoted lines and everything after the
// signature separator removed, at most 16 KiB, valid UTF-8.
std::string own_words(std::string_view text);

// The consent a report form gives: credit wished, contact details may go to the vendor.
domain::Consent consent_from_report(std::string_view text, domain::Consent current);

}  // namespace cvd::app
