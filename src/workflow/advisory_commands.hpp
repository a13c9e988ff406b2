#pragma once
// Reading the command lines that set facts of the public advisory. Internal to workflow.

#include <optional>
#include <string>

#include "cvdbot/workflow/commands.hpp"

namespace cvd::workflow::detail {

// nullopt and an empty `error`: the line is no advisory command (try the others).
// nullopt and an `error`: it is one, written wrongly.
std::optional<AdvisoryFactCommand> parse_advisory_fact(const std::string& line, std::string& error);

}  // namespace cvd::workflow::detail
