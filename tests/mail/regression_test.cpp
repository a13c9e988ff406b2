// Every fuzzer finding is kept in tests/mail/fuzz/regressions and replayed here in the normal
// (non-fuzz) test run.

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "cvdbot/core/text.hpp"
#include "cvdbot/mail/describe.hpp"
#include "cvdbot/mail/parser.hpp"

namespace fs = std::filesystem;

TEST_CASE("fuzzer findings parse into a valid model") {
    const fs::path dir = fs::path(CVDBOT_SOURCE_DIR) / "tests" / "mail" / "fuzz" / "regressions";
    std::size_t count = 0;
    for (const auto& e : fs::directory_iterator(dir)) {
        if (!e.is_regular_file()) continue;
        std::ifstream in(e.path(), std::ios::binary);
        std::ostringstream s;
        s << in.rdbuf();
        INFO(e.path().filename().string());
        cvd::mail::Message m = cvd::mail::parse_message(s.str());
        for (const auto& w : m.warnings) CHECK(cvd::core::is_valid_utf8(w));
        CHECK(cvd::core::is_valid_utf8(m.text_charset));
        CHECK(cvd::core::is_valid_utf8(m.text_body));
        CHECK_NOTHROW(cvd::mail::message_to_json(m));
        ++count;
    }
    CHECK(count >= 1);
}
