#pragma once
// SMTP submission of finished messages (already rendered, signed and encrypted).

#include <cstdint>
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

    bool operator==(const SmtpEnvelope&) const = default;
};

// One connection is reused across sends. libcurl connects, says EHLO, starts TLS and logs in;
// the transactions are ours, so that with PIPELINING (RFC 2920) the commands of one go out in
// one write. Not thread-safe. A moved-from client may only be destroyed or assigned to.
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
    //
    // `next`: the envelope of the message the caller means to send right after this one. When
    // the server pipelines, its MAIL, RCPT and DATA go out behind this message's content, so
    // that each message of a run costs one round trip. If the next call then brings another
    // envelope (or comes after more than a few seconds), that transaction is dropped with the
    // connection: nothing is sent for it.
    core::Status send(const SmtpEnvelope& envelope, std::string_view raw_message,
                      const SmtpEnvelope* next = nullptr);

    WireCounters counters() const;
    // Times the client wrote and then waited for the server's reply: four per message without
    // PIPELINING, one with it (and `next` given), plus one to open each transaction afresh.
    std::uint64_t round_trips() const;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace cvd::net
