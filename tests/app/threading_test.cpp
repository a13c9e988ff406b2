#include <catch2/catch.hpp>

#include "intake.hpp"
#include "threading.hpp"

using namespace cvd;
using namespace cvd::app;

TEST_CASE("Per-case reply addresses round-trip") {
    const core::CaseId id{"CVD", 2026, 42};
    const auto address = case_reply_address("bot@example.test", id);
    CHECK(address == "bot+cvd-2026-0042@example.test");
    CHECK(case_from_reply_address("bot@example.test", "CVD", address) == id);
    CHECK(case_from_reply_address("bot@example.test", "CVD", "BOT+CVD-2026-0042@Example.Test") == id);
    CHECK_FALSE(case_from_reply_address("bot@example.test", "CVD", "bot@example.test"));
    CHECK_FALSE(case_from_reply_address("bot@example.test", "CVD", "bot+cvd-2026-0042@other.test"));
    CHECK_FALSE(case_from_reply_address("bot@example.test", "CVD", "robot+cvd-2026-0042@example.test"));
    CHECK_FALSE(case_from_reply_address("bot@example.test", "CVD", "bot+xyz-2026-0042@example.test"));
    CHECK_FALSE(case_from_reply_address("bot@example.test", "CVD", "bot+cvd-2026-42@example.test"));
}

TEST_CASE("Language is guessed from the text") {
    CHECK(detect_language("脆弱性の届出") == "ja");
    CHECK(detect_language("カタカナ") == "ja");
    CHECK(detect_language("A vulnerability report") == "en");
    CHECK(detect_language("") == "en");
}
