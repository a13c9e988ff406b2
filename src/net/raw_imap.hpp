#pragma once
// An IMAP connection that libcurl opens and logs in and that we speak on ourselves (a
// RawConnection): IDLE, and a FETCH of many literals. Internal to the net module.

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "cvdbot/core/result.hpp"
#include "cvdbot/net/imap_client.hpp"
#include "raw_connection.hpp"

namespace cvd::net::detail {

class RawImap {
  public:
    using Clock = RawConnection::Clock;
    using Read = RawConnection::Read;

    explicit RawImap(const ImapSettings& settings);

    bool connected() const { return conn_.connected(); }
    // Connects and logs in; then returns the server's capabilities ("* CAPABILITY" lines).
    core::Result<std::vector<std::string>> connect();
    void disconnect();

    std::string next_tag() { return "I" + std::to_string(++tag_counter_); }
    Clock::time_point deadline() const;

    core::Status send_all(std::string_view data, Clock::time_point deadline) {
        return conn_.send_all(data, deadline);
    }
    // The next line into line(), unless the deadline passes or `stop` is raised first.
    core::Result<Read> read_line(Clock::time_point deadline, const std::atomic<bool>* stop) {
        return conn_.read_line(deadline, stop);
    }
    const std::string& line() const { return conn_.line(); }
    // Exactly `size` bytes (an IMAP literal).
    core::Result<std::string> read_literal(std::size_t size, Clock::time_point deadline) {
        return conn_.read_exact(size, deadline);
    }

    // Sends a tagged command and reads up to its completion. Untagged lines go to `on_line`;
    // a literal announced at the end of one ({n}) is read for it by `on_line` via
    // read_literal(), which must consume it.
    core::Status command(const std::string& text,
                         const std::function<core::Status(RawImap&)>& on_line);
    // The same, collecting the untagged lines (at most 1,000).
    core::Result<std::vector<std::string>> command(const std::string& text);

    core::Error error(core::ErrorKind kind, const std::string& what) const {
        return conn_.error(kind, what);
    }
    WireCounters counters() const { return conn_.counters(); }

  private:
    const ImapSettings& settings_;
    std::string base_url_;
    RawConnection conn_;
    unsigned tag_counter_ = 0;
};

}  // namespace cvd::net::detail
