#include "cvdbot/net/imap_idle.hpp"

#include <algorithm>
#include <string>
#include <utility>

#include "idle_protocol.hpp"
#include "imap_syntax.hpp"
#include "raw_imap.hpp"

namespace cvd::net {

namespace {

using core::ErrorKind;
using Clock = std::chrono::steady_clock;
using Read = detail::RawImap::Read;

// After a stop, how long DONE may take before the connection is simply dropped.
constexpr auto kStopGrace = std::chrono::milliseconds(500);

}  // namespace

struct ImapIdle::Impl {
    ImapSettings settings;
    std::chrono::seconds reissue;
    detail::RawImap connection{settings};
    bool unsupported = false;
    std::uint64_t idles = 0;
    std::uint64_t connects = 0;

    Impl(ImapSettings s, std::chrono::seconds r) : settings(std::move(s)), reissue(r) {}

    core::Status connect() {
        if (auto ok = imap::check_mailbox_name(settings.mailbox); !ok) return ok.error();
        ++connects;
        auto capabilities = connection.connect();
        if (!capabilities) return capabilities.error();
        unsupported = std::none_of(capabilities->begin(), capabilities->end(),
                                   [](const auto& l) { return imap::lists_capability(l, "IDLE"); });
        if (unsupported) return {};
        auto selected = connection.command("SELECT " + imap::quote(settings.mailbox));
        if (!selected) return selected.error();
        return {};
    }

    // The IDLE command stays open between waits: ending and starting it again costs the
    // server a mailbox synchronisation (16 ms on a 100,000-message Maildir), and a caller
    // that waits once a second would pay that every second. Only the re-issue ends it.
    std::string open_tag;  // of the IDLE command in progress; empty when none is
    Clock::time_point open_since;

    ~Impl() {
        // Polite, not awaited: the server expects DONE before anything else.
        if (!open_tag.empty() && connection.connected())
            (void)connection.send_all("DONE\r\n", Clock::now() + kStopGrace);
    }

    void drop() {
        open_tag.clear();
        connection.disconnect();
    }

    // Sends IDLE and reads up to its continuation. True if the server reported a change
    // meanwhile (mail that came while no IDLE was open).
    core::Result<bool> start_idle() {
        const std::string tag = connection.next_tag();
        ++idles;
        const auto deadline = connection.deadline();
        if (auto s = connection.send_all(tag + " IDLE\r\n", deadline); !s) return s.error();
        bool changed = false;
        for (;;) {
            auto read = connection.read_line(deadline, nullptr);
            if (!read) return read.error();
            if (*read != Read::line)
                return connection.error(ErrorKind::network, "IDLE not answered");
            switch (imap::classify_idle_line(connection.line(), tag)) {
                case imap::IdleLine::continuation:
                    open_tag = tag;
                    open_since = Clock::now();
                    return changed;
                case imap::IdleLine::mailbox_changed:
                    changed = true;
                    break;
                case imap::IdleLine::bye:
                case imap::IdleLine::tagged_ok:
                case imap::IdleLine::tagged_failure:
                    return connection.error(
                        ErrorKind::network,
                        "IDLE refused: " + detail::printable(connection.line()));
                case imap::IdleLine::other:
                    break;
            }
        }
    }

    // Reads what the open IDLE brings until a change is reported, `until` passes or `stop`.
    core::Result<IdleWake> listen(Clock::time_point until, const std::atomic<bool>& stop) {
        bool changed = false;
        for (;;) {
            // After a change only the lines already here are read: one delivery comes as
            // several (EXISTS, RECENT), and any left over would wake the next wait for the
            // same mail.
            auto read = changed ? connection.read_line(Clock::now(), nullptr)
                                : connection.read_line(until, &stop);
            if (!read) return read.error();
            if (changed && *read != Read::line) return IdleWake::mailbox_changed;
            if (*read == Read::stopped) return IdleWake::stopped;
            if (*read == Read::time_limit) return IdleWake::time_limit;
            auto kind = imap::classify_idle_line(connection.line(), open_tag);
            if (kind == imap::IdleLine::mailbox_changed) changed = true;
            if (kind == imap::IdleLine::bye || kind == imap::IdleLine::tagged_ok ||
                kind == imap::IdleLine::tagged_failure) {
                return connection.error(
                    ErrorKind::network,
                    "IDLE ended by the server: " + detail::printable(connection.line()));
            }
        }
    }

    // DONE, and the IDLE command's tagged answer.
    core::Status end_idle(Clock::time_point deadline) {
        const std::string tag = std::exchange(open_tag, std::string());
        if (auto s = connection.send_all("DONE\r\n", deadline); !s) return s;
        for (;;) {
            auto read = connection.read_line(deadline, nullptr);
            if (!read) return read.error();
            if (*read != Read::line)
                return connection.error(ErrorKind::network, "DONE not answered");
            auto kind = imap::classify_idle_line(connection.line(), tag);
            if (kind == imap::IdleLine::tagged_ok) return {};
            if (kind == imap::IdleLine::tagged_failure || kind == imap::IdleLine::bye) {
                return connection.error(ErrorKind::network,
                                        "IDLE failed: " + detail::printable(connection.line()));
            }
        }
    }

    core::Result<IdleWake> wait(std::chrono::milliseconds limit, const std::atomic<bool>& stop) {
        if (unsupported) return IdleWake::unsupported;
        if (!connection.connected()) {
            open_tag.clear();
            if (auto s = connect(); !s) {
                drop();
                return s.error();
            }
            if (unsupported) {
                drop();
                return IdleWake::unsupported;
            }
        }
        const auto end = Clock::now() + limit;
        for (;;) {
            auto wake = IdleWake::stopped;
            if (!stop) {
                if (open_tag.empty()) {
                    auto changed = start_idle();
                    if (!changed) {
                        drop();
                        return changed.error();
                    }
                    if (*changed) return IdleWake::mailbox_changed;
                }
                const auto reissue_at = open_since + reissue;
                auto heard = listen(std::min(end, reissue_at), stop);
                if (!heard) {
                    drop();
                    return heard.error();
                }
                wake = *heard;
                // The IDLE stays open for the next wait, unless it is due for re-issue.
                if (wake == IdleWake::mailbox_changed) return wake;
                if (wake == IdleWake::time_limit && Clock::now() < reissue_at) return wake;
            }
            if (!open_tag.empty()) {
                const auto deadline =
                    wake == IdleWake::stopped ? Clock::now() + kStopGrace : connection.deadline();
                if (auto s = end_idle(deadline); !s) {
                    drop();
                    return s.error();
                }
            }
            if (wake == IdleWake::stopped || Clock::now() >= end) return wake;
        }
    }
};

ImapIdle::ImapIdle(ImapSettings settings, std::chrono::seconds reissue)
    : impl_(std::make_unique<Impl>(std::move(settings), reissue)) {
    detail::ensure_curl_initialised();
}
ImapIdle::~ImapIdle() = default;
ImapIdle::ImapIdle(ImapIdle&&) noexcept = default;
ImapIdle& ImapIdle::operator=(ImapIdle&&) noexcept = default;

core::Result<IdleWake> ImapIdle::wait(std::chrono::milliseconds limit,
                                      const std::atomic<bool>& stop) {
    return impl_->wait(limit, stop);
}

std::uint64_t ImapIdle::idle_commands() const {
    return impl_->idles;
}

std::uint64_t ImapIdle::connections() const {
    return impl_->connects;
}

WireCounters ImapIdle::counters() const {
    return impl_->connection.counters();
}

}  // namespace cvd::net
