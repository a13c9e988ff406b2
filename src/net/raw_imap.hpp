#pragma once
// An IMAP connection that libcurl opens and logs in (CURLOPT_CONNECT_ONLY) and that we speak on
// ourselves with curl_easy_send/recv: for what libcurl's request model cannot do (IDLE, a FETCH
// of many literals). Internal to the net module.

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "curl_session.hpp"
#include "cvdbot/core/result.hpp"
#include "cvdbot/net/imap_client.hpp"
#include "idle_protocol.hpp"

namespace cvd::net::detail {

class RawImap {
  public:
    using Clock = std::chrono::steady_clock;
    enum class Read { line, time_limit, stopped };

    explicit RawImap(const ImapSettings& settings);

    bool connected() const { return session_ != nullptr; }
    // Connects and logs in; then returns the server's capabilities ("* CAPABILITY" lines).
    core::Result<std::vector<std::string>> connect();
    void disconnect();

    std::string next_tag() { return "I" + std::to_string(++tag_counter_); }
    Clock::time_point deadline() const;

    core::Status send_all(std::string_view data, Clock::time_point deadline);
    // The next line into line(), unless the deadline passes or `stop` is raised first.
    core::Result<Read> read_line(Clock::time_point deadline, const std::atomic<bool>* stop);
    const std::string& line() const { return line_; }
    // Exactly `size` bytes (an IMAP literal).
    core::Result<std::string> read_literal(std::size_t size, Clock::time_point deadline);

    // Sends a tagged command and reads up to its completion. Untagged lines go to `on_line`;
    // a literal announced at the end of one ({n}) is read for it by `on_line` via
    // read_literal(), which must consume it.
    core::Status command(const std::string& text,
                         const std::function<core::Status(RawImap&)>& on_line);
    // The same, collecting the untagged lines (at most 1,000).
    core::Result<std::vector<std::string>> command(const std::string& text);

    core::Error error(core::ErrorKind kind, const std::string& what) const;
    WireCounters counters() const;

  private:
    core::Status wait_socket(short events, Clock::time_point deadline);

    const ImapSettings& settings_;
    std::string base_url_;
    std::unique_ptr<CurlSession> session_;
    curl_socket_t socket_ = CURL_SOCKET_BAD;
    imap::LineBuffer lines_;
    std::string line_;
    unsigned tag_counter_ = 0;
    WireCounters raw_;      // what we sent and received ourselves
    WireCounters dropped_;  // libcurl's counts for earlier connections
};

}  // namespace cvd::net::detail
