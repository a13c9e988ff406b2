// The mail I/O figures of issue #9 that depend on the net module alone, against a running mail
// stack (bench/net/run.sh makes one with a 100,000-message mailbox): the cost of a poll that
// finds nothing new and of one that finds one message, and how soon IMAP IDLE reports a delivery.
//
//   poll_bench ENV_FILE USER [ROUNDS]

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "cvdbot/net/imap_client.hpp"
#include "cvdbot/net/imap_idle.hpp"
#include "cvdbot/net/smtp_client.hpp"

using namespace cvd;
using Clock = std::chrono::steady_clock;

namespace {

std::map<std::string, std::string> read_env(const std::string& path) {
    std::map<std::string, std::string> vars;
    std::ifstream in(path);
    for (std::string line; std::getline(in, line);) {
        auto eq = line.find('=');
        if (eq == std::string::npos) continue;
        auto value = line.substr(eq + 1);
        if (value.size() >= 2 && value.front() == '"') value = value.substr(1, value.size() - 2);
        vars[line.substr(0, eq)] = value;
    }
    return vars;
}

double ms(Clock::duration d) {
    return std::chrono::duration<double, std::milli>(d).count();
}

struct Stats {
    double median, p95, max;
};

Stats stats(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    auto at = [&](double q) {
        return v[std::min(v.size() - 1, static_cast<std::size_t>(q * v.size()))];
    };
    return {at(0.5), at(0.95), v.back()};
}

std::uint64_t traffic(const net::WireCounters& c) {
    return c.bytes_sent + c.bytes_received;
}

[[noreturn]] void die(const std::string& what) {
    std::fprintf(stderr, "poll_bench: %s\n", what.c_str());
    std::exit(1);
}

std::string message(const std::string& to, int n) {
    return "From: bench <nettest@example.test>\r\nTo: " + to + "\r\nSubject: bench " +
           std::to_string(n) + "\r\nMessage-ID: <bench-" + std::to_string(n) + "-" +
           std::to_string(Clock::now().time_since_epoch().count()) +
           "@example.test>\r\nDate: Thu, 26 Nov 2026 06:00:00 +0000\r\n\r\nbody\r\n";
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 3) die("usage: poll_bench ENV_FILE USER [ROUNDS]");
    auto env = read_env(argv[1]);
    const std::string user = argv[2];
    const int rounds = argc > 3 ? std::stoi(argv[3]) : 30;
    net::ImapSettings imap{env["MAILSTACK_IMAP_URL"], user, env["MAILSTACK_PASSWORD"], "INBOX"};
    net::SmtpSettings smtp_settings{env["MAILSTACK_SMTP_URL"], "", ""};
    const std::string to = user + "@" + env["MAILSTACK_DOMAIN"];

    net::ImapClient client(imap);
    auto first = client.select();
    if (!first) die(first.error().message);
    std::uint32_t last = first->uidnext - 1;
    std::printf("mailbox %s: %u messages\n", user.c_str(), first->exists);

    // Nothing new: STATUS, and no search because UIDNEXT has not moved.
    std::vector<double> idle_ms;
    std::vector<double> idle_bytes;
    for (int i = 0; i < rounds; ++i) {
        const auto before = traffic(client.counters());
        const auto start = Clock::now();
        auto status = client.status();
        if (!status) die(status.error().message);
        auto uids = client.uids_after(last, *status);
        if (!uids) die(uids.error().message);
        if (!uids->empty()) die("unexpected new mail");
        idle_ms.push_back(ms(Clock::now() - start));
        idle_bytes.push_back(static_cast<double>(traffic(client.counters()) - before));
    }

    // One new message: STATUS, SELECT, UID SEARCH and the FETCH of it.
    net::SmtpClient smtp(smtp_settings);
    net::ImapClient watcher(imap);
    std::vector<double> one_ms;
    std::vector<double> one_bytes;
    for (int i = 0; i < std::min(rounds, 10); ++i) {
        if (auto sent = smtp.send({"nettest@example.test", {to}}, message(to, i)); !sent)
            die(sent.error().message);
        for (auto deadline = Clock::now() + std::chrono::seconds(10);;) {
            auto s = watcher.select();
            if (s && s->uidnext > last + 1) break;
            if (Clock::now() > deadline) die("delivery not seen");
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        const auto before = traffic(client.counters());
        const auto start = Clock::now();
        auto status = client.status();
        if (!status) die(status.error().message);
        auto uids = client.uids_after(last, *status);
        if (!uids || uids->size() != 1) die("expected one new message");
        auto raw = client.fetch(uids->front());
        if (!raw) die(raw.error().message);
        one_ms.push_back(ms(Clock::now() - start));
        one_bytes.push_back(static_cast<double>(traffic(client.counters()) - before));
        last = uids->front();
    }

    // IDLE: from SMTP acceptance to the wake-up.
    std::atomic<bool> stop{false};
    net::ImapIdle idle(imap, std::chrono::minutes(25));
    std::vector<double> wake_ms;
    for (int i = 0; i < std::min(rounds, 20); ++i) {
        // Consume notices of earlier deliveries.
        while (true) {
            auto w = idle.wait(std::chrono::milliseconds(200), stop);
            if (!w) die(w.error().message);
            if (*w == net::IdleWake::time_limit) break;
        }
        Clock::time_point accepted;
        std::thread sender([&] {
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
            if (smtp.send({"nettest@example.test", {to}}, message(to, 1000 + i)))
                accepted = Clock::now();
        });
        auto w = idle.wait(std::chrono::seconds(10), stop);
        const auto woke = Clock::now();
        sender.join();
        if (!w || *w != net::IdleWake::mailbox_changed) die("IDLE did not wake");
        if (accepted == Clock::time_point{}) die("SMTP send failed");
        wake_ms.push_back(ms(woke - accepted));
    }

    auto a = stats(idle_ms), ab = stats(idle_bytes), b = stats(one_ms), bb = stats(one_bytes),
         c = stats(wake_ms);
    std::printf("%-44s %9s %9s %9s\n", "figure", "median", "p95", "max");
    std::printf("%-44s %9.2f %9.2f %9.2f\n", "poll, nothing new (ms)", a.median, a.p95, a.max);
    std::printf("%-44s %9.0f %9.0f %9.0f\n", "poll, nothing new (bytes on the wire)", ab.median,
                ab.p95, ab.max);
    std::printf("%-44s %9.2f %9.2f %9.2f\n", "poll + fetch, one new (ms)", b.median, b.p95, b.max);
    std::printf("%-44s %9.0f %9.0f %9.0f\n", "poll + fetch, one new (bytes)", bb.median, bb.p95,
                bb.max);
    std::printf("%-44s %9.1f %9.1f %9.1f\n", "IDLE wake after SMTP acceptance (ms)", c.median,
                c.p95, c.max);
    return 0;
}
