#include "template_commands.hpp"

#include <catch2/catch.hpp>
#include <algorithm>
#include <fstream>
#include <sstream>

using namespace cvd::app;
using Catch::Matchers::Contains;
using cvd::domain::Role;

TEST_CASE("The required templates are the workflow's, the app's own and the acknowledgment") {
    const auto names = required_templates("ack_custom");
    for (const char* name : {"vendor_details", "decryption_failed", "relay_notice", "ack_custom"})
        CHECK(std::count(names.begin(), names.end(), name) == 1);
}

TEST_CASE("templates check prints FILE:LINE problems and counts them") {
    std::ostringstream out;
    CHECK(print_template_check(CVDBOT_SOURCE_DIR "/templates", required_templates(), out) == 0);
    CHECK(out.str().empty());
    std::ostringstream broken;
    CHECK(print_template_check(CVDBOT_SOURCE_DIR "/tests/data/render/broken_leak", {"t"}, broken) ==
          1);
    CHECK_THAT(broken.str(), Contains("broken_leak/en/t.txt:7: variable 'discoverer_name'"));
}

TEST_CASE("templates vars lists every variable with who may see it") {
    std::ostringstream out;
    print_variable_reference(out);
    CHECK_THAT(out.str(), Contains("discoverer_name"));
    CHECK_THAT(out.str(), Contains("discoverer, coordinator"));
}

TEST_CASE("The administrator's guide lists every variable") {
    std::ifstream in(CVDBOT_SOURCE_DIR "/docs/templates.md");
    std::stringstream guide;
    guide << in.rdbuf();
    for (const auto& [name, info] : cvd::render::variable_catalogue()) {
        INFO(name << ": regenerate the table with `cvdbot templates vars`");
        CHECK_THAT(guide.str(), Contains("| `" + name + "` | " +
                                         cvd::render::roles_text(info.visible_to) + " |"));
    }
}

TEST_CASE("templates preview prints the message for a role and language") {
    auto set = cvd::render::TemplateSet::load(CVDBOT_SOURCE_DIR "/templates");
    REQUIRE(set.ok());
    std::ostringstream out;
    REQUIRE(print_template_preview(*set, "reminder_first", "ja", Role::vendor, out).ok());
    CHECK_THAT(out.str(), Contains("Subject: [CVD#2026-0042] "));
    CHECK_THAT(out.str(), Contains("Example Software株式会社"));
    std::ostringstream refused;
    auto s = print_template_preview(*set, "reminder_first", "ja", Role::discoverer, refused);
    REQUIRE_FALSE(s.ok());
    CHECK_THAT(s.error().message, Contains("may not be sent to a discoverer"));
}
