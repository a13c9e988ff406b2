// libFuzzer target: any bytes must parse without a crash, a sanitizer report or a leak; every
// value must be valid UTF-8 within the limits, and `missing` must agree with the values.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "cvdbot/core/text.hpp"
#include "cvdbot/report/report_form.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    cvd::report::ReportLimits limits;
    limits.max_input_bytes = 64 * 1024;
    limits.max_value_bytes = 4 * 1024;
    const auto form = cvd::report::parse_report(text, limits);
    for (const auto& value : form.values)
        if (!cvd::core::is_valid_utf8(value) || value.size() > limits.max_value_bytes) std::abort();
    if (form.free_form && !form.missing.empty()) std::abort();
    for (auto field : form.missing)
        if (form.has(field)) std::abort();
    if (form.warnings.size() > limits.max_warnings) std::abort();
    return 0;
}
