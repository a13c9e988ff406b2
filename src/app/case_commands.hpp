#pragma once
// `cvdbot case list` and `cvdbot case show ID`: read-only views of the case file.

#include <ostream>
#include <string>

#include "cvdbot/store/store.hpp"

namespace cvd::app {

core::Status print_case_list(store::Store& store, std::ostream& out);
core::Status print_case(store::Store& store, const std::string& case_id, std::ostream& out);

}  // namespace cvd::app
