#pragma once
// The throwaway mail stack the net integration tests run against (contrib/mailstack.sh, started
// by a CTest fixture; MAILSTACK_ENV names its env file).

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "cvdbot/net/imap_client.hpp"
#include "cvdbot/net/smtp_client.hpp"

namespace cvd::test {

struct MailStack {
    std::string dir;
    std::string domain;
    std::string password;
    std::string imap_url;
    std::string smtp_url;
    std::string smtp_no_pipelining_url;  // the same Postfix, without the PIPELINING capability

    // Parsed once; fails the test run with a hint when not started through ctest.
    static const MailStack& get();

    std::string address(const std::string& user) const { return user + "@" + domain; }
    net::ImapSettings imap(const std::string& user, const std::string& mailbox = "INBOX") const;
    net::SmtpSettings smtp(bool pipelining = true) const;
    // contrib/mailstack.sh ACTION DIR, e.g. "stop-imap"; fails the test if the script does.
    void control(const std::string& action) const;
};

// A string no other message in the stack contains.
std::string unique_token();

// A CRLF message with the headers Postfix would otherwise add itself.
std::string make_message(const std::string& to, const std::string& subject,
                         const std::string& extra_headers, const std::string& body);

// Polls select() + uids_after(after) until `count` new UIDs are there or `timeout` passes.
std::vector<std::uint32_t> wait_for_uids(
    net::ImapClient& client, std::uint32_t after, std::size_t count,
    std::chrono::milliseconds timeout = std::chrono::seconds(5));

// The message as sent: the fetched bytes without the trace headers delivery put in front
// (Return-Path, Delivered-To, Received).
std::string without_trace_headers(const std::string& fetched);

}  // namespace cvd::test
