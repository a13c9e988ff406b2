#pragma once
// One libcurl easy handle with the capture every request needs: the body (binary-safe), the
// server's reply lines, an error buffer and byte counters. Internal to the net module.

#include <curl/curl.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cvdbot/net/wire_counters.hpp"

namespace cvd::net::detail {

// curl_global_init, once per process; throws std::runtime_error if libcurl cannot start.
void ensure_curl_initialised();

struct Timeouts {
    long connect_seconds = 10;
    long total_seconds = 60;
};

class CurlSession {
  public:
    CurlSession();  // throws std::runtime_error if no handle can be made
    ~CurlSession();
    CurlSession(const CurlSession&) = delete;
    CurlSession& operator=(const CurlSession&) = delete;

    // Clears every option of the previous request but keeps the open connection (and so the
    // IMAP selected state), then installs the capture callbacks and the common options.
    // protocols: e.g. "imap,imaps", so that a URL from the configuration cannot make us speak
    // anything else.
    void prepare(const std::string& url, const char* protocols, Timeouts timeouts);

    // Upload `data` (APPEND, SMTP DATA); it must outlive perform().
    void set_upload(std::string_view data);

    // For downloads (an IMAP FETCH literal): the body is message data, counted as received, and
    // the transfer is aborted once it would exceed `limit` bytes. libcurl's own
    // CURLOPT_MAXFILESIZE is not enforced for IMAP.
    void expect_download(std::uint64_t limit);
    bool download_limit_exceeded() const { return limit_exceeded_; }

    CURLcode perform();

    CURL* handle() { return handle_; }
    std::string& body() { return body_; }
    // Every line the server sent during the last perform(), without CRLF; the last 64 at most.
    const std::vector<std::string>& reply_lines() const { return reply_lines_; }
    // libcurl's detailed message for the last failure, else its generic text for `code`.
    std::string error_text(CURLcode code) const;
    WireCounters counters() const { return counters_; }

  private:
    static std::size_t on_write(char* data, std::size_t size, std::size_t count, void* self);
    static std::size_t on_header(char* data, std::size_t size, std::size_t count, void* self);
    static std::size_t on_read(char* buffer, std::size_t size, std::size_t count, void* self);
    static int on_debug(CURL* handle, curl_infotype type, char* data, std::size_t size, void* self);

    CURL* handle_ = nullptr;
    std::array<char, CURL_ERROR_SIZE> error_buffer_{};
    std::string body_;
    std::vector<std::string> reply_lines_;
    std::string_view upload_;
    std::size_t upload_offset_ = 0;
    bool download_ = false;
    std::uint64_t download_limit_ = 0;
    bool limit_exceeded_ = false;
    WireCounters counters_;
};

// For error messages, which the app logs. A URL without user name and password:
std::string redact_url(std::string_view url);
// Outside input with control characters and non-ASCII bytes as \xNN, so that it cannot start a
// new log line:
std::string printable(std::string_view text);

}  // namespace cvd::net::detail
