#pragma once
// SMTP submission of finished messages (already rendered, signed and encrypted).

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cvdbot/core/result.hpp"
#include "cvdbot/net/wire_counters.hpp"

namespace cvd::net {

struct SmtpSettings {
    std::string url;  // smtp://host:port (STARTTLS if offered) or smtps://host:port
    std::string user;
    std::string password;  // empty user: no AUTH
    long connect_timeout_seconds = 10;
    long timeout_seconds = 60;
};

struct SmtpEnvelope {
    std::string mail_from;  // bare address, no angle brackets; empty for the null sender <>
    std::vector<std::string> recipients;
};

// One connection is reused across sends. Not thread-safe. A moved-from client may only be
// destroyed or assigned to.
class SmtpClient {
  public:
    explicit SmtpClient(SmtpSettings settings);
    ~SmtpClient();
    SmtpClient(SmtpClient&&) noexcept;
    SmtpClient& operator=(SmtpClient&&) noexcept;
    SmtpClient(const SmtpClient&) = delete;
    SmtpClient& operator=(const SmtpClient&) = delete;

    // ok: the server accepted the message for every recipient. Errors, with the server's reply:
    //   network        connection problems, timeouts and 4xx replies: try again later
    //   rejected       a 5xx reply to MAIL, RCPT or DATA: this message will not go through as is
    //   config         authentication refused or required: fix the settings (not the message)
    //   invalid_input  an address that cannot be put on the SMTP command line safely
    core::Status send(const SmtpEnvelope& envelope, std::string_view raw_message);

    WireCounters counters() const;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace cvd::net
