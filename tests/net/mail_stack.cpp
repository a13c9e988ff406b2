#include "mail_stack.hpp"

#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <map>
#include <thread>

namespace cvd::test {

namespace {

std::map<std::string, std::string> read_env_file(const std::string& path) {
    std::ifstream in(path);
    if (!in) FAIL("cannot read " << path << ": is the mail stack fixture running?");
    std::map<std::string, std::string> vars;
    std::string line;
    while (std::getline(in, line)) {
        auto eq = line.find('=');
        if (eq == std::string::npos) continue;
        auto value = line.substr(eq + 1);
        if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
            value = value.substr(1, value.size() - 2);
        }
        vars[line.substr(0, eq)] = value;
    }
    return vars;
}

MailStack load() {
    const char* env_path = std::getenv("MAILSTACK_ENV");
    if (env_path == nullptr) {
        FAIL(
            "MAILSTACK_ENV is not set: run these tests through ctest (ctest -R net), which starts "
            "the mail stack, or start it with contrib/mailstack.sh and point MAILSTACK_ENV at "
            "its env file");
    }
    auto vars = read_env_file(env_path);
    MailStack stack{vars["MAILSTACK_DIR"],      vars["MAILSTACK_DOMAIN"],
                    vars["MAILSTACK_PASSWORD"], vars["MAILSTACK_IMAP_URL"],
                    vars["MAILSTACK_SMTP_URL"], vars["MAILSTACK_SMTP_NO_PIPELINING_URL"]};
    if (stack.imap_url.empty() || stack.smtp_url.empty() || stack.smtp_no_pipelining_url.empty())
        FAIL(env_path << " lacks the URLs");
    return stack;
}

}  // namespace

const MailStack& MailStack::get() {
    static const MailStack stack = load();
    return stack;
}

net::ImapSettings MailStack::imap(const std::string& user, const std::string& mailbox) const {
    net::ImapSettings settings;
    settings.url = imap_url;
    settings.user = user;
    settings.password = password;
    settings.mailbox = mailbox;
    settings.connect_timeout_seconds = 5;
    settings.timeout_seconds = 30;
    return settings;
}

net::SmtpSettings MailStack::smtp(bool pipelining) const {
    net::SmtpSettings settings;
    settings.url = pipelining ? smtp_url : smtp_no_pipelining_url;
    settings.connect_timeout_seconds = 5;
    settings.timeout_seconds = 30;
    return settings;
}

void MailStack::control(const std::string& action) const {
    // Paths come from our own build and env file; nothing here is outside input.
    std::string command = std::string(CVDBOT_SOURCE_DIR) + "/contrib/mailstack.sh " + action +
                          " '" + dir + "' >/dev/null";
    INFO(command);
    REQUIRE(std::system(command.c_str()) == 0);
}

std::string unique_token() {
    static std::atomic<int> counter{0};
    auto now = std::chrono::system_clock::now().time_since_epoch();
    return "t" + std::to_string(::getpid()) + "x" +
           std::to_string(std::chrono::duration_cast<std::chrono::microseconds>(now).count()) +
           "x" + std::to_string(counter++);
}

std::string make_message(const std::string& to, const std::string& subject,
                         const std::string& extra_headers, const std::string& body) {
    std::string token = unique_token();
    return "From: Net Test <nettest@example.test>\r\n"
           "To: " +
           to +
           "\r\n"
           "Subject: " +
           subject +
           "\r\n"
           "Date: Wed, 25 Nov 2026 10:00:00 +0900\r\n"
           "Message-ID: <" +
           token +
           "@example.test>\r\n"
           "MIME-Version: 1.0\r\n" +
           extra_headers + "\r\n" + body;
}

std::vector<std::uint32_t> wait_for_uids(net::ImapClient& client, std::uint32_t after,
                                         std::size_t count, std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    std::vector<std::uint32_t> uids;
    while (true) {
        auto status = client.select();
        REQUIRE(status.ok());
        auto found = client.uids_after(after);
        REQUIRE(found.ok());
        uids = *found;
        if (uids.size() >= count || std::chrono::steady_clock::now() > deadline) return uids;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
}

std::string without_trace_headers(const std::string& fetched) {
    std::size_t pos = 0;
    bool in_trace = false;
    while (pos < fetched.size()) {
        auto end = fetched.find("\r\n", pos);
        if (end == std::string::npos) break;
        std::string_view line(fetched.data() + pos, end - pos);
        bool continuation = !line.empty() && (line[0] == ' ' || line[0] == '\t');
        bool trace = line.starts_with("Return-Path:") || line.starts_with("Delivered-To:") ||
                     line.starts_with("Received:");
        if (!(trace || (continuation && in_trace))) break;
        in_trace = true;
        pos = end + 2;
    }
    return fetched.substr(pos);
}

}  // namespace cvd::test
