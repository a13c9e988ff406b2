#pragma once

#include <string>
#include <string_view>

namespace cvd::core {

// Lower-case hex SHA-256 of the bytes: the content hash used to recognise a message
// seen before under another UID.
std::string sha256_hex(std::string_view bytes);

// 128 random bits as hex, for Message-IDs and similar tokens.
std::string random_token();

}  // namespace cvd::core
