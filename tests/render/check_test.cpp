#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "cvdbot/render/template_set.hpp"
#include "cvdbot/workflow/step.hpp"

using namespace cvd::render;
using Catch::Matchers::Contains;
using cvd::domain::Role;

namespace {

const std::string kData = CVDBOT_SOURCE_DIR "/tests/data/render/";

// The workflow's templates and the replies the app sends itself.
std::vector<std::string> shipped_names() {
    auto names = cvd::workflow::template_names();
    for (const char* own :
         {"decryption_failed", "signature_problem", "contact_change_received", "contact_change_unreadable",
          "key_request", "missing_fields", "status_reply", "coordinator_notice", "relay_notice",
          "advisory_draft", "advisory_review"})
        names.emplace_back(own);
    return names;
}

std::string joined(const std::vector<std::string>& lines) {
    std::string out;
    for (const auto& l : lines) out += l + "\n";
    return out;
}

}  // namespace

TEST_CASE("The shipped templates pass the check") {
    const auto set = TemplateSet::read(CVDBOT_SOURCE_DIR "/templates");
    const auto problems = check_templates(set, shipped_names());
    INFO(joined(problems));
    CHECK(problems.empty());
    CHECK(set.templates().size() == 40);
}

TEST_CASE("Shipped templates follow the house rules") {
    const auto set = TemplateSet::read(CVDBOT_SOURCE_DIR "/templates");
    for (const auto& [name, variants] : set.templates()) {
        for (const auto& [language, t] : variants) {
            INFO(t.file);
            const bool has_case =
                name != "decryption_failed" && name.rfind("contact_change_", 0) != 0;
            if (has_case) CHECK(t.subject_source.rfind("{{case_tag}}", 0) == 0);
            if (t.audience.count(Role::vendor)) CHECK(t.used.count("discoverer_name") == 0);
        }
    }
    for (const auto& language : languages()) {
        const auto* first = set.find("vendor_first_contact", language);
        REQUIRE(first);
        CHECK(first->used.count("vulnerability_details") == 0);
        CHECK(first->used.count("product_name") == 0);
        const auto* details = set.find("vendor_details", language);
        REQUIRE(details);
        CHECK_THAT(details->body_source,
                   Contains("Verification result / 検証結果: affected | not affected"));
        CHECK_THAT(details->body_source, Contains("Fix status / 修正状況:"));
        CHECK_THAT(details->body_source,
                   Contains("Wished publication date / 公表希望日: YYYY-MM-DD"));
        for (const char* reminder : {"reminder_first", "reminder_second", "reminder_final"})
            CHECK(set.find(reminder, language)->audience == Roles{Role::vendor});
        for (const char* reminder : {"operator_reminder", "web_fix_reminder"})
            CHECK(set.find(reminder, language)->audience == Roles{Role::site_operator});
    }
}

TEST_CASE("A shipped template renders in Japanese and English") {
    const auto set = TemplateSet::load(CVDBOT_SOURCE_DIR "/templates");
    REQUIRE(set.ok());
    auto ja = set->render("acknowledgment", "ja", Role::discoverer, sample_variables());
    REQUIRE(ja.ok());
    CHECK_THAT(ja->subject, Contains("[CVD#2026-0042]"));
    CHECK_THAT(ja->body, Contains("受け付けました"));
    auto en = set->render("acknowledgment", "en", Role::discoverer, sample_variables());
    REQUIRE(en.ok());
    CHECK_THAT(en->body, Contains("registered it as case CVD#2026-0042"));
}

TEST_CASE("Broken template sets fail the check with FILE:LINE") {
    auto problems_of = [](const std::string& dir, std::vector<std::string> required = {"t"}) {
        return joined(check_templates(TemplateSet::read(kData + dir), required));
    };
    SECTION("unknown variable") {
        CHECK_THAT(problems_of("broken_unknown_variable"),
                   Contains("broken_unknown_variable/en/t.txt:6: unknown variable 'case_idd'"));
    }
    SECTION("leak") {
        CHECK_THAT(
            problems_of("broken_leak"),
            Contains(
                "broken_leak/en/t.txt:7: variable 'discoverer_name' may not be seen by vendor"));
    }
    SECTION("missing language variant") {
        CHECK_THAT(
            problems_of("broken_missing_language"),
            Contains("broken_missing_language/en/t.txt:1: the en variant of 't' is missing"));
    }
    SECTION("syntax errors") {
        const auto p = problems_of("broken_syntax");
        CHECK_THAT(p, Contains("broken_syntax/ja/t.txt:5: section 'credit_name' is never closed"));
        CHECK_THAT(p, Contains("broken_syntax/en/t.txt:6: a '{{' tag is not closed"));
    }
    SECTION("missing required template") {
        CHECK_THAT(problems_of("broken_missing_required", {"t", "reminder_first"}),
                   Contains("broken_missing_required/ja/reminder_first.txt:1: required template "
                            "'reminder_first' "
                            "is missing"));
        CHECK(problems_of("broken_missing_required").empty());
    }
    SECTION("a directory that does not exist") {
        CHECK_THAT(problems_of("no_such_dir"), Contains("the templates directory does not exist"));
    }
}

TEST_CASE("A broken set does not load for the daemon") {
    auto set = TemplateSet::load(kData + "broken_syntax");
    REQUIRE_FALSE(set.ok());
    CHECK_THAT(set.error().message, Contains("broken_syntax/ja/t.txt:5:"));
}

TEST_CASE("The languages of a template must agree on its Audience") {
    TemplateSet set;
    set.add(*parse_template("t", "ja", "Subject: x\nAudience: vendor\n\ny\n", "ja/t.txt"));
    set.add(
        *parse_template("t", "en", "Subject: x\nAudience: vendor, discoverer\n\ny\n", "en/t.txt"));
    CHECK_THAT(
        joined(check_templates(set, {"t"})),
        Contains("ja/t.txt:1: Audience (vendor) differs from en/t.txt (discoverer, vendor)"));
}

TEST_CASE("A template left in the old flat layout is reported") {
    const auto dir = std::filesystem::temp_directory_path() / "cvdbot-render-flat-test";
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir / "ja");
    std::filesystem::create_directories(dir / "en");
    std::ofstream(dir / "acknowledgment.txt") << "Subject: old\n\nbody\n";
    CHECK_THAT(joined(TemplateSet::read(dir).problems()),
               Contains("acknowledgment.txt:1: templates live in ja/ and en/ now"));
    std::filesystem::remove_all(dir);
}
