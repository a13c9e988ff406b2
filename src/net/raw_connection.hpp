#pragma once
// A connection that libcurl opens (CURLOPT_CONNECT_ONLY: for IMAP and SMTP its connect phase
// includes the greeting, STARTTLS and the login) and that we speak on ourselves with
// curl_easy_send/recv, for what libcurl's request model cannot do: IMAP IDLE, a FETCH of many
// literals, SMTP PIPELINING. Internal to the net module.

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "curl_session.hpp"
#include "cvdbot/core/result.hpp"
#include "cvdbot/net/wire_counters.hpp"
#include "idle_protocol.hpp"

namespace cvd::net::detail {

class RawConnection {
  public:
    using Clock = std::chrono::steady_clock;
    enum class Read { line, time_limit, stopped };

    // error_prefix starts every error message ("IMAP for bot at imap://host: ").
    explicit RawConnection(std::string error_prefix);

    // CURLE_OK once connected (and logged in, where user is not empty). On failure the session
    // stays open, so that its reply lines and error text can be read; disconnect() afterwards.
    CURLcode connect(const std::string& url, const char* protocols, Timeouts timeouts,
                     const std::string& user, const std::string& password);
    void disconnect();
    // Closes without a goodbye: for a connection in an unknown state (inside SMTP DATA, or a
    // server that stopped answering), where libcurl's QUIT or LOGOUT would wait for a reply.
    void abort();
    bool connected() const { return session_ != nullptr; }
    // The libcurl side: what the server said during the connect phase. Only while connected.
    CurlSession& session() { return *session_; }

    core::Status send_all(std::string_view data, Clock::time_point deadline);
    // The next line (without CRLF) into line(), unless the deadline passes or `stop` is raised
    // first.
    core::Result<Read> read_line(Clock::time_point deadline, const std::atomic<bool>* stop);
    const std::string& line() const { return line_; }
    // Exactly `size` bytes (an IMAP literal), straight into the result.
    core::Result<std::string> read_exact(std::size_t size, Clock::time_point deadline);
    // Whether the server has sent something or closed the connection while nothing was asked:
    // an idle connection it gave up on ("421 timeout", then EOF). Does not wait.
    bool spoke_unasked();

    core::Error error(core::ErrorKind kind, const std::string& what) const;
    WireCounters counters() const;

  private:
    core::Status wait_socket(short events, Clock::time_point deadline);

    std::string error_prefix_;
    std::unique_ptr<CurlSession> session_;
    curl_socket_t socket_ = CURL_SOCKET_BAD;
    imap::LineBuffer lines_;
    std::string line_;
    WireCounters raw_;      // what we sent and received ourselves
    WireCounters dropped_;  // libcurl's counts for earlier connections
};

}  // namespace cvd::net::detail
