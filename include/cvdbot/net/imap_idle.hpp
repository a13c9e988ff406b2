#pragma once
// IMAP IDLE (RFC 2177) on a connection of its own: waits until the server reports new mail, a
// time limit passes or the caller asks to stop. The mail itself is still read by ImapClient.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>

#include "cvdbot/core/result.hpp"
#include "cvdbot/net/imap_client.hpp"
#include "cvdbot/net/wire_counters.hpp"

namespace cvd::net {

enum class IdleWake {
    mailbox_changed,  // the server reported EXISTS/RECENT: fetch now
    time_limit,       // the wait's limit passed without news
    stopped,          // `stop` became true
    unsupported,      // the server does not offer IDLE: poll instead
};

// Not thread-safe. A moved-from object may only be destroyed or assigned to.
class ImapIdle {
  public:
    // reissue: IDLE is ended and started again after this long, before the server's inactivity
    // timeout (RFC 2177: at least 30 minutes; clients re-issue at most every 29).
    ImapIdle(ImapSettings settings, std::chrono::seconds reissue);
    ~ImapIdle();
    ImapIdle(ImapIdle&&) noexcept;
    ImapIdle& operator=(ImapIdle&&) noexcept;
    ImapIdle(const ImapIdle&) = delete;
    ImapIdle& operator=(const ImapIdle&) = delete;

    // Logs in and selects the mailbox first when not connected. `stop` is looked at every 100
    // ms, so a stop is noticed well within a second. Mail that arrived since the previous
    // wait() returned wakes the next one at once. The IDLE command stays open from one wait()
    // to the next (ended only to re-issue it, or by a stop), so that a caller waking every
    // second costs the server nothing. Errors are ImapClient's kinds; after an error the
    // connection is dropped and the next wait() connects again.
    core::Result<IdleWake> wait(std::chrono::milliseconds limit, const std::atomic<bool>& stop);

    // IDLE commands sent so far (the first one and every re-issue), over all connections.
    std::uint64_t idle_commands() const;
    // Connections made so far (the first and every reconnect).
    std::uint64_t connections() const;
    WireCounters counters() const;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace cvd::net
