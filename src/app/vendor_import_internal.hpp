#pragma once
// Shared by the CSV and TOML vendor readers; not used elsewhere.

#include <optional>
#include <string_view>

#include "vendor_import.hpp"

namespace cvd::app {

// yes/no, true/false, 1/0 (ASCII case ignored); empty is no.
std::optional<bool> parse_yes_no(std::string_view text);

// Normalizes every vendor of the file, adds what the directory would refuse (at the vendor's
// line, skipping problems already reported there) and names repeated in the file, then sorts
// the problems by line.
void check_vendor_file(VendorFile& file);

}  // namespace cvd::app
