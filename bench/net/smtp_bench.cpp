// The sender alone: submits saved replies (the curl config the catch-up benchmark writes,
// bench/scripts/phases.py save_replies) through net::SmtpClient, naming each next envelope as
// the outbox sender does, and reports the rate. Run against the same Postfix as `curl -K` on
// that config to tell the client's share of the catch-up from the server's.
//
//   smtp_bench SMTP_URL CURL_CONFIG

#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "cvdbot/net/smtp_client.hpp"

using namespace cvd;
using Clock = std::chrono::steady_clock;

namespace {

struct Reply {
    net::SmtpEnvelope envelope;
    std::string raw;
};

[[noreturn]] void die(const std::string& what) {
    std::fprintf(stderr, "smtp_bench: %s\n", what.c_str());
    std::exit(1);
}

// The value of `key = "value"`, or empty.
std::string quoted_value(const std::string& line, const std::string& key) {
    if (line.rfind(key + " = \"", 0) != 0 || line.size() < key.size() + 5) return {};
    return line.substr(key.size() + 4, line.size() - key.size() - 5);
}

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) die("cannot read " + path);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

std::vector<Reply> read_config(const std::string& path) {
    std::ifstream in(path);
    if (!in) die("cannot read " + path);
    std::vector<Reply> replies(1);
    for (std::string line; std::getline(in, line);) {
        if (line == "next") {
            replies.emplace_back();
        } else if (auto from = quoted_value(line, "mail-from"); !from.empty()) {
            replies.back().envelope.mail_from = from;
        } else if (auto rcpt = quoted_value(line, "mail-rcpt"); !rcpt.empty()) {
            replies.back().envelope.recipients.push_back(rcpt);
        } else if (auto file = quoted_value(line, "upload-file"); !file.empty()) {
            replies.back().raw = slurp(file);
        }
    }
    if (replies.back().envelope.recipients.empty()) replies.pop_back();
    return replies;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 3) die("usage: smtp_bench SMTP_URL CURL_CONFIG");
    const auto replies = read_config(argv[2]);
    if (replies.empty()) die("no replies in " + std::string(argv[2]));
    net::SmtpClient client(net::SmtpSettings{argv[1], "", ""});
    const auto start = Clock::now();
    for (std::size_t i = 0; i < replies.size(); ++i) {
        const auto* next = i + 1 < replies.size() ? &replies[i + 1].envelope : nullptr;
        if (auto sent = client.send(replies[i].envelope, replies[i].raw, next); !sent)
            die("reply " + std::to_string(i) + ": " + core::describe(sent.error()));
    }
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    std::printf("%zu replies in %.2f s: %.1f msg/s, %llu round trips\n", replies.size(), seconds,
                static_cast<double>(replies.size()) / seconds,
                static_cast<unsigned long long>(client.round_trips()));
}
