// libFuzzer target: any bytes must parse without a crash, a sanitizer report or a leak, and a
// date that is read must be a real one.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "cvdbot/report/vendor_reply.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto reply = cvd::report::parse_vendor_reply(text);
    if (reply.publication_date) {
        const auto& d = *reply.publication_date;
        if (d.month < 1 || d.month > 12 || d.day < 1 || d.day > 31) std::abort();
        if (d.hour && (*d.hour < 0 || *d.hour > 23 || !d.minute || *d.minute < 0 || *d.minute > 59))
            std::abort();
        if (reply.publication_date_unclear) std::abort();
    }
    (void)cvd::report::parse_wished_date(text);
    return 0;
}
