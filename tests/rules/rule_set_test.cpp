#include "cvdbot/rules/rule_set.hpp"

#include <catch2/catch.hpp>
#include <vector>

using namespace cvd::rules;
using Catch::Matchers::Contains;

TEST_CASE("The shipped rules load") {
    auto rules = load_rules(CVDBOT_SOURCE_DIR "/rules");
    REQUIRE(rules.ok());
    CHECK(rules->intake.acknowledge_reports);
    CHECK(rules->intake.acknowledgment_template == "acknowledgment");
    CHECK(rules->outbox.permanent_failure_counts_as_unanswered);
}

TEST_CASE("Whether a permanent refusal counts toward unreachable is a checked rule") {
    CHECK_FALSE(parse_rules("", "w.toml")->outbox.permanent_failure_counts_as_unanswered);
    auto on = parse_rules("[outbox]\npermanent_failure_counts_as_unanswered = true\n", "w.toml");
    REQUIRE(on.ok());
    CHECK(on->outbox.permanent_failure_counts_as_unanswered);
    auto wrong = parse_rules("[outbox]\n\npermanent_failure_counts_as_unanswered = 2\n", "w.toml");
    REQUIRE_FALSE(wrong.ok());
    CHECK(wrong.error().message ==
          "w.toml:3: outbox.permanent_failure_counts_as_unanswered: has the wrong type");
}

TEST_CASE("A number with a fraction or exponent where a whole number belongs is a clear error") {
    // toml++ converts a float to an integer unchecked when asked for value<int64_t>() (UB for
    // 2e49, found by the rules fuzzer); whole numbers must be written as integers.
    for (const char* text : {"[timers]\nvendor_unreachable_after_days = 2e49\n",
                             "[timers]\nvendor_unreachable_after_days = 30.0\n",
                             "[timers]\nvendor_reminder_days = [7.0, 14]\n",
                             "[outbox]\nmax_attempts = 1e300\n"}) {
        auto rules = parse_rules(text, "w.toml");
        REQUIRE_FALSE(rules.ok());
        CHECK_THAT(rules.error().message, Contains("w.toml:2: "));
    }
}

TEST_CASE("Rule errors name the file, the line and the key") {
    auto unknown = parse_rules("[intake]\nacknowledge_reports = true\nbogus = 1\n", "w.toml");
    REQUIRE_FALSE(unknown.ok());
    CHECK(unknown.error().message == "w.toml:3: intake.bogus: unknown key");

    auto wrong_type = parse_rules("[outbox]\n\nmax_attempts = \"ten\"\n", "w.toml");
    REQUIRE_FALSE(wrong_type.ok());
    CHECK(wrong_type.error().message == "w.toml:3: outbox.max_attempts: has the wrong type");

    auto out_of_range = parse_rules("[outbox]\nretry_initial_seconds = 0\n", "w.toml");
    REQUIRE_FALSE(out_of_range.ok());
    CHECK_THAT(out_of_range.error().message, Contains("w.toml:2: outbox.retry_initial_seconds"));

    auto syntax = parse_rules("[intake\n", "w.toml");
    REQUIRE_FALSE(syntax.ok());
    CHECK_THAT(syntax.error().message, Contains("w.toml:1"));

    auto path_like =
        parse_rules("[intake]\nacknowledgment_template = \"../etc/passwd\"\n", "w.toml");
    CHECK_FALSE(path_like.ok());
}

TEST_CASE("Retry delays double up to the cap") {
    OutboxRules rules{std::chrono::seconds(60), std::chrono::seconds(300), 10};
    CHECK(retry_delay(rules, 1).count() == 60);
    CHECK(retry_delay(rules, 2).count() == 120);
    CHECK(retry_delay(rules, 3).count() == 240);
    CHECK(retry_delay(rules, 4).count() == 300);
    CHECK(retry_delay(rules, 40).count() == 300);
}

TEST_CASE("Timer rules load with defaults and can be changed") {
    auto shipped = load_rules(CVDBOT_SOURCE_DIR "/rules");
    REQUIRE(shipped.ok());
    CHECK(shipped->timers.vendor_reminder_days == std::vector<int>{7, 14, 30});
    CHECK(shipped->timers.publication_target_days == 45);

    auto edited = parse_rules(
        "[timers]\nvendor_reminder_days = [3, 10]\npublication_target_days = 60\n", "w.toml");
    REQUIRE(edited.ok());
    CHECK(edited->timers.vendor_reminder_days == std::vector<int>{3, 10});
    CHECK(edited->timers.publication_target_days == 60);
    CHECK(edited->timers.operator_first_reply_business_days == 5);
    CHECK(edited->timers.vendor_unreachable_after_days == 14);

    auto all = parse_rules(
        "[timers]\nvendor_unreachable_after_days = 7\noperator_first_reply_business_days = 3\n"
        "operator_reminders = 0\nweb_fix_target_months = 6\nnondisclosure_lift_months = 18\n"
        "product_listing_months = 2\n",
        "w.toml");
    REQUIRE(all.ok());
    CHECK(all->timers.vendor_unreachable_after_days == 7);
    CHECK(all->timers.operator_first_reply_business_days == 3);
    CHECK(all->timers.operator_reminders == 0);
    CHECK(all->timers.web_fix_target_months == 6);
    CHECK(all->timers.nondisclosure_lift_months == 18);
    CHECK(all->timers.product_listing_months == 2);
}

TEST_CASE("Bad timer rules are refused with file, line and key") {
    auto unknown = parse_rules("[timers]\n\nreminder = 3\n", "w.toml");
    REQUIRE_FALSE(unknown.ok());
    CHECK(unknown.error().message == "w.toml:3: timers.reminder: unknown key");

    auto unsorted = parse_rules("[timers]\nvendor_reminder_days = [7, 30, 14]\n", "w.toml");
    REQUIRE_FALSE(unsorted.ok());
    CHECK_THAT(unsorted.error().message,
               Contains("w.toml:2: timers.vendor_reminder_days: must be strictly"));

    auto empty = parse_rules("[timers]\nvendor_reminder_days = []\n", "w.toml");
    CHECK_FALSE(empty.ok());
    auto not_number = parse_rules("[timers]\nvendor_reminder_days = [\"7\"]\n", "w.toml");
    CHECK_FALSE(not_number.ok());
    auto zero = parse_rules("[timers]\n\npublication_target_days = 0\n", "w.toml");
    REQUIRE_FALSE(zero.ok());
    CHECK_THAT(zero.error().message,
               Contains("w.toml:3: timers.publication_target_days: must be between 1 and 365"));
    auto not_table = parse_rules("timers = 3\n", "w.toml");
    CHECK_FALSE(not_table.ok());
}

TEST_CASE("The shipped holidays load: Japanese national holidays by date") {
    auto rules = load_rules(CVDBOT_SOURCE_DIR "/rules");
    REQUIRE(rules.ok());
    using namespace std::chrono;
    const sys_days new_year{year{2027} / January / 1};
    REQUIRE(rules->holidays.count(new_year));
    CHECK(rules->holidays.at(new_year) == "元日");
    CHECK(rules->holidays.count(sys_days{year{2027} / March / 22}));  // 振替休日
    CHECK_FALSE(rules->holidays.count(sys_days{year{2027} / March / 24}));
}

TEST_CASE("Bad holiday lines are refused with file and line") {
    auto not_a_date = parse_holidays("[holidays]\n2027-01-01 = \"元日\"\n2027-02-30 = \"x\"\n", "holidays.toml");
    REQUIRE_FALSE(not_a_date.ok());
    CHECK_THAT(not_a_date.error().message, Contains("holidays.toml:3") && Contains("not a real date"));
    auto no_name = parse_holidays("[holidays]\n2027-01-01 = 1\n", "holidays.toml");
    REQUIRE_FALSE(no_name.ok());
    CHECK_THAT(no_name.error().message, Contains("holidays.toml:2") && Contains("needs a name"));
    auto bad_key = parse_holidays("[holidays]\nnew-year = \"元日\"\n", "holidays.toml");
    REQUIRE_FALSE(bad_key.ok());
    CHECK_THAT(bad_key.error().message, Contains("not a date"));
    auto unknown = parse_holidays("[days]\n", "holidays.toml");
    REQUIRE_FALSE(unknown.ok());
    CHECK_THAT(unknown.error().message, Contains("unknown key"));
    auto empty = parse_holidays("", "holidays.toml");
    REQUIRE(empty.ok());
    CHECK(empty->empty());
}

TEST_CASE("Confidential templates and who may get them in plaintext") {
    auto rules = load_rules(CVDBOT_SOURCE_DIR "/rules");
    REQUIRE(rules.ok());
    CHECK(rules->confidentiality.is_confidential("vendor_details"));
    CHECK(rules->confidentiality.is_confidential("web_details"));
    CHECK_FALSE(rules->confidentiality.is_confidential("acknowledgment"));
    CHECK_FALSE(rules->confidentiality.plaintext_allowed("vendor"));  // off by default

    auto allowed = parse_rules("[confidentiality]\nplaintext_roles = [\"site_operator\"]\n", "w.toml");
    REQUIRE(allowed.ok());
    CHECK(allowed->confidentiality.plaintext_allowed("site_operator"));
    CHECK(allowed->confidentiality.is_confidential("vendor_details"));  // the default list stays

    auto bad_role = parse_rules("[confidentiality]\nplaintext_roles = [\"vendors\"]\n", "w.toml");
    REQUIRE_FALSE(bad_role.ok());
    CHECK_THAT(bad_role.error().message,
               Contains("w.toml:2") && Contains("confidentiality.plaintext_roles") && Contains("unknown name"));
    auto bad_list = parse_rules("[confidentiality]\ntemplates = \"vendor_details\"\n", "w.toml");
    REQUIRE_FALSE(bad_list.ok());
    CHECK_THAT(bad_list.error().message, Contains("w.toml:2") && Contains("must be a list"));
}

TEST_CASE("Reply limits load with defaults, can be changed, and bad ones name file, line and key") {
    auto shipped = load_rules(CVDBOT_SOURCE_DIR "/rules");
    REQUIRE(shipped.ok());
    CHECK(shipped->limits.replies_per_sender == 10);
    CHECK(shipped->limits.replies_per_case == 20);
    CHECK(shipped->limits.window == std::chrono::seconds(3600));

    auto changed = parse_rules("[limits]\nreplies_per_sender = 2\nreplies_per_case = 3\nwindow_seconds = 60\n", "w.toml");
    REQUIRE(changed.ok());
    CHECK(changed->limits.replies_per_sender == 2);
    CHECK(changed->limits.replies_per_case == 3);
    CHECK(changed->limits.window == std::chrono::seconds(60));

    auto zero = parse_rules("[limits]\n\nreplies_per_sender = 0\n", "w.toml");
    REQUIRE_FALSE(zero.ok());
    CHECK_THAT(zero.error().message, Contains("w.toml:3: limits.replies_per_sender: must be between 1 and 1000"));
    auto unknown = parse_rules("[limits]\nper_sender = 3\n", "w.toml");
    REQUIRE_FALSE(unknown.ok());
    CHECK(unknown.error().message == "w.toml:2: limits.per_sender: unknown key");
    auto window = parse_rules("[limits]\nwindow_seconds = \"1h\"\n", "w.toml");
    REQUIRE_FALSE(window.ok());
    CHECK(window.error().message == "w.toml:2: limits.window_seconds: has the wrong type");
    CHECK_FALSE(parse_rules("limits = 3\n", "w.toml").ok());
}
