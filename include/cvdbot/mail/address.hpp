#pragma once
// RFC 5322 address lists, read leniently.

#include <string>
#include <string_view>
#include <vector>

#include "cvdbot/mail/message.hpp"

namespace cvd::mail {

// "A <a@x>, \"B, C\" <b@x>, c@x (Comment), group: d@x;" → addresses in order. Display names are
// decoded (RFC 2047, also inside quotes as some clients write them). Groups are flattened.
std::vector<Address> parse_address_list(std::string_view raw_value,
                                        std::vector<std::string>* warnings = nullptr);

}  // namespace cvd::mail
