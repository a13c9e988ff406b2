// libFuzzer target: any command mail body must parse without a crash, a sanitizer report or
// a leak; every command and error names a line of the body.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "cvdbot/workflow/commands.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto parsed = cvd::workflow::parse_commands(text);
    const auto lines = static_cast<int>(std::count(text.begin(), text.end(), '\n')) + 1;
    for (const auto& c : parsed.commands) {
        if (c.line < 1 || c.line > lines) std::abort();
        (void)cvd::workflow::to_string(c.command.verb);
    }
    for (const auto& e : parsed.errors)
        if (e.line < 1 || e.line > lines || e.message.empty()) std::abort();
    return 0;
}
