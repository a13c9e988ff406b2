// ImapIdle against the real Dovecot of the mail stack: wake-up on delivery, re-issue, stop,
// the fallback for a server without IDLE, and reconnects.

#include "cvdbot/net/imap_idle.hpp"

#include <atomic>
#include <catch2/catch.hpp>
#include <thread>

#include "cvdbot/net/smtp_client.hpp"
#include "mail_stack.hpp"

using namespace cvd;
using cvd::test::MailStack;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

// A user of its own: no other net test delivers to it.
const std::string kUser = "operator";

std::chrono::seconds kNoReissue() {
    return std::chrono::minutes(25);
}

// Runs on a helper thread, where Catch2 assertions are not allowed: the error comes back.
std::string deliver() {
    const auto& stack = MailStack::get();
    net::SmtpClient smtp(stack.smtp());
    const auto to = stack.address(kUser);
    auto sent = smtp.send({stack.address("nettest"), {to}},
                          test::make_message(to, "idle", "", "wake up\r\n"));
    return sent.ok() ? std::string() : sent.error().message;
}

// Connects and consumes whatever mail notice earlier tests left pending.
void settle(net::ImapIdle& idle, const std::atomic<bool>& stop) {
    for (int i = 0; i < 5; ++i) {
        auto wake = idle.wait(300ms, stop);
        INFO((wake.ok() ? std::string() : wake.error().message));
        REQUIRE(wake.ok());
        if (*wake == net::IdleWake::time_limit) return;
    }
    FAIL("the mailbox kept changing");
}

// Dovecot's capability list is restored whatever the test's outcome.
struct WithoutIdle {
    WithoutIdle() { MailStack::get().control("no-idle"); }
    ~WithoutIdle() { MailStack::get().control("idle"); }
};

}  // namespace

TEST_CASE("IDLE wakes within a second of a delivery") {
    const std::atomic<bool> stop{false};
    net::ImapIdle idle(MailStack::get().imap(kUser), kNoReissue());
    settle(idle, stop);

    Clock::time_point accepted;
    std::string send_error;
    std::thread sender([&] {
        std::this_thread::sleep_for(300ms);
        send_error = deliver();
        accepted = Clock::now();
    });
    auto wake = idle.wait(10s, stop);
    const auto woke = Clock::now();
    sender.join();
    REQUIRE(send_error.empty());
    INFO((wake.ok() ? std::string() : wake.error().message));
    REQUIRE(wake.ok());
    CHECK(*wake == net::IdleWake::mailbox_changed);
    const auto latency = std::chrono::duration_cast<std::chrono::milliseconds>(woke - accepted);
    INFO("wake " << latency.count() << " ms after SMTP acceptance");
    CHECK(latency < 1s);
    CHECK(idle.connections() == 1);
    CHECK(idle.counters().bytes_sent > 0);
    CHECK(idle.counters().bytes_received > 0);
}

TEST_CASE("IDLE is re-issued after the configured period and still wakes") {
    const std::atomic<bool> stop{false};
    net::ImapIdle idle(MailStack::get().imap(kUser), 1s);
    settle(idle, stop);
    const auto before = idle.idle_commands();
    const auto started = Clock::now();
    auto wake = idle.wait(3500ms, stop);
    REQUIRE(wake.ok());
    CHECK(*wake == net::IdleWake::time_limit);
    CHECK(Clock::now() - started >= 3500ms);
    // The IDLE left open by settle() (started at most 300 ms before) is re-issued 1, 2 and
    // 3 s after it began: three new IDLE commands in the one wait.
    CHECK(idle.idle_commands() - before == 3);
    CHECK(idle.connections() == 1);

    std::string send_error;
    std::thread sender([&] {
        std::this_thread::sleep_for(1500ms);
        send_error = deliver();
    });
    wake = idle.wait(10s, stop);
    sender.join();
    REQUIRE(send_error.empty());
    REQUIRE(wake.ok());
    CHECK(*wake == net::IdleWake::mailbox_changed);
}

TEST_CASE("waits that bring no news keep one IDLE command open, and mail still wakes the next") {
    const std::atomic<bool> stop{false};
    net::ImapIdle idle(MailStack::get().imap(kUser), kNoReissue());
    settle(idle, stop);
    const auto before = idle.idle_commands();
    const auto bytes_before = idle.counters().bytes_sent;
    for (int i = 0; i < 3; ++i) {
        auto wake = idle.wait(200ms, stop);
        REQUIRE(wake.ok());
        CHECK(*wake == net::IdleWake::time_limit);
    }
    // Neither DONE nor a new IDLE: the server does no work for a wait that hears nothing.
    CHECK(idle.idle_commands() == before);
    CHECK(idle.counters().bytes_sent == bytes_before);

    // Delivered while nobody waits: the open IDLE hears it and the next wait returns at once.
    REQUIRE(deliver().empty());
    std::this_thread::sleep_for(500ms);
    const auto started = Clock::now();
    auto wake = idle.wait(10s, stop);
    REQUIRE(wake.ok());
    CHECK(*wake == net::IdleWake::mailbox_changed);
    CHECK(Clock::now() - started < 200ms);
    // One delivery, one wake: its other lines (RECENT after EXISTS) do not wake the next wait.
    wake = idle.wait(300ms, stop);
    REQUIRE(wake.ok());
    CHECK(*wake == net::IdleWake::time_limit);
    CHECK(idle.idle_commands() == before);
    CHECK(idle.connections() == 1);
}

TEST_CASE("a stop ends the wait within a second") {
    std::atomic<bool> stop{false};
    net::ImapIdle idle(MailStack::get().imap(kUser), kNoReissue());
    settle(idle, stop);
    std::thread stopper([&] {
        std::this_thread::sleep_for(300ms);
        stop = true;
    });
    const auto started = Clock::now();
    auto wake = idle.wait(60s, stop);
    stopper.join();
    REQUIRE(wake.ok());
    CHECK(*wake == net::IdleWake::stopped);
    CHECK(Clock::now() - started < 1s);
}

TEST_CASE("a server without IDLE is reported as unsupported, so the caller polls") {
    const std::atomic<bool> stop{false};
    WithoutIdle no_idle;
    net::ImapIdle idle(MailStack::get().imap(kUser), kNoReissue());
    const auto started = Clock::now();
    auto wake = idle.wait(5s, stop);
    INFO((wake.ok() ? std::string() : wake.error().message));
    REQUIRE(wake.ok());
    CHECK(*wake == net::IdleWake::unsupported);
    CHECK(Clock::now() - started < 2s);
    CHECK(idle.idle_commands() == 0);
}

TEST_CASE("IDLE reconnects after the server went away") {
    const auto& stack = MailStack::get();
    const std::atomic<bool> stop{false};
    net::ImapIdle idle(stack.imap(kUser), kNoReissue());
    settle(idle, stop);

    std::thread killer([&] {
        std::this_thread::sleep_for(300ms);
        stack.control("stop-imap");
    });
    auto broken = idle.wait(10s, stop);
    killer.join();
    stack.control("start-imap");
    REQUIRE_FALSE(broken.ok());
    CHECK(broken.error().kind == core::ErrorKind::network);

    settle(idle, stop);
    CHECK(idle.connections() == 2);
    std::string send_error;
    std::thread sender([&] {
        std::this_thread::sleep_for(300ms);
        send_error = deliver();
    });
    auto wake = idle.wait(10s, stop);
    sender.join();
    REQUIRE(send_error.empty());
    REQUIRE(wake.ok());
    CHECK(*wake == net::IdleWake::mailbox_changed);
}
