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

    // One IDLE command, ended by DONE once mail is reported, `until` passes or `stop` is raised.
    core::Result<IdleWake> idle_once(Clock::time_point until, const std::atomic<bool>& stop) {
        const std::string tag = connection.next_tag();
        ++idles;
        auto deadline = connection.deadline();
        if (auto s = connection.send_all(tag + " IDLE\r\n", deadline); !s) return s.error();
        bool changed = false;
        for (bool accepted = false; !accepted;) {
            auto read = connection.read_line(deadline, nullptr);
            if (!read) return read.error();
            if (*read != Read::line)
                return connection.error(ErrorKind::network, "IDLE not answered");
            switch (imap::classify_idle_line(connection.line(), tag)) {
                case imap::IdleLine::continuation:
                    accepted = true;
                    break;
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
        auto wake = IdleWake::time_limit;
        while (!changed) {
            auto read = connection.read_line(until, &stop);
            if (!read) return read.error();
            if (*read == Read::stopped) {
                wake = IdleWake::stopped;
                break;
            }
            if (*read == Read::time_limit) break;
            auto kind = imap::classify_idle_line(connection.line(), tag);
            if (kind == imap::IdleLine::mailbox_changed) changed = true;
            if (kind == imap::IdleLine::bye || kind == imap::IdleLine::tagged_ok ||
                kind == imap::IdleLine::tagged_failure) {
                return connection.error(
                    ErrorKind::network,
                    "IDLE ended by the server: " + detail::printable(connection.line()));
            }
        }
        if (changed) wake = IdleWake::mailbox_changed;
        deadline = wake == IdleWake::stopped ? Clock::now() + kStopGrace : connection.deadline();
        if (auto s = connection.send_all("DONE\r\n", deadline); !s) return s.error();
        for (;;) {
            auto read = connection.read_line(deadline, nullptr);
            if (!read) return read.error();
            if (*read != Read::line)
                return connection.error(ErrorKind::network, "DONE not answered");
            auto kind = imap::classify_idle_line(connection.line(), tag);
            if (kind == imap::IdleLine::tagged_ok) return wake;
            if (kind == imap::IdleLine::tagged_failure || kind == imap::IdleLine::bye) {
                return connection.error(ErrorKind::network,
                                        "IDLE failed: " + detail::printable(connection.line()));
            }
        }
    }

    core::Result<IdleWake> wait(std::chrono::milliseconds limit, const std::atomic<bool>& stop) {
        if (unsupported) return IdleWake::unsupported;
        if (!connection.connected()) {
            if (auto s = connect(); !s) {
                connection.disconnect();
                return s.error();
            }
            if (unsupported) {
                connection.disconnect();
                return IdleWake::unsupported;
            }
        }
        const auto end = Clock::now() + limit;
        for (;;) {
            if (stop) return IdleWake::stopped;
            auto until = std::min(end, Clock::now() + reissue);
            auto wake = idle_once(until, stop);
            if (!wake) {
                connection.disconnect();
                return wake.error();
            }
            // Re-issued while the caller's limit has not passed yet.
            if (*wake != IdleWake::time_limit || Clock::now() >= end) return *wake;
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
