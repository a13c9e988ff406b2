#include "curl_session.hpp"

#include <algorithm>
#include <cstring>
#include <mutex>
#include <stdexcept>

#include "idle_protocol.hpp"

namespace cvd::net::detail {

namespace {
constexpr std::size_t kMaxReplyLines = 64;
}

void ensure_curl_initialised() {
    static std::once_flag once;
    static CURLcode result = CURLE_OK;
    std::call_once(once, [] { result = curl_global_init(CURL_GLOBAL_DEFAULT); });
    if (result != CURLE_OK) {
        throw std::runtime_error(std::string("libcurl failed to initialise: ") +
                                 curl_easy_strerror(result));
    }
}

CurlSession::CurlSession() {
    ensure_curl_initialised();
    handle_ = curl_easy_init();
    if (handle_ == nullptr) throw std::runtime_error("libcurl could not create a handle");
}

CurlSession::~CurlSession() {
    // Logs out (IMAP LOGOUT, SMTP QUIT) on the cached connection.
    curl_easy_cleanup(handle_);
}

void CurlSession::prepare(const std::string& url, const char* protocols, Timeouts timeouts) {
    curl_easy_reset(handle_);
    body_.clear();
    reply_lines_.clear();
    upload_ = {};
    upload_offset_ = 0;
    download_ = false;
    limit_exceeded_ = false;
    error_buffer_[0] = '\0';

    curl_easy_setopt(handle_, CURLOPT_URL, url.c_str());
    curl_easy_setopt(handle_, CURLOPT_PROTOCOLS_STR, protocols);
    curl_easy_setopt(handle_, CURLOPT_ERRORBUFFER, error_buffer_.data());
    curl_easy_setopt(handle_, CURLOPT_CONNECTTIMEOUT, timeouts.connect_seconds);
    curl_easy_setopt(handle_, CURLOPT_TIMEOUT, timeouts.total_seconds);
    // No SIGALRM for DNS timeouts: the daemon has its own signal handling and may use threads.
    curl_easy_setopt(handle_, CURLOPT_NOSIGNAL, 1L);
    // Opportunistic STARTTLS for imap:// and smtp://; imaps:// and smtps:// are TLS anyway.
    curl_easy_setopt(handle_, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_TRY));

    curl_easy_setopt(handle_, CURLOPT_WRITEFUNCTION, &CurlSession::on_write);
    curl_easy_setopt(handle_, CURLOPT_WRITEDATA, this);
    curl_easy_setopt(handle_, CURLOPT_HEADERFUNCTION, &CurlSession::on_header);
    curl_easy_setopt(handle_, CURLOPT_HEADERDATA, this);
    // The debug callback is the only place libcurl shows the bytes it sends; with it set,
    // VERBOSE prints nothing.
    curl_easy_setopt(handle_, CURLOPT_DEBUGFUNCTION, &CurlSession::on_debug);
    curl_easy_setopt(handle_, CURLOPT_DEBUGDATA, this);
    curl_easy_setopt(handle_, CURLOPT_VERBOSE, 1L);
}

void CurlSession::set_upload(std::string_view data) {
    upload_ = data;
    upload_offset_ = 0;
    curl_easy_setopt(handle_, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(handle_, CURLOPT_READFUNCTION, &CurlSession::on_read);
    curl_easy_setopt(handle_, CURLOPT_READDATA, this);
    curl_easy_setopt(handle_, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(data.size()));
}

void CurlSession::expect_download(std::uint64_t limit) {
    download_ = true;
    download_limit_ = limit;
}

CURLcode CurlSession::perform() {
    CURLcode code = curl_easy_perform(handle_);
    long opened = 0;
    if (curl_easy_getinfo(handle_, CURLINFO_NUM_CONNECTS, &opened) == CURLE_OK && opened > 0) {
        counters_.connections += static_cast<std::uint64_t>(opened);
    }
    return code;
}

std::string CurlSession::error_text(CURLcode code) const {
    if (error_buffer_[0] != '\0') {
        std::string text(error_buffer_.data());
        while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
        return text;
    }
    return curl_easy_strerror(code);
}

std::size_t CurlSession::on_write(char* data, std::size_t size, std::size_t count, void* self) {
    auto& session = *static_cast<CurlSession*>(self);
    std::size_t n = size * count;
    if (session.download_) {
        if (session.body_.size() + n > session.download_limit_) {
            session.limit_exceeded_ = true;
            return 0;  // makes libcurl abort with CURLE_WRITE_ERROR
        }
        session.counters_.bytes_received += n;
    }
    // n bytes, which may include NULs: never treat data as a C string.
    session.body_.append(data, n);
    return n;
}

std::size_t CurlSession::on_header(char* data, std::size_t size, std::size_t count, void* self) {
    auto& session = *static_cast<CurlSession*>(self);
    std::string_view text(data, size * count);
    // libcurl hands over one line at a time; split anyway rather than rely on it.
    while (!text.empty()) {
        auto end = text.find('\n');
        auto line = text.substr(0, end);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (session.reply_lines_.size() == kMaxReplyLines) {
            session.reply_lines_.erase(session.reply_lines_.begin());
        }
        session.reply_lines_.emplace_back(line);
        // The FETCH line announces the literal's length ("* 1 FETCH (UID 7 BODY[] {N}"): the
        // body is sized once, not grown by doubling (a 34 MB message took a 64 MiB buffer).
        if (session.download_ && session.body_.empty())
            if (auto size = imap::literal_size(line); size && *size <= session.download_limit_)
                session.body_.reserve(static_cast<std::size_t>(*size));
        if (end == std::string_view::npos) break;
        text.remove_prefix(end + 1);
    }
    return size * count;
}

std::size_t CurlSession::on_read(char* buffer, std::size_t size, std::size_t count, void* self) {
    auto& session = *static_cast<CurlSession*>(self);
    std::size_t n = std::min(size * count, session.upload_.size() - session.upload_offset_);
    std::memcpy(buffer, session.upload_.data() + session.upload_offset_, n);
    session.upload_offset_ += n;
    return n;
}

int CurlSession::on_debug(CURL*, curl_infotype type, char*, std::size_t size, void* self) {
    auto& counters = static_cast<CurlSession*>(self)->counters_;
    // Every protocol line passes here as HEADER_IN/OUT and uploads as DATA_OUT. DATA_IN is not
    // used: libcurl hands the start of an IMAP literal to the write callback without showing it
    // here, so on_write counts downloads instead. TEXT is libcurl's own commentary, SSL_DATA_*
    // the encrypted form of the rest.
    switch (type) {
        case CURLINFO_HEADER_OUT:
        case CURLINFO_DATA_OUT:
            counters.bytes_sent += size;
            break;
        case CURLINFO_HEADER_IN:
            counters.bytes_received += size;
            break;
        default:
            break;
    }
    return 0;
}

std::string redact_url(std::string_view url) {
    // scheme://user:password@host/... -> scheme://host/...
    auto scheme_end = url.find("://");
    if (scheme_end == std::string_view::npos) return std::string(url);
    auto authority_start = scheme_end + 3;
    auto authority_end = url.find_first_of("/?#", authority_start);
    auto authority = url.substr(authority_start, authority_end == std::string_view::npos
                                                     ? std::string_view::npos
                                                     : authority_end - authority_start);
    auto at = authority.rfind('@');
    if (at == std::string_view::npos) return std::string(url);
    std::string out(url.substr(0, authority_start));
    out += url.substr(authority_start + at + 1);
    return out;
}

std::string printable(std::string_view text) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (char c : text) {
        auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20 || byte >= 0x7f) {
            out += "\\x";
            out += kHex[byte >> 4];
            out += kHex[byte & 0xf];
        } else {
            out += c;
        }
    }
    return out;
}

}  // namespace cvd::net::detail
