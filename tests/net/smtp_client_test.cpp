// SmtpClient against the real Postfix of the mail stack.

#include "cvdbot/net/smtp_client.hpp"

#include <catch2/catch.hpp>

#include "cvdbot/net/imap_client.hpp"
#include "mail_stack.hpp"

using namespace cvd;
using Catch::Matchers::Contains;
using cvd::test::MailStack;

TEST_CASE("SMTP accepts mail for every known recipient, on one reused connection") {
    const auto& stack = MailStack::get();
    net::SmtpClient smtp(stack.smtp());
    const auto raw = test::make_message("vendor@example.test", "two", "", "x\r\n");
    auto sent =
        smtp.send({stack.address("bot"), {stack.address("vendor"), stack.address("vendor2")}}, raw);
    INFO((sent.ok() ? std::string() : sent.error().message));
    REQUIRE(sent.ok());
    // The null sender, as bounces use.
    CHECK(smtp.send({"", {stack.address("vendor")}}, raw).ok());
    CHECK(smtp.counters().bytes_sent > raw.size() * 2);
    // One connection for all: no second greeting, EHLO or TLS handshake.
    for (int i = 0; i < 3; ++i) CHECK(smtp.send({"", {stack.address("vendor")}}, raw).ok());
    CHECK(smtp.counters().connections == 1);
}

TEST_CASE("an unknown recipient is rejected with the server's reason") {
    const auto& stack = MailStack::get();
    net::SmtpClient smtp(stack.smtp());
    const auto raw = test::make_message("nobody@example.test", "unknown", "", "x\r\n");
    auto sent = smtp.send({stack.address("bot"), {stack.address("nobody")}}, raw);
    REQUIRE_FALSE(sent.ok());
    CHECK(sent.error().kind == core::ErrorKind::rejected);
    CHECK_THAT(sent.error().message,
               Contains("550") && Contains("5.1.1") && Contains("nobody@example.test"));

    // One bad recipient fails the whole message; the client stays usable.
    auto mixed =
        smtp.send({stack.address("bot"), {stack.address("vendor"), "x@elsewhere.test"}}, raw);
    REQUIRE_FALSE(mixed.ok());
    CHECK(mixed.error().kind == core::ErrorKind::rejected);
    CHECK(smtp.send({stack.address("bot"), {stack.address("vendor")}}, raw).ok());
}

TEST_CASE("SMTP connection problems are network errors") {
    const auto& stack = MailStack::get();
    const auto raw = test::make_message("vendor@example.test", "down", "", "x\r\n");

    SECTION("closed port") {
        auto settings = stack.smtp();
        settings.url = "smtp://127.0.0.1:1";
        net::SmtpClient smtp(settings);
        auto sent = smtp.send({stack.address("bot"), {stack.address("vendor")}}, raw);
        REQUIRE_FALSE(sent.ok());
        CHECK(sent.error().kind == core::ErrorKind::network);
        CHECK_THAT(sent.error().message, Contains("127.0.0.1"));
    }
    SECTION("Postfix stopped and started again under a cached connection") {
        net::SmtpClient smtp(stack.smtp());
        REQUIRE(smtp.send({stack.address("bot"), {stack.address("vendor")}}, raw).ok());
        stack.control("stop-smtp");
        auto down = smtp.send({stack.address("bot"), {stack.address("vendor")}}, raw);
        stack.control("start-smtp");
        REQUIRE_FALSE(down.ok());
        CHECK(down.error().kind == core::ErrorKind::network);
        auto again = smtp.send({stack.address("bot"), {stack.address("vendor")}}, raw);
        INFO((again.ok() ? std::string() : again.error().message));
        CHECK(again.ok());
    }
}

TEST_CASE("addresses that could inject SMTP commands are refused before connecting") {
    const auto& stack = MailStack::get();
    net::SmtpClient smtp(stack.smtp());
    const auto raw = test::make_message("vendor@example.test", "inject", "", "x\r\n");
    for (const std::string bad : {"vendor@example.test>\r\nRCPT TO:<x@y", "a b@example.test",
                                  "<vendor@example.test>", ""}) {
        auto sent = smtp.send({stack.address("bot"), {bad}}, raw);
        REQUIRE_FALSE(sent.ok());
        CHECK(sent.error().kind == core::ErrorKind::invalid_input);
    }
    CHECK(smtp.send({"bot@example.test\r\nDATA", {stack.address("vendor")}}, raw).error().kind ==
          core::ErrorKind::invalid_input);
    CHECK(smtp.send({stack.address("bot"), {}}, raw).error().kind ==
          core::ErrorKind::invalid_input);
}
