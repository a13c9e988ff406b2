#include <catch2/catch.hpp>

#include "cvdbot/render/template_set.hpp"

using namespace cvd::render;
using Catch::Matchers::Contains;

namespace {
Variables full_variables() {
    Variables v;
    for (const auto& [name, doc] : known_variables()) v[name] = "<" + name + ">";
    v["case_id"] = "CVD#2026-0001";
    v["case_tag"] = "[CVD#2026-0001]";
    v["recipient_name"] = "Tom & Jerry <x>";
    return v;
}
}  // namespace

TEST_CASE("The shipped templates load and render") {
    auto set = TemplateSet::load(CVDBOT_SOURCE_DIR "/templates");
    REQUIRE(set.ok());
    REQUIRE(set->contains("acknowledgment"));
    auto out = set->render("acknowledgment", full_variables());
    REQUIRE(out.ok());
    CHECK_THAT(out->subject, Contains("[CVD#2026-0001]"));
    CHECK_THAT(out->body, Contains("CVD#2026-0001"));
    CHECK_THAT(out->body, Contains("受け付けました"));
}

TEST_CASE("Rendering is plain text, not HTML-escaped") {
    TemplateSet set;
    set.add(*parse_template("t", "Subject: hi {{recipient_name}}\n\nDear {{recipient_name}},\n", "t.txt"));
    auto out = set.render("t", full_variables());
    REQUIRE(out.ok());
    CHECK(out->subject == "hi Tom & Jerry <x>");
    CHECK(out->body == "Dear Tom & Jerry <x>,\n");
}

TEST_CASE("A missing variable is an error, never an empty string") {
    TemplateSet set;
    set.add(*parse_template("t", "Subject: x\n\n{{case_id}} {{bot_name}}\n", "t.txt"));
    auto out = set.render("t", Variables{{"case_id", "CVD#2026-0001"}});
    REQUIRE_FALSE(out.ok());
    CHECK_THAT(out.error().message, Contains("bot_name"));
}

TEST_CASE("Template mistakes are caught when loading") {
    CHECK_THAT(parse_template("t", "no subject\n\nbody", "t.txt").error().message, Contains("Subject"));
    CHECK_THAT(parse_template("t", "Subject: x\n\n{{case_idd}}", "t.txt").error().message,
               Contains("unknown variable 'case_idd'"));
    CHECK_THAT(parse_template("t", "Subject: x\n\n{{#case_id}}open", "t.txt").error().message,
               Contains("never closed"));
    CHECK_THAT(parse_template("t", "Subject: x\n\n{{case_id", "t.txt").error().message, Contains("never closed"));
    CHECK_FALSE(parse_template("t", "Subject: x\n\n\xFF", "t.txt").ok());
}

TEST_CASE("Variables cannot break the subject onto a second line") {
    TemplateSet set;
    set.add(*parse_template("t", "Subject: {{report_subject}}\n\nx", "t.txt"));
    auto v = full_variables();
    v["report_subject"] = "a\r\nBcc: evil@example.test";
    auto out = set.render("t", v);
    REQUIRE(out.ok());
    CHECK(out->subject.find('\n') == std::string::npos);
    CHECK(out->subject.find('\r') == std::string::npos);
}
