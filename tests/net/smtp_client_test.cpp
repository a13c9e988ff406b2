// SmtpClient against the real Postfix of the mail stack.

#include "cvdbot/net/smtp_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <thread>

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

namespace {

// The messages that arrive in `user`'s INBOX after `sending` ran, as sent (without the trace
// headers delivery adds), sorted: delivery order is not guaranteed.
template <typename Sending>
std::vector<std::string> delivered_to(const std::string& user, std::size_t expected,
                                      Sending&& sending) {
    const auto& stack = MailStack::get();
    net::ImapClient client(stack.imap(user));
    auto before = client.select();
    REQUIRE(before.ok());
    sending();
    std::vector<std::string> fetched;
    for (auto uid : test::wait_for_uids(client, before->uidnext - 1, expected)) {
        auto raw = client.fetch(uid);
        REQUIRE(raw.ok());
        fetched.push_back(test::without_trace_headers(*raw));
    }
    std::sort(fetched.begin(), fetched.end());
    return fetched;
}

std::vector<std::string> numbered_messages(const std::string& to, int count) {
    std::vector<std::string> messages;
    for (int i = 0; i < count; ++i)
        messages.push_back(
            test::make_message(to, "run " + std::to_string(i) + " " + test::unique_token(), "",
                               "message " + std::to_string(i) + "\r\n"));
    std::sort(messages.begin(), messages.end());
    return messages;
}

}  // namespace

TEST_CASE("a run of messages costs one round trip each with PIPELINING, four without") {
    const auto& stack = MailStack::get();
    const auto to = stack.address("discoverer2");
    const net::SmtpEnvelope envelope{stack.address("bot"), {to}};
    const auto messages = numbered_messages(to, 5);
    for (const bool pipelining : {true, false}) {
        INFO("server offers PIPELINING: " << pipelining);
        net::SmtpClient smtp(stack.smtp(pipelining));
        auto arrived = delivered_to("discoverer2", messages.size(), [&] {
            for (std::size_t i = 0; i < messages.size(); ++i) {
                auto sent =
                    smtp.send(envelope, messages[i], i + 1 < messages.size() ? &envelope : nullptr);
                INFO((sent.ok() ? std::string() : sent.error().message));
                REQUIRE(sent.ok());
            }
        });
        CHECK(arrived == messages);
        CHECK(smtp.counters().connections == 1);
        // With it: MAIL+RCPT+DATA of the first, then each content with the next envelope.
        CHECK(smtp.round_trips() == (pipelining ? messages.size() + 1 : 4 * messages.size()));
    }
}

TEST_CASE("message content is dot-stuffed and ended with CRLF . CRLF") {
    const auto& stack = MailStack::get();
    const auto to = stack.address("discoverer2");
    const auto token = test::unique_token();
    // Lines a server would take for the end of the data, or unstuff into something else.
    const std::string body = ".\r\n..two dots\r\n.\r\n. space\r\nend " + token + "\r\n.";
    const auto raw = test::make_message(to, "dots " + token, "", body);
    net::SmtpClient smtp(stack.smtp());
    auto arrived = delivered_to("discoverer2", 1, [&] {
        auto sent = smtp.send({stack.address("bot"), {to}}, raw);
        INFO((sent.ok() ? std::string() : sent.error().message));
        REQUIRE(sent.ok());
    });
    // Content that does not end with CRLF gets one.
    CHECK(arrived == std::vector<std::string>{raw + "\r\n"});
}

TEST_CASE("a refused recipient in a pipelined run fails that message only") {
    const auto& stack = MailStack::get();
    const auto to = stack.address("discoverer2");
    const net::SmtpEnvelope good{stack.address("bot"), {to}};
    const net::SmtpEnvelope unknown{stack.address("bot"), {stack.address("nobody")}};
    const net::SmtpEnvelope mixed{stack.address("bot"), {to, stack.address("nobody")}};
    const auto messages = numbered_messages(to, 2);
    const auto refused = test::make_message(to, "never " + test::unique_token(), "", "x\r\n");
    net::SmtpClient smtp(stack.smtp());
    auto arrived = delivered_to("discoverer2", messages.size(), [&] {
        REQUIRE(smtp.send(good, messages[0], &unknown).ok());
        // Its MAIL, RCPT and DATA went ahead: RCPT is refused and DATA with it.
        auto rejected = smtp.send(unknown, refused, &mixed);
        REQUIRE_FALSE(rejected.ok());
        CHECK(rejected.error().kind == core::ErrorKind::rejected);
        CHECK_THAT(rejected.error().message, Contains("550") && Contains("nobody@example.test"));
        CHECK(smtp.counters().connections == 1);  // RSET, and the connection goes on
        // One recipient refused, the other accepted: the server waits for content, which
        // must not come. Only a new connection gets out of that.
        auto partly = smtp.send(mixed, refused);
        REQUIRE_FALSE(partly.ok());
        CHECK(partly.error().kind == core::ErrorKind::rejected);
        auto last = smtp.send(good, messages[1]);
        INFO((last.ok() ? std::string() : last.error().message));
        REQUIRE(last.ok());
        CHECK(smtp.counters().connections == 2);
    });
    CHECK(arrived == messages);  // and not the refused message
}

TEST_CASE("an envelope sent ahead and not followed is dropped, never sent") {
    const auto& stack = MailStack::get();
    const auto to = stack.address("discoverer2");
    const net::SmtpEnvelope envelope{stack.address("bot"), {to}};
    const net::SmtpEnvelope other{stack.address("bot"), {to, stack.address("vendor")}};
    const auto messages = numbered_messages(to, 4);
    auto arrived = delivered_to("discoverer2", messages.size(), [&] {
        {
            net::SmtpClient smtp(stack.smtp());
            REQUIRE(smtp.send(envelope, messages[0], &envelope).ok());
            // Another envelope than announced: the open transaction goes with its connection.
            REQUIRE(smtp.send(other, messages[1], &envelope).ok());
            CHECK(smtp.counters().connections == 2);
            // Destroyed inside DATA's wait: no QUIT that would be read as content.
        }
        net::SmtpClient smtp(stack.smtp());
        REQUIRE(smtp.send(envelope, messages[2], &envelope).ok());
        // Postfix restarted under the envelope sent ahead: sent again on a new connection.
        stack.control("stop-smtp");
        stack.control("start-smtp");
        auto sent = smtp.send(envelope, messages[3]);
        INFO((sent.ok() ? std::string() : sent.error().message));
        CHECK(sent.ok());
        CHECK(smtp.counters().connections == 2);
    });
    CHECK(arrived == messages);
}

TEST_CASE("a reply that never ends is an error, not a hang") {
    // Not Postfix: a server that greets, takes EHLO, then answers MAIL with continuation lines
    // that do not stop, on each of the two connections the client makes.
    const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(listener >= 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    REQUIRE(::bind(listener, reinterpret_cast<sockaddr*>(&address), length) == 0);
    REQUIRE(::listen(listener, 2) == 0);
    REQUIRE(::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length) == 0);
    std::thread server([listener] {
        std::string flood;
        for (int i = 0; i < 2000; ++i) flood += "250-and more\r\n";
        for (int connection = 0; connection < 2; ++connection) {
            const int client = ::accept(listener, nullptr, nullptr);
            if (client < 0) return;
            const auto say = [&](const std::string& text) {
                (void)::send(client, text.data(), text.size(), MSG_NOSIGNAL);
            };
            const auto hear = [&] {
                char buffer[4096];
                return ::recv(client, buffer, sizeof buffer, 0) > 0;
            };
            say("220 endless\r\n");
            hear();  // EHLO
            say("250-endless\r\n250 PIPELINING\r\n");
            hear();  // MAIL, RCPT, DATA
            say(flood);
            while (hear()) {
            }
            ::close(client);
        }
    });
    net::SmtpSettings settings;
    settings.url = "smtp://127.0.0.1:" + std::to_string(ntohs(address.sin_port));
    settings.timeout_seconds = 10;
    {
        net::SmtpClient smtp(settings);
        auto sent = smtp.send({"bot@example.test", {"x@example.test"}}, "Subject: x\r\n\r\nx\r\n");
        REQUIRE_FALSE(sent.ok());
        CHECK(sent.error().kind == core::ErrorKind::network);
        CHECK_THAT(sent.error().message, Contains("more than 1000 lines"));
    }
    server.join();
    ::close(listener);
}
