// libFuzzer target: any rules text must load or be refused with a message, never crash, trip
// a sanitizer or leak. The first byte picks the reader: workflow rules or holidays.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "cvdbot/rules/rule_set.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
    if (data[0] & 1) {
        auto holidays = cvd::rules::parse_holidays(text, "holidays.toml");
        if (!holidays && holidays.error().message.empty()) std::abort();
    } else {
        auto rules = cvd::rules::parse_rules(text, "workflow.toml");
        if (!rules && rules.error().message.empty()) std::abort();
    }
    return 0;
}
