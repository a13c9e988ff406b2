#pragma once
// The Autocrypt header (Autocrypt Level 1, section 2.1): parsing what a sender offers and
// writing what the bot offers. Only the header value; the caller reads and writes headers.

#include <string>
#include <string_view>

#include "cvdbot/core/result.hpp"

namespace cvd::crypto {

struct AutocryptHeader {
    std::string address;  // addr=, lower-cased
    bool prefer_encrypt_mutual = false;
    std::string keydata;  // binary OpenPGP key (base64 decoded)
};

// Fails with invalid_input when `addr` or `keydata` is missing, keydata is not base64, or a
// critical attribute (one not starting with '_') is unknown: the specification says such a
// header must be ignored as a whole.
core::Result<AutocryptHeader> parse_autocrypt(std::string_view value);

// "addr=...; prefer-encrypt=mutual; keydata=..." with keydata in base64 words of at most 64
// characters separated by spaces, so that a header writer can fold it (Autocrypt readers
// ignore the whitespace).
std::string format_autocrypt(std::string_view address, std::string_view key_bytes,
                             bool prefer_encrypt_mutual = true);

}  // namespace cvd::crypto
