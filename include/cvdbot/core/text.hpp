#pragma once
// Small string helpers shared by several modules.

#include <string>
#include <string_view>
#include <vector>

namespace cvd::core {

std::string_view trim(std::string_view text);
std::string to_lower_ascii(std::string_view text);
bool iequals_ascii(std::string_view a, std::string_view b);
bool starts_with_icase(std::string_view text, std::string_view prefix);
std::vector<std::string_view> split(std::string_view text, char separator);

// Replaces every byte sequence that is not valid UTF-8 with U+FFFD, so that anything
// we store or show is valid text.
std::string sanitize_utf8(std::string_view text);
bool is_valid_utf8(std::string_view text);

// The domain of "user@example.test" ("example.test"), or an empty view.
std::string_view address_domain(std::string_view address);

}  // namespace cvd::core
