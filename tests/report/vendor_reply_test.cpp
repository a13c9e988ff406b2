#include "cvdbot/report/vendor_reply.hpp"

#include <catch2/catch.hpp>

#include "test_util.hpp"

using namespace cvd::report;
using cvd::report::test::load;

TEST_CASE("Filled reply form, our own form quoted back below it") {
    const VendorReply r = parse_vendor_reply(load("reply_form_affected_en.txt"));
    CHECK(r.from_form);
    CHECK(r.verification == Verification::affected);
    CHECK(r.fix == FixStatus::fixing);
    REQUIRE(r.publication_date);
    CHECK(r.publication_date->to_iso() == "2027-01-15T10:00");
    CHECK_FALSE(r.publication_date_unclear);
    CHECK_FALSE(r.needs_coordinator());
}

TEST_CASE("Japanese reply form: not affected, fix not applicable, no date") {
    const VendorReply r = parse_vendor_reply(load("reply_form_not_affected_ja.txt"));
    CHECK(r.from_form);
    CHECK(r.verification == Verification::not_affected);
    CHECK(r.fix == FixStatus::not_stated);
    CHECK_FALSE(r.publication_date);
    CHECK_FALSE(r.needs_coordinator());
}

TEST_CASE("A plain Japanese sentence that is unambiguous") {
    const VendorReply r = parse_vendor_reply(load("reply_sentence_ja.txt"));
    CHECK_FALSE(r.from_form);
    CHECK(r.verification == Verification::not_affected);
    CHECK(r.fix == FixStatus::not_stated);
    CHECK_FALSE(r.needs_coordinator());
}

TEST_CASE("Form and text that contradict each other go to a coordinator") {
    const VendorReply r = parse_vendor_reply(load("reply_contradictory_en.txt"));
    CHECK(r.verification == Verification::unclear);
    CHECK(r.needs_coordinator());
    CHECK_FALSE(r.notes.empty());
}

TEST_CASE("An Outlook reply: the original below the separator is not read") {
    const VendorReply r = parse_vendor_reply(load("reply_outlook_unquoted.txt"));
    CHECK(r.verification == Verification::affected);
    CHECK(r.fix == FixStatus::fixed);
    REQUIRE(r.publication_date);
    CHECK(r.publication_date->to_iso() == "2027-01-15T10:00");
    CHECK_FALSE(r.needs_coordinator());
}

TEST_CASE("A site operator's \"fixed\"") {
    const VendorReply r = parse_vendor_reply(load("operator_fixed_ja.txt"));
    CHECK(r.fix == FixStatus::fixed);
    CHECK(r.verification == Verification::not_stated);
    CHECK_FALSE(r.needs_coordinator());
    CHECK(parse_vendor_reply("Fixed.\n").fix == FixStatus::fixed);
    CHECK(parse_vendor_reply("The issue has been fixed in today's deployment.").fix ==
          FixStatus::fixed);
    CHECK(parse_vendor_reply("The issue is not fixed yet.").fix == FixStatus::unclear);
    // A fix to come is not a fix made.
    CHECK(parse_vendor_reply("A fixed version will be released on 2027-02-01.").fix ==
          FixStatus::fixing);
    CHECK(parse_vendor_reply("A fixed version has been released.").fix == FixStatus::fixed);
}

TEST_CASE("A form left as the template wrote it states nothing") {
    const VendorReply r = parse_vendor_reply(load("reply_unfilled_form_en.txt"));
    CHECK_FALSE(r.from_form);
    CHECK(r.verification == Verification::not_stated);
    CHECK(r.fix == FixStatus::not_stated);
    CHECK_FALSE(r.publication_date);
    CHECK_FALSE(r.publication_date_unclear);
    CHECK(r.needs_coordinator());
}

TEST_CASE("Verification values of the reply form") {
    auto v = [](const std::string& value) {
        return parse_vendor_reply("検証結果：" + value + "\n").verification;
    };
    CHECK(v("影響あり") == Verification::affected);
    CHECK(v("影響なし") == Verification::not_affected);
    CHECK(v("該当") == Verification::affected);
    CHECK(v("非該当") == Verification::not_affected);
    CHECK(v("該当しない") == Verification::not_affected);
    CHECK(v("affected") == Verification::affected);
    CHECK(v("Not affected") == Verification::not_affected);
    CHECK(v("ＡＦＦＥＣＴＥＤ") == Verification::affected);
    CHECK(v("検証中") == Verification::unclear);
    CHECK(v("may be affected") == Verification::unclear);
    CHECK(v("不明") == Verification::unclear);
    CHECK(v("see below") == Verification::unclear);
    CHECK(v("affected and not affected") == Verification::unclear);
    CHECK(v("") == Verification::not_stated);
    auto en = [](const std::string& value) {
        return parse_vendor_reply("Verification result: " + value + "\n").verification;
    };
    CHECK(en("not affected") == Verification::not_affected);
    CHECK(en("- affected") == Verification::affected);
    // Two form lines that disagree.
    CHECK(parse_vendor_reply("検証結果：影響あり\nVerification result: not affected\n")
              .verification == Verification::unclear);
}

TEST_CASE("A form answer on the line after its label") {
    auto r = parse_vendor_reply(
        "Verification result:\naffected\n修正状況：\n修正中\n公表希望日：\n2027/3/1\n");
    CHECK(r.verification == Verification::affected);
    CHECK(r.fix == FixStatus::fixing);
    REQUIRE(r.publication_date);
    CHECK(r.publication_date->to_iso() == "2027-03-01");
    // A blank line in between: the label was left empty and the text after it is prose.
    r = parse_vendor_reply("公表希望日：\n\n特に希望はありません。\n検証結果：影響なし\n");
    CHECK_FALSE(r.publication_date_unclear);
    CHECK(r.verification == Verification::not_affected);
}

TEST_CASE("Fix status values of the reply form") {
    auto f = [](const std::string& value) {
        return parse_vendor_reply("Fix status: " + value + "\n").fix;
    };
    CHECK(f("fixing") == FixStatus::fixing);
    CHECK(f("fixed in 2.4.8") == FixStatus::fixed);
    CHECK(f("no fix planned") == FixStatus::will_not_fix);
    CHECK(f("修正中") == FixStatus::fixing);
    CHECK(f("修正済み") == FixStatus::fixed);
    CHECK(f("修正予定なし") == FixStatus::will_not_fix);
    CHECK(f("will be fixed in March") == FixStatus::fixing);
    CHECK(f("fixed version to be released in March") == FixStatus::fixing);
    CHECK(f("n/a") == FixStatus::not_stated);
    CHECK(f("未修正") == FixStatus::unclear);
    CHECK(f("fixed, fixing") == FixStatus::unclear);
    CHECK(f("ask the team") == FixStatus::unclear);
}

TEST_CASE("Plain sentences are read only where unambiguous") {
    auto v = [](const std::string& text) { return parse_vendor_reply(text).verification; };
    CHECK(v("We are not affected by this issue.") == Verification::not_affected);
    CHECK(v("Our product is affected; we will prepare a fix.") == Verification::affected);
    CHECK(v("弊社製品は影響を受けます。") == Verification::affected);
    CHECK(v("弊社製品は影響を受け\nません。") == Verification::not_affected);  // wrapped line
    CHECK(v("We were unable to reproduce the issue.") == Verification::unclear);
    CHECK(v("Version 1 is affected, version 2 is not affected.") == Verification::unclear);
    CHECK(v("Thanks, we will look into it.") == Verification::not_stated);
    CHECK(v("We are not affected, but a fix is in progress anyway: we are fixing it.") ==
          Verification::unclear);  // not affected yet fixing
}

TEST_CASE("Wished publication dates") {
    auto d = [](std::string_view text) {
        auto date = parse_wished_date(text);
        return date ? date->to_iso() : std::string("none");
    };
    CHECK(d("2027-01-15") == "2027-01-15");
    CHECK(d("2027/1/5") == "2027-01-05");
    CHECK(d("2027年1月15日") == "2027-01-15");
    CHECK(d("２０２７年１月１５日（金）１０時３０分") == "2027-01-15T10:30");
    CHECK(d("2027-01-15 09:00 JST") == "2027-01-15T09:00");
    CHECK(d("2027-01-15T09:00") == "2027-01-15T09:00");
    CHECK(d("2027/01/15 (Fri) 14:00") == "2027-01-15T14:00");
    CHECK(d("2028-02-29") == "2028-02-29");
    CHECK(d("2027-02-29") == "none");  // not a leap year
    CHECK(d("2027-13-01") == "none");
    CHECK(d("2027-01-15 25:00") == "2027-01-15");  // an impossible time is dropped
    CHECK(d("12027-01-15") == "none");
    CHECK(d("2027-01-15 or 2027-01-20") == "none");
    CHECK(d("2027-01-15, i.e. 2027/01/15") == "2027-01-15");
    CHECK(d("version 2.4.8") == "none");
    CHECK(d("") == "none");
}

TEST_CASE("Publication date in the form and in sentences") {
    auto r = parse_vendor_reply("公表希望日：2027年3月1日\n");
    REQUIRE(r.publication_date);
    CHECK(r.publication_date->to_iso() == "2027-03-01");
    r = parse_vendor_reply("Wished publication date: next spring\n");
    CHECK_FALSE(r.publication_date);
    CHECK(r.publication_date_unclear);
    CHECK(r.needs_coordinator());
    r = parse_vendor_reply(
        "Wished publication date: no preference\nVerification result: affected\n");
    CHECK_FALSE(r.publication_date);
    CHECK_FALSE(r.publication_date_unclear);
    r = parse_vendor_reply("We would like publication on 2027-02-01 10:00.\n");
    REQUIRE(r.publication_date);
    CHECK(r.publication_date->to_iso() == "2027-02-01T10:00");
    // A date without a word about publication is some other date.
    r = parse_vendor_reply("We released 2.4.8 on 2027-01-10.\n");
    CHECK_FALSE(r.publication_date);
    r = parse_vendor_reply("公表希望日：2027-03-01\n公表は 2027-04-01 を希望します。\n");
    CHECK_FALSE(r.publication_date);
    CHECK(r.publication_date_unclear);
}

TEST_CASE("Quoted lines are never read") {
    const VendorReply r = parse_vendor_reply(
        "> Verification result / 検証結果: affected\n> 修正状況：修正済み\n>> 公表希望日: "
        "2027-01-01\n");
    CHECK(r.verification == Verification::not_stated);
    CHECK(r.fix == FixStatus::not_stated);
    CHECK_FALSE(r.publication_date);
    CHECK(r.needs_coordinator());
    CHECK(parse_vendor_reply("＞ 検証結果：影響あり\n").verification == Verification::not_stated);
}

TEST_CASE("Names of results") {
    CHECK(to_string(Verification::not_affected) == "not_affected");
    CHECK(to_string(FixStatus::will_not_fix) == "will_not_fix");
    CHECK(WishedDate{2027, 1, 5, std::nullopt, std::nullopt}.to_iso() == "2027-01-05");
}
