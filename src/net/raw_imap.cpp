#include "raw_imap.hpp"

#include <poll.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <utility>

#include "imap_syntax.hpp"

namespace cvd::net::detail {

namespace {
using core::ErrorKind;
// How often a wait looks at the stop flag.
constexpr auto kStopCheck = std::chrono::milliseconds(100);
}  // namespace

RawImap::RawImap(const ImapSettings& settings) : settings_(settings), base_url_(settings.url) {
    while (!base_url_.empty() && base_url_.back() == '/') base_url_.pop_back();
}

core::Error RawImap::error(ErrorKind kind, const std::string& what) const {
    return core::make_error(
        kind, "IMAP for " + settings_.user + " at " + redact_url(base_url_) + ": " + what);
}

RawImap::Clock::time_point RawImap::deadline() const {
    return Clock::now() + std::chrono::seconds(settings_.timeout_seconds);
}

core::Result<std::vector<std::string>> RawImap::connect() {
    disconnect();
    session_ = std::make_unique<CurlSession>();
    session_->prepare(base_url_ + "/", "imap,imaps",
                      {settings_.connect_timeout_seconds, settings_.timeout_seconds});
    CURL* handle = session_->handle();
    curl_easy_setopt(handle, CURLOPT_USERNAME, settings_.user.c_str());
    curl_easy_setopt(handle, CURLOPT_PASSWORD, settings_.password.c_str());
    // For IMAP, libcurl's connect phase includes the greeting, STARTTLS and the login.
    curl_easy_setopt(handle, CURLOPT_CONNECT_ONLY, 1L);
    // The total timeout would otherwise end the long-lived connection.
    curl_easy_setopt(handle, CURLOPT_TIMEOUT, 0L);
    CURLcode code = session_->perform();
    if (code != CURLE_OK) {
        auto kind = code == CURLE_LOGIN_DENIED ? ErrorKind::config : ErrorKind::network;
        auto text = session_->error_text(code);
        disconnect();
        return error(kind, "connect failed: " + text);
    }
    curl_easy_getinfo(handle, CURLINFO_ACTIVESOCKET, &socket_);
    if (socket_ == CURL_SOCKET_BAD) {
        disconnect();
        return error(ErrorKind::network, "libcurl has no socket for the connection");
    }
    auto capabilities = command("CAPABILITY");
    if (!capabilities) disconnect();
    return capabilities;
}

void RawImap::disconnect() {
    if (session_) {
        auto c = session_->counters();
        dropped_.bytes_sent += c.bytes_sent;
        dropped_.bytes_received += c.bytes_received;
        dropped_.connections += c.connections;
    }
    session_.reset();  // curl_easy_cleanup: LOGOUT if the connection still works, then close
    socket_ = CURL_SOCKET_BAD;
    lines_.clear();
}

core::Status RawImap::wait_socket(short events, Clock::time_point deadline) {
    auto now = Clock::now();
    auto slice =
        std::min<Clock::duration>(std::max(deadline - now, Clock::duration::zero()), kStopCheck);
    pollfd fd{socket_, events, 0};
    auto ms = std::chrono::ceil<std::chrono::milliseconds>(slice).count();
    if (::poll(&fd, 1, static_cast<int>(ms)) < 0 && errno != EINTR) {
        return error(ErrorKind::network, "poll failed");
    }
    return {};
}

core::Status RawImap::send_all(std::string_view data, Clock::time_point deadline) {
    if (!session_) return error(ErrorKind::network, "not connected");
    while (!data.empty()) {
        std::size_t sent = 0;
        CURLcode code = curl_easy_send(session_->handle(), data.data(), data.size(), &sent);
        if (code == CURLE_AGAIN) {
            if (Clock::now() >= deadline) return error(ErrorKind::network, "send timed out");
            if (auto s = wait_socket(POLLOUT, deadline); !s) return s;
            continue;
        }
        if (code != CURLE_OK) return error(ErrorKind::network, curl_easy_strerror(code));
        raw_.bytes_sent += sent;
        data.remove_prefix(sent);
    }
    return {};
}

core::Result<RawImap::Read> RawImap::read_line(Clock::time_point deadline,
                                               const std::atomic<bool>* stop) {
    if (!session_) return error(ErrorKind::network, "not connected");
    std::array<char, 16 * 1024> buffer;
    for (;;) {
        if (auto next = lines_.next_line()) {
            line_ = std::move(*next);
            return Read::line;
        }
        if (lines_.overflowed()) return error(ErrorKind::network, "response line too long");
        std::size_t received = 0;
        CURLcode code = curl_easy_recv(session_->handle(), buffer.data(), buffer.size(), &received);
        if (code == CURLE_OK && received == 0) {
            return error(ErrorKind::network, "the server closed the connection");
        }
        if (code == CURLE_OK) {
            raw_.bytes_received += received;
            lines_.feed({buffer.data(), received});
            continue;
        }
        if (code != CURLE_AGAIN) return error(ErrorKind::network, curl_easy_strerror(code));
        if (stop && *stop) return Read::stopped;
        if (Clock::now() >= deadline) return Read::time_limit;
        if (auto s = wait_socket(POLLIN, deadline); !s) return s.error();
    }
}

core::Result<std::string> RawImap::read_literal(std::size_t size, Clock::time_point deadline) {
    std::string data = lines_.take(size);
    data.reserve(size);
    while (data.size() < size) {
        std::size_t received = 0;
        // Straight into the string: no second copy of a large message.
        const auto old_size = data.size();
        data.resize(size);
        CURLcode code =
            curl_easy_recv(session_->handle(), data.data() + old_size, size - old_size, &received);
        data.resize(old_size + (code == CURLE_OK ? received : 0));
        if (code == CURLE_OK && received == 0) {
            return error(ErrorKind::network, "the server closed the connection");
        }
        if (code == CURLE_OK) {
            raw_.bytes_received += received;
            continue;
        }
        if (code != CURLE_AGAIN) return error(ErrorKind::network, curl_easy_strerror(code));
        if (Clock::now() >= deadline) return error(ErrorKind::network, "FETCH timed out");
        if (auto s = wait_socket(POLLIN, deadline); !s) return s.error();
    }
    return data;
}

core::Status RawImap::command(const std::string& text,
                              const std::function<core::Status(RawImap&)>& on_line) {
    const std::string tag = next_tag();
    const auto until = deadline();
    if (auto s = send_all(tag + " " + text + "\r\n", until); !s) return s;
    for (;;) {
        auto read = read_line(until, nullptr);
        if (!read) return read.error();
        if (*read != Read::line) return error(ErrorKind::network, text + " timed out");
        switch (imap::classify_idle_line(line_, tag)) {
            case imap::IdleLine::tagged_ok:
                return {};
            case imap::IdleLine::tagged_failure:
                return error(ErrorKind::rejected, text + " refused: " + printable(line_));
            case imap::IdleLine::bye:
                return error(ErrorKind::network,
                             "the server closed the connection: " + printable(line_));
            default:
                if (auto s = on_line(*this); !s) return s;
        }
    }
}

core::Result<std::vector<std::string>> RawImap::command(const std::string& text) {
    std::vector<std::string> untagged;
    auto done = command(text, [&](RawImap& self) -> core::Status {
        if (imap::literal_size(self.line())) {
            return error(ErrorKind::network, "unexpected literal in the answer to " + text);
        }
        if (untagged.size() < 1000) untagged.push_back(self.line());
        return {};
    });
    if (!done) return done.error();
    return untagged;
}

WireCounters RawImap::counters() const {
    WireCounters total = raw_;
    total.bytes_sent += dropped_.bytes_sent;
    total.bytes_received += dropped_.bytes_received;
    total.connections += dropped_.connections;
    if (session_) {
        auto c = session_->counters();
        total.bytes_sent += c.bytes_sent;
        total.bytes_received += c.bytes_received;
        total.connections += c.connections;
    }
    return total;
}

}  // namespace cvd::net::detail
