#include "cvdbot/workflow/commands.hpp"

#include <catch2/catch.hpp>
#include <string>

using namespace cvd;
using namespace cvd::workflow;
using Catch::Matchers::Contains;

TEST_CASE("Every command spelling parses") {
    const auto parsed = parse_commands(
        "accept\n"
        "reject Duplicate of JVNVU#123\n"
        "stop already public\n"
        "track web\n"
        "contact vendor Example Corp\n"
        "send details Example Corp\n"
        "set publication-date 2027-01-15 10:00\n"
        "vendor-status Example Corp not-affected\n"
        "publish\n"
        "committee publish\n"
        "committee do-not-publish\n"
        "cancel publication Example Corp\n"
        "lift nondisclosure\n"
        "operator-status fixed\n"
        "note called them\n"
        "triage\n"
        "close\n");
    REQUIRE(parsed.errors.empty());
    REQUIRE(parsed.commands.size() == 17);
    const auto& c = parsed.commands;
    CHECK(c[0].command.verb == Verb::accept);
    CHECK(c[1].command.verb == Verb::reject);
    CHECK(c[1].command.text == "Duplicate of JVNVU#123");
    CHECK(c[3].command.track == domain::Track::web);
    CHECK(c[4].command.verb == Verb::contact_vendor);
    CHECK(c[4].command.text == "Example Corp");
    CHECK(c[5].command.verb == Verb::send_details);
    CHECK(c[6].command.verb == Verb::set_publication_date);
    // 10:00 JST is 01:00 UTC.
    CHECK(core::format_iso8601(*c[6].command.when) == "2027-01-15T01:00:00Z");
    CHECK(c[7].command.vendor_state == domain::VendorState::not_affected);
    CHECK(c[7].command.text == "Example Corp");
    CHECK(c[9].command.verb == Verb::committee_publish);
    CHECK(c[10].command.verb == Verb::committee_do_not_publish);
    CHECK(c[11].command.verb == Verb::cancel_publication);
    CHECK(c[12].command.verb == Verb::lift_nondisclosure);
    CHECK(c[13].command.operator_status == OperatorStatus::fixed);
    CHECK(c[14].command.text == "called them");
    CHECK(c[16].line == 17);
}

TEST_CASE("Quotes, blank lines, CRLF, case and extra spaces are tolerated; the signature ends it") {
    const auto parsed = parse_commands(
        "> accept\r\n\r\n  ACCEPT  \r\n\tcontact   vendor  Foo\r\n-- \r\nreject x\r\n");
    REQUIRE(parsed.errors.empty());
    REQUIRE(parsed.commands.size() == 2);
    CHECK(parsed.commands[0].line == 3);
    CHECK(parsed.commands[1].command.text == "Foo");
}

TEST_CASE("A date without a time is midnight in Japan") {
    const auto parsed = parse_commands("set publication-date 2027-01-15");
    REQUIRE(parsed.commands.size() == 1);
    CHECK(core::format_iso8601(*parsed.commands[0].command.when) == "2027-01-14T15:00:00Z");
}

TEST_CASE("Bad lines are reported with their numbers, good ones still parse") {
    const auto parsed = parse_commands(
        "accept\n"
        "reject\n"
        "frobnicate now\n"
        "set publication-date 2027-02-30\n"
        "set publication-date 2027-01-15 25:00\n"
        "track hardware\n"
        "vendor-status Foo exploded\n"
        "contact vendor\n"
        "publish now\n"
        "operator-status maybe\n");
    CHECK(parsed.commands.size() == 1);
    REQUIRE(parsed.errors.size() == 9);
    CHECK(parsed.errors[0].line == 2);
    CHECK_THAT(parsed.errors[0].message, Contains("reason"));
    CHECK(parsed.errors[1].message == "unknown command \"frobnicate\"");
    CHECK_THAT(parsed.errors[2].message, Contains("YYYY-MM-DD"));
    CHECK(parsed.errors[3].line == 5);
    CHECK_THAT(parsed.errors[5].message, Contains("exploded"));
    CHECK_THAT(parsed.errors[7].message, Contains("no argument"));
}

TEST_CASE("Hostile bodies never throw and stay bounded") {
    std::string huge(100000, 'a');
    CHECK_NOTHROW(parse_commands(huge));
    CHECK(parse_commands(huge).errors.size() == 1);
    std::string many;
    for (int i = 0; i < 500; ++i) many += "accept\n";
    const auto bounded = parse_commands(many);
    CHECK(bounded.commands.size() == 100);
    CHECK(bounded.errors.size() == 1);
    const std::string binary("\0\xff\xfe\n\x80note \xe3\x81\x82\n\n\n", 14);
    CHECK_NOTHROW(parse_commands(binary));
    CHECK_NOTHROW(parse_commands(""));
    CHECK_NOTHROW(parse_commands("\n"));
    CHECK_NOTHROW(parse_commands("set publication-date 9999-99-99 99:99"));
    CHECK_NOTHROW(parse_commands("set publication-date 2027-01-15 1a:00"));
    CHECK(parse_commands("set publication-date 2027-01-15 1a:00").errors.size() == 1);
    CHECK(parse_commands("note").commands.size() == 1);
}

TEST_CASE("contact operator may name the operator and the site") {
    const auto parsed = parse_commands("contact operator\ncontact operator sec@shop.test https://shop.test/\n");
    REQUIRE(parsed.errors.empty());
    REQUIRE(parsed.commands.size() == 2);
    CHECK(parsed.commands[0].command.verb == Verb::contact_operator);
    CHECK(parsed.commands[0].command.text.empty());
    CHECK(parsed.commands[1].command.text == "sec@shop.test https://shop.test/");
}

TEST_CASE("The issue's spellings: set-start-date, extend, committee decide, set-publication-date") {
    const auto parsed = parse_commands(
        "set-start-date 2026-11-20\nextend 14\ncommittee decide publish\ncommittee decide do-not-publish\n"
        "set-publication-date 2027-01-15 10:00\nextend 0\nextend soon\n");
    REQUIRE(parsed.commands.size() == 5);
    CHECK(parsed.commands[0].command.verb == Verb::set_start_date);
    CHECK(parsed.commands[0].command.when == parse_jst_datetime("2026-11-20", ""));
    CHECK(parsed.commands[1].command.verb == Verb::extend);
    CHECK(parsed.commands[1].command.days == 14);
    CHECK(parsed.commands[2].command.verb == Verb::committee_publish);
    CHECK(parsed.commands[3].command.verb == Verb::committee_do_not_publish);
    CHECK(parsed.commands[4].command.verb == Verb::set_publication_date);
    REQUIRE(parsed.errors.size() == 2);
    CHECK(parsed.errors[0].line == 6);
    CHECK(to_string(Verb::committee_publish) == "committee publish");  // the name stays the short one
}
