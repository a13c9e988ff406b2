#pragma once
// Base64 for armor and Autocrypt keydata (internal; crypto depends only on core).

#include <optional>
#include <string>
#include <string_view>

namespace cvd::crypto::detail {

// Whitespace is skipped; any other character outside the alphabet, or bad padding, fails.
std::optional<std::string> decode_base64(std::string_view text);
std::string encode_base64(std::string_view bytes);

}  // namespace cvd::crypto::detail
