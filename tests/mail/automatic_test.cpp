#include <catch2/catch.hpp>

#include "cvdbot/mail/parser.hpp"
#include "test_util.hpp"

using namespace cvd::mail;
using cvd::mail::test::load;

namespace {
AutomaticKind kind_of(const std::string& headers) {
    return parse_message(headers + "\r\nbody\r\n").automatic;
}
}  // namespace

TEST_CASE("auto-replies are recognised") {
    CHECK(parse_message(load("autoreply_exchange_ooo.eml")).automatic == AutomaticKind::auto_reply);
    CHECK(parse_message(load("autoreply_ja_subject.eml")).automatic == AutomaticKind::auto_reply);
    CHECK(kind_of("From: a@x.example\r\nAuto-Submitted: auto-replied\r\n") ==
          AutomaticKind::auto_reply);
    CHECK(kind_of("From: a@x.example\r\nAuto-Submitted: auto-generated; reason=x\r\n") ==
          AutomaticKind::auto_reply);
    CHECK(kind_of("From: a@x.example\r\nAuto-Submitted: no\r\n") == AutomaticKind::none);
    CHECK(kind_of("From: a@x.example\r\nX-Autoreply: yes\r\n") == AutomaticKind::auto_reply);
    CHECK(kind_of("From: a@x.example\r\nX-Autorespond: yes\r\n") == AutomaticKind::auto_reply);
    CHECK(kind_of("From: a@x.example\r\nSubject: Out of Office: re: report\r\n") ==
          AutomaticKind::auto_reply);
    CHECK(kind_of("From: a@x.example\r\nSubject: =?utf-8?B?5LiN5Zyo6YCa55+l?=\r\n") ==
          AutomaticKind::auto_reply);  // 不在通知
    // Words people use in real reports do not count.
    CHECK(kind_of("From: a@x.example\r\nSubject: XSS in the autoreply plugin\r\n") ==
          AutomaticKind::none);
}

TEST_CASE("bulk and list mail") {
    CHECK(parse_message(load("list_mail.eml")).automatic == AutomaticKind::bulk);
    CHECK(kind_of("From: a@x.example\r\nPrecedence: bulk\r\n") == AutomaticKind::bulk);
    CHECK(kind_of("From: a@x.example\r\nPrecedence: junk\r\n") == AutomaticKind::bulk);
    CHECK(kind_of("From: a@x.example\r\nList-Id: <l.x.example>\r\n") == AutomaticKind::bulk);
}

TEST_CASE("bounces are recognised") {
    Message dsn = parse_message(load("bounce_postfix_dsn.eml"));
    CHECK(dsn.automatic == AutomaticKind::bounce);
    REQUIRE(dsn.forwarded.size() == 1);  // the text/rfc822-headers part
    CHECK(dsn.forwarded[0].message_id == "out-42@example.test");
    CHECK(parse_message(load("bounce_mailer_daemon_plain.eml")).automatic == AutomaticKind::bounce);
    CHECK(kind_of("From: postmaster@x.example\r\nReturn-Path: <>\r\n") == AutomaticKind::bounce);
    CHECK(kind_of("From: postmaster@x.example\r\nReturn-Path: <p@x.example>\r\n") ==
          AutomaticKind::none);
    CHECK(kind_of("From: a@x.example\r\nX-Failed-Recipients: b@y.example\r\n") ==
          AutomaticKind::bounce);
    CHECK(kind_of("From: a@x.example\r\nContent-Type: multipart/report; "
                  "report-type=delivery-status; boundary=q\r\n") == AutomaticKind::bounce);
}
