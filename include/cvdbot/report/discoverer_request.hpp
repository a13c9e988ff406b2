#pragma once
// What a discoverer's mail on an open case asks for: how the case stands, or lifting
// non-disclosure (possible from one year after the start date). Quoted lines (our own mail
// quoted back) are ignored, so a reply that quotes "non-disclosure" asks nothing.
// Pure: no I/O, never throws, bounded.

#include <string_view>

namespace cvd::report {

struct DiscovererRequest {
    bool asks_status = false;
    bool asks_lift = false;
};

DiscovererRequest read_discoverer_request(std::string_view text);

}  // namespace cvd::report
