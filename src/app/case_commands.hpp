#pragma once
// `cvdbot case ...`: the coordinator's views of the case file.

#include <ostream>
#include <string>

#include "cvdbot/store/store.hpp"

namespace cvd::app {

core::Status print_case_list(store::Store& store, const store::CaseFilter& filter, bool json, std::ostream& out);
core::Status print_case(store::Store& store, const std::string& case_id, bool json, std::ostream& out,
                        const std::string& default_language = "ja");
// Every message of the case (in and out) as an mboxrd file, for handing over or archiving.
core::Status export_case_mbox(store::Store& store, const std::string& case_id, std::ostream& out);

}  // namespace cvd::app
