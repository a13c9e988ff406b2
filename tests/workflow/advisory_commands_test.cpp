#include <catch2/catch.hpp>

#include "harness.hpp"

using namespace cvd;
using namespace cvd::workflow;
using namespace cvd::workflow::test;

namespace {
AdvisoryFactCommand fact_of(const std::string& line) {
    auto parsed = parse_commands(line);
    INFO(line);
    REQUIRE(parsed.errors.empty());
    REQUIRE(parsed.commands.size() == 1);
    REQUIRE(parsed.commands[0].command.verb == Verb::advisory_fact);
    REQUIRE(parsed.commands[0].command.fact);
    return *parsed.commands[0].command.fact;
}
}  // namespace

TEST_CASE("Advisory fact commands parse into name, language and value") {
    auto f = fact_of("advisory title ja Example CMS におけるクロスサイトスクリプティングの脆弱性");
    CHECK(f.name == "title");
    CHECK(f.lang == "ja");
    CHECK(f.value == "Example CMS におけるクロスサイトスクリプティングの脆弱性");
    f = fact_of("Solution en Update to 2.3.2.");
    CHECK(f.name == "solution");
    CHECK(f.lang == "en");
    f = fact_of("advisory-id JVN#12345678");
    CHECK(f.name == "advisory_id");
    CHECK(f.value == "JVN#12345678");
    f = fact_of("cve CVE-2027-12345");
    CHECK(f.name == "cve");
    CHECK_FALSE(f.remove);
    f = fact_of("cve remove CVE-2027-12345");
    CHECK(f.remove);
    CHECK(f.value == "CVE-2027-12345");
    CHECK(fact_of("cvss 3.1 CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H").name == "cvss31");
    CHECK(fact_of("cvss CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N").name == "cvss40");
    f = fact_of("cwe CWE-79");
    CHECK(f.value == "cwe-79");  // the app puts it in canonical form
    f = fact_of("affected Example Software Co., Ltd. | Example CMS | 2.0 - 2.3.1 | 2.3.2");
    CHECK(f.value == "Example Software Co., Ltd. | Example CMS | 2.0 - 2.3.1 | 2.3.2");
    f = fact_of("reference https://www.example.com/security Security notice");
    CHECK(f.name == "reference");
    CHECK(fact_of("advisory published 2027-01-15").name == "published");
    CHECK(fact_of("advisory revision 2027-02-01 製品情報を更新 | Updated product information").name == "revision");
    CHECK(fact_of("vendor-statement Example | fixed | en Fixed in 2.3.2.").name == "vendor_statement");
    CHECK(fact_of("advisory draft").name == "draft");
}

TEST_CASE("Advisory fact commands written wrongly say what they need") {
    for (const char* line : {"advisory title fr Titre", "advisory title ja", "advisory frobnicate ja x",
                             "cve", "cvss 3.1 AV:N", "advisory draft now", "advisory-id", "cwe", "affected", "vendor-statement Example"}) {
        INFO(line);
        auto parsed = parse_commands(line);
        CHECK(parsed.commands.empty());
        REQUIRE(parsed.errors.size() == 1);
        CHECK_FALSE(parsed.errors[0].message.empty());
    }
    // Existing commands are untouched.
    CHECK(parse_commands("vendor-status Example fixing").commands.at(0).command.verb == Verb::vendor_status);
}

TEST_CASE("A signed advisory fact is recorded in any state and changes nothing else") {
    for (auto state : {domain::CaseState::received, domain::CaseState::fixing, domain::CaseState::published}) {
        CaseSnapshot c;
        c.state = state;
        c.track = domain::Track::product;
        auto out = step(c, order("cve CVE-2027-12345"), {}, *core::parse_iso8601("2027-01-10T00:00:00Z"));
        REQUIRE(out.ok());
        CHECK(out->state == state);
        auto facts = commands_of<RecordAdvisoryFact>(*out);
        REQUIRE(facts.size() == 1);
        CHECK(facts[0].fact.value == "CVE-2027-12345");
        CHECK(commands_of<SendTemplate>(*out).empty());
    }
    auto cmd = parse_commands("cve CVE-2027-12345").commands.at(0).command;
    CaseSnapshot c;
    CHECK_FALSE(step(c, CoordinatorCommandReceived{cmd, false}, {}, *core::parse_iso8601("2027-01-10T00:00:00Z")).ok());
}
