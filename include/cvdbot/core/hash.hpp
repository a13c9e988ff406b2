#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace cvd::core {

// Lower-case hex SHA-256 of the bytes: the content hash used to recognise a message
// seen before under another UID.
std::string sha256_hex(std::string_view bytes);

// Lower-case hex of the bytes.
std::string to_hex(std::string_view bytes);
// The bytes of a hex string (either case); nullopt for an odd length or a non-hex digit.
std::optional<std::string> from_hex(std::string_view text);

// 128 random bits as hex, for Message-IDs and similar tokens.
std::string random_token();

}  // namespace cvd::core
