#pragma once
// The vector reader the v3.1 and v4.0 parsers share; not part of the module's interface.

#include <map>
#include <string>

#include "cvdbot/core/result.hpp"

namespace cvd::advisory::internal {

// "PREFIX/AA:B/CC:D": each metric once, each value one character; the order is not checked.
core::Result<std::map<std::string, char>> read_metrics(const std::string& vector,
                                                       const std::string& prefix);

}  // namespace cvd::advisory::internal
