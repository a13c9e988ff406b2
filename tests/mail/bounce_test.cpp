#include "cvdbot/mail/bounce.hpp"

#include <catch2/catch.hpp>

#include "cvdbot/mail/parser.hpp"
#include "test_util.hpp"

using namespace cvd::mail;
using cvd::mail::test::load;

TEST_CASE("RFC 3464 delivery-status reports") {
    auto r = parse_bounce(parse_message(load("bounce_postfix_dsn.eml")));
    REQUIRE(r);
    CHECK(r->standard);
    CHECK(r->reporting_mta == "mail.example.test");
    CHECK(r->original_message_id == "out-42@example.test");
    REQUIRE(r->recipients.size() == 1);
    CHECK(r->recipients[0].address == "nobody@vendor.example");
    CHECK(r->recipients[0].status == "5.1.1");
    CHECK(r->recipients[0].action == "failed");
    CHECK(r->recipients[0].diagnostic == "550 5.1.1 User unknown");
    CHECK(r->recipients[0].failure == DeliveryFailure::permanent);

    auto d = parse_bounce(parse_message(load("bounce_delayed_dsn.eml")));
    REQUIRE(d);
    REQUIRE(d->recipients.size() == 1);
    CHECK(d->recipients[0].address == "psirt@slow.example");
    CHECK(d->recipients[0].failure == DeliveryFailure::temporary);
    CHECK(d->original_message_id == "out-50@example.test");
}

TEST_CASE("non-standard bounces") {
    auto exim = parse_bounce(parse_message(load("bounce_exim.eml")));
    REQUIRE(exim);
    CHECK_FALSE(exim->standard);
    REQUIRE(exim->recipients.size() == 1);
    CHECK(exim->recipients[0].address == "security@vendor.example");
    CHECK(exim->recipients[0].status == "5.1.1");
    CHECK(exim->recipients[0].failure == DeliveryFailure::permanent);
    CHECK(exim->original_message_id == "out-43@example.test");

    auto qmail = parse_bounce(parse_message(load("bounce_qmail.eml")));
    REQUIRE(qmail);
    REQUIRE(qmail->recipients.size() == 1);
    CHECK(qmail->recipients[0].address == "webmaster@site.example.net");
    CHECK(qmail->recipients[0].status == "550");
    CHECK(qmail->recipients[0].failure == DeliveryFailure::permanent);
    CHECK(qmail->original_message_id == "out-44@example.test");

    Message ja_msg = parse_message(load("bounce_japanese_text.eml"));
    CHECK(ja_msg.automatic == AutomaticKind::bounce);
    auto ja = parse_bounce(ja_msg);
    REQUIRE(ja);
    REQUIRE(ja->recipients.size() == 1);
    CHECK(ja->recipients[0].address == "support@vendor.example.jp");
    CHECK(ja->recipients[0].failure == DeliveryFailure::permanent);

    auto plain = parse_bounce(parse_message(load("bounce_mailer_daemon_plain.eml")));
    REQUIRE(plain);
    REQUIRE(plain->recipients.size() == 1);
    CHECK(plain->recipients[0].address == "gone@old.example.net");
    CHECK(plain->recipients[0].status.empty());
    CHECK(plain->recipients[0].failure == DeliveryFailure::permanent);
}

TEST_CASE("ordinary mail is not a bounce") {
    CHECK_FALSE(parse_bounce(parse_message(load("plain_ascii.eml"))));
    CHECK(failure_from_status("4.2.2") == DeliveryFailure::temporary);
    CHECK(failure_from_status("550") == DeliveryFailure::permanent);
    CHECK(failure_from_status("") == DeliveryFailure::unknown);
}
