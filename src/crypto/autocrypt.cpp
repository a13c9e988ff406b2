#include "cvdbot/crypto/autocrypt.hpp"

#include "base64.hpp"
#include "cvdbot/core/text.hpp"

namespace cvd::crypto {

using core::ErrorKind;
using core::make_error;

core::Result<AutocryptHeader> parse_autocrypt(std::string_view value) {
    AutocryptHeader h;
    bool have_addr = false;
    bool have_keydata = false;
    for (std::string_view part : core::split(value, ';')) {
        part = core::trim(part);
        if (part.empty()) continue;
        const std::size_t eq = part.find('=');
        if (eq == std::string_view::npos)
            return make_error(ErrorKind::invalid_input, "Autocrypt header attribute \"" +
                                                            std::string(part.substr(0, 40)) +
                                                            "\" has no value");
        const std::string name = core::to_lower_ascii(core::trim(part.substr(0, eq)));
        const std::string_view attr = core::trim(part.substr(eq + 1));
        if (name == "addr") {
            h.address = core::to_lower_ascii(attr);
            have_addr = true;
        } else if (name == "prefer-encrypt") {
            h.prefer_encrypt_mutual = attr == "mutual";
        } else if (name == "keydata") {
            auto bytes = detail::decode_base64(attr);
            if (!bytes || bytes->empty())
                return make_error(ErrorKind::invalid_input,
                                  "Autocrypt header keydata is not valid base64");
            h.keydata = std::move(*bytes);
            have_keydata = true;
        } else if (!name.empty() && name.front() != '_') {
            // Level 1: an unknown critical attribute makes the whole header invalid.
            return make_error(ErrorKind::invalid_input,
                              "Autocrypt header has an unknown attribute \"" + name + "\"");
        }
    }
    if (!have_addr || h.address.find('@') == std::string::npos)
        return make_error(ErrorKind::invalid_input, "Autocrypt header has no addr attribute");
    if (!have_keydata)
        return make_error(ErrorKind::invalid_input, "Autocrypt header has no keydata attribute");
    return h;
}

std::string format_autocrypt(std::string_view address, std::string_view key_bytes,
                             bool prefer_encrypt_mutual) {
    std::string out = "addr=" + std::string(address) + ";";
    if (prefer_encrypt_mutual) out += " prefer-encrypt=mutual;";
    out += " keydata=";
    const std::string b64 = detail::encode_base64(key_bytes);
    constexpr std::size_t word = 64;
    for (std::size_t pos = 0; pos < b64.size(); pos += word) {
        if (pos > 0) out += ' ';
        out += b64.substr(pos, word);
    }
    return out;
}

}  // namespace cvd::crypto
