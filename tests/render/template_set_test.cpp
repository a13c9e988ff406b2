#include "cvdbot/render/template_set.hpp"

#include <catch2/catch.hpp>

using namespace cvd::render;
using Catch::Matchers::Contains;
using cvd::domain::Role;

namespace {
Template parsed(std::string_view text) {
    return *parse_template("t", "en", text, "t.txt");
}
}  // namespace

TEST_CASE("The sample case has a value for every variable in the catalogue") {
    for (const auto& [name, info] : variable_catalogue()) {
        INFO(name);
        CHECK(sample_variables().count(name) == 1);
        CHECK_FALSE(info.description.empty());
        CHECK_FALSE(info.visible_to.empty());
    }
    CHECK(sample_variables().size() == variable_catalogue().size());
}

TEST_CASE("The discoverer's identity and coordinator texts stay where they belong") {
    const auto& c = variable_catalogue();
    CHECK(c.at("discoverer_name").visible_to == Roles{Role::discoverer, Role::coordinator});
    CHECK(c.at("transcript").visible_to == Roles{Role::coordinator});
    CHECK(c.at("notice_text").visible_to == Roles{Role::coordinator});
    CHECK(c.at("credit_name").visible_to.count(Role::vendor));
    CHECK(c.at("vulnerability_details").visible_to.count(Role::site_operator));
}

TEST_CASE("Rendering is plain text, not HTML-escaped") {
    TemplateSet set;
    set.add(
        parsed("Subject: hi {{recipient_name}}\nAudience: vendor\n\nDear {{recipient_name}},\n"));
    auto out = set.render("t", "en", Role::vendor, {{"recipient_name", "Tom & Jerry <x>"}});
    REQUIRE(out.ok());
    CHECK(out->subject == "hi Tom & Jerry <x>");
    CHECK(out->body == "Dear Tom & Jerry <x>,\n");
}

TEST_CASE("A missing variable is an error, never an empty string") {
    TemplateSet set;
    set.add(parsed("Subject: x\nAudience: vendor\n\n{{case_id}}\n{{bot_name}}\n"));
    auto out = set.render("t", "en", Role::vendor, Variables{{"case_id", "CVD#2026-0001"}});
    REQUIRE_FALSE(out.ok());
    CHECK_THAT(out.error().message, Contains("t.txt:5: needs variable 'bot_name'"));
}

TEST_CASE("Render refuses a recipient outside the Audience") {
    TemplateSet set;
    set.add(parsed("Subject: x\nAudience: discoverer, coordinator\n\n{{case_id}}\n"));
    auto out = set.render("t", "en", Role::vendor, sample_variables());
    REQUIRE_FALSE(out.ok());
    CHECK_THAT(out.error().message, Contains("may not be sent to a vendor"));
    CHECK(set.render("t", "en", Role::discoverer, sample_variables()).ok());
}

TEST_CASE("Render refuses a variable the recipient may not see") {
    TemplateSet set;
    set.add(parsed("Subject: x\nAudience: discoverer, vendor\n\nBy {{discoverer_name}}\n"));
    auto out = set.render("t", "en", Role::vendor, sample_variables());
    REQUIRE_FALSE(out.ok());
    CHECK_THAT(out.error().message,
               Contains("t.txt:4: a vendor may not see variable 'discoverer_name'"));
    CHECK(set.render("t", "en", Role::discoverer, sample_variables()).ok());
}

TEST_CASE("Render needs the template in the language asked for") {
    TemplateSet set;
    set.add(parsed("Subject: x\nAudience: vendor\n\ny\n"));
    CHECK(set.render("t", "en", Role::vendor, {}).ok());
    auto out = set.render("t", "ja", Role::vendor, {});
    REQUIRE_FALSE(out.ok());
    CHECK_THAT(out.error().message, Contains("no ja template named 't'"));
}

TEST_CASE("Template mistakes are caught when parsing, with FILE:LINE") {
    auto error = [](std::string_view text) {
        return parse_template("t", "en", text, "t.txt").error().message;
    };
    CHECK_THAT(error("no header\n\nbody"), Contains("t.txt:1: unknown header line"));
    CHECK_THAT(error("Subject: x\n\nbody"), Contains("t.txt:1: no 'Audience: ...' line"));
    CHECK_THAT(error("Audience: vendor\n\nbody"), Contains("t.txt:1: no 'Subject: ...' line"));
    CHECK_THAT(error("Subject: x\nAudience: vendor, ceo\n\nbody"),
               Contains("t.txt:2: unknown role 'ceo'"));
    CHECK_THAT(error("Subject: x\nAudience: vendor\n\n\n{{case_idd}}"),
               Contains("t.txt:5: unknown variable 'case_idd'"));
    CHECK_THAT(error("Subject: {{case_idd}}\nAudience: vendor\n\nx"),
               Contains("t.txt:1: unknown variable"));
    CHECK_THAT(error("Subject: x\nAudience: vendor\n\n{{#case_id}}open"),
               Contains("t.txt:4: section 'case_id' is never closed"));
    CHECK_THAT(error("Subject: x\nAudience: vendor\n\n{{/case_id}}"),
               Contains("t.txt:4: section 'case_id' closed"));
    CHECK_THAT(error("Subject: x\nAudience: vendor\n\nok\n{{case_id\n}}"),
               Contains("t.txt:5: a '{{' tag is not closed"));
    CHECK_THAT(error("Subject: x\nAudience: vendor\n\n{{> partial}}"),
               Contains("partials are not supported"));
    CHECK_THAT(error("Subject: x\nAudience: vendor"), Contains("no blank line"));
    CHECK_FALSE(parse_template("t", "en", "Subject: x\nAudience: vendor\n\n\xFF", "t.txt").ok());
}

TEST_CASE("Every problem in a file is reported, not only the first") {
    auto e = parse_template("t", "en", "Subject: x\nAudience: vendor\n\n{{a1}}\n{{a2}}\n", "t.txt")
                 .error()
                 .message;
    CHECK_THAT(e, Contains("t.txt:4: unknown variable 'a1'"));
    CHECK_THAT(e, Contains("t.txt:5: unknown variable 'a2'"));
}

TEST_CASE("Variables cannot break the subject onto a second line") {
    TemplateSet set;
    set.add(parsed("Subject: {{report_subject}}\nAudience: discoverer\n\nx"));
    auto v = sample_variables();
    v["report_subject"] = "a\r\nBcc: evil@example.test";
    auto out = set.render("t", "en", Role::discoverer, v);
    REQUIRE(out.ok());
    CHECK(out->subject.find('\n') == std::string::npos);
    CHECK(out->subject.find('\r') == std::string::npos);
}
