#include "raw_imap.hpp"

#include <utility>

#include "imap_syntax.hpp"

namespace cvd::net::detail {

namespace {
using core::ErrorKind;

std::string without_trailing_slashes(std::string url) {
    while (!url.empty() && url.back() == '/') url.pop_back();
    return url;
}
}  // namespace

RawImap::RawImap(const ImapSettings& settings)
    : settings_(settings),
      base_url_(without_trailing_slashes(settings.url)),
      conn_("IMAP for " + settings.user + " at " + redact_url(base_url_) + ": ") {}

RawImap::Clock::time_point RawImap::deadline() const {
    return Clock::now() + std::chrono::seconds(settings_.timeout_seconds);
}

core::Result<std::vector<std::string>> RawImap::connect() {
    CURLcode code = conn_.connect(base_url_ + "/", "imap,imaps",
                                  {settings_.connect_timeout_seconds, settings_.timeout_seconds},
                                  settings_.user, settings_.password);
    if (code != CURLE_OK) {
        auto kind = code == CURLE_LOGIN_DENIED ? ErrorKind::config : ErrorKind::network;
        auto text = conn_.connected() ? conn_.session().error_text(code) : curl_easy_strerror(code);
        conn_.disconnect();
        return error(kind, "connect failed: " + text);
    }
    auto capabilities = command("CAPABILITY");
    if (!capabilities) disconnect();
    return capabilities;
}

void RawImap::disconnect() {
    conn_.disconnect();
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
        switch (imap::classify_idle_line(line(), tag)) {
            case imap::IdleLine::tagged_ok:
                return {};
            case imap::IdleLine::tagged_failure:
                return error(ErrorKind::rejected, text + " refused: " + printable(line()));
            case imap::IdleLine::bye:
                return error(ErrorKind::network,
                             "the server closed the connection: " + printable(line()));
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

}  // namespace cvd::net::detail
