#include "raw_connection.hpp"

#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <utility>

namespace cvd::net::detail {

namespace {
using core::ErrorKind;
// How often a wait looks at the stop flag.
constexpr auto kStopCheck = std::chrono::milliseconds(100);
}  // namespace

RawConnection::RawConnection(std::string error_prefix) : error_prefix_(std::move(error_prefix)) {}

core::Error RawConnection::error(ErrorKind kind, const std::string& what) const {
    return core::make_error(kind, error_prefix_ + what);
}

CURLcode RawConnection::connect(const std::string& url, const char* protocols, Timeouts timeouts,
                                const std::string& user, const std::string& password) {
    disconnect();
    session_ = std::make_unique<CurlSession>();
    session_->prepare(url, protocols, timeouts);
    CURL* handle = session_->handle();
    if (!user.empty()) {
        curl_easy_setopt(handle, CURLOPT_USERNAME, user.c_str());
        curl_easy_setopt(handle, CURLOPT_PASSWORD, password.c_str());
    }
    curl_easy_setopt(handle, CURLOPT_CONNECT_ONLY, 1L);
    // The total timeout would otherwise end the long-lived connection.
    curl_easy_setopt(handle, CURLOPT_TIMEOUT, 0L);
    CURLcode code = session_->perform();
    if (code != CURLE_OK) return code;
    curl_easy_getinfo(handle, CURLINFO_ACTIVESOCKET, &socket_);
    return socket_ == CURL_SOCKET_BAD ? CURLE_COULDNT_CONNECT : CURLE_OK;
}

void RawConnection::disconnect() {
    if (session_) {
        auto c = session_->counters();
        dropped_.bytes_sent += c.bytes_sent;
        dropped_.bytes_received += c.bytes_received;
        dropped_.connections += c.connections;
    }
    // curl_easy_cleanup: LOGOUT / QUIT if libcurl thinks the connection still works, then close.
    session_.reset();
    socket_ = CURL_SOCKET_BAD;
    lines_.clear();
}

void RawConnection::abort() {
    if (socket_ != CURL_SOCKET_BAD) ::shutdown(socket_, SHUT_RDWR);
    disconnect();
}

core::Status RawConnection::wait_socket(short events, Clock::time_point deadline) {
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

core::Status RawConnection::send_all(std::string_view data, Clock::time_point deadline) {
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

core::Result<RawConnection::Read> RawConnection::read_line(Clock::time_point deadline,
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

core::Result<std::string> RawConnection::read_exact(std::size_t size, Clock::time_point deadline) {
    if (!session_) return error(ErrorKind::network, "not connected");
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
        if (Clock::now() >= deadline) return error(ErrorKind::network, "reading timed out");
        if (auto s = wait_socket(POLLIN, deadline); !s) return s.error();
    }
    return data;
}

bool RawConnection::spoke_unasked() {
    if (!session_) return false;
    if (auto pending = lines_.take(1); !pending.empty()) return true;
    // curl_easy_recv, not poll(): with TLS the socket can be readable with nothing for us (a
    // session ticket), and libcurl may hold decrypted bytes the socket no longer shows.
    std::array<char, 512> buffer;
    std::size_t received = 0;
    CURLcode code = curl_easy_recv(session_->handle(), buffer.data(), buffer.size(), &received);
    if (code == CURLE_AGAIN) return false;
    raw_.bytes_received += received;
    return true;  // data, end of file or an error: either way not a connection to use
}

WireCounters RawConnection::counters() const {
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
