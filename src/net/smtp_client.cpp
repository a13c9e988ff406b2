#include "cvdbot/net/smtp_client.hpp"

#include <memory>
#include <utility>

#include "curl_session.hpp"

namespace cvd::net {

namespace {

using core::ErrorKind;
using core::make_error;

// An address goes onto "MAIL FROM:<...>" / "RCPT TO:<...>" as is: nothing that could end the
// line or the brackets. Non-ASCII is allowed (libcurl negotiates SMTPUTF8).
core::Status check_address(std::string_view address, std::string_view role) {
    if (address.size() > 320) {
        return make_error(ErrorKind::invalid_input, std::string(role) + " address is too long");
    }
    for (char c : address) {
        auto byte = static_cast<unsigned char>(c);
        if (byte <= 0x20 || byte == 0x7f || c == '<' || c == '>') {
            return make_error(ErrorKind::invalid_input,
                              std::string(role) + " address '" + detail::printable(address) +
                                  "' must be a bare address without spaces, control characters "
                                  "or angle brackets");
        }
    }
    return {};
}

// The last error reply (4xx/5xx) among the server's lines: the final line of a multi-line one.
std::string last_error_reply(const std::vector<std::string>& lines) {
    for (auto it = lines.rbegin(); it != lines.rend(); ++it) {
        const auto& line = *it;
        if (line.size() >= 3 && (line[0] == '4' || line[0] == '5') && line[1] >= '0' &&
            line[1] <= '9' && line[2] >= '0' && line[2] <= '9') {
            return line;
        }
    }
    return {};
}

struct SlistDeleter {
    void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

}  // namespace

struct SmtpClient::Impl {
    SmtpSettings settings;
    detail::CurlSession session;

    explicit Impl(SmtpSettings s) : settings(std::move(s)) {}

    core::Error failure(CURLcode code) {
        std::string server = detail::printable(last_error_reply(session.reply_lines()));
        long reply_code = 0;
        if (server.size() >= 3) {
            reply_code = (server[0] - '0') * 100 + (server[1] - '0') * 10 + (server[2] - '0');
        } else {
            curl_easy_getinfo(session.handle(), CURLINFO_RESPONSE_CODE, &reply_code);
        }

        ErrorKind kind = ErrorKind::network;
        bool auth_problem = code == CURLE_LOGIN_DENIED || reply_code == 530 || reply_code == 534 ||
                            reply_code == 535 || reply_code == 538;
        if (reply_code >= 400 && reply_code < 500) {
            kind = ErrorKind::network;  // the server says: try again later
        } else if (auth_problem) {
            // Permanent, but not the message's fault: every message would fail the same way.
            kind = ErrorKind::config;
        } else if (reply_code >= 500 && reply_code < 600) {
            kind = ErrorKind::rejected;
        } else if (code == CURLE_URL_MALFORMAT || code == CURLE_UNSUPPORTED_PROTOCOL ||
                   code == CURLE_PEER_FAILED_VERIFICATION || code == CURLE_USE_SSL_FAILED) {
            kind = ErrorKind::config;
        }

        // libcurl's own text can mislead ("Failed sending data to the peer" for a refused
        // RCPT); the detail is in the error buffer and the server's reply.
        std::string message =
            "SMTP to " + detail::redact_url(settings.url) + " failed: " + session.error_text(code);
        if (!server.empty()) message += "; the server said: " + server;
        if (kind == ErrorKind::config && auth_problem) {
            if (message.back() != '.') message += '.';
            message += " Check the SMTP user name and password.";
        }
        return make_error(kind, std::move(message));
    }
};

SmtpClient::SmtpClient(SmtpSettings settings)
    : impl_(std::make_unique<Impl>(std::move(settings))) {}
SmtpClient::~SmtpClient() = default;
SmtpClient::SmtpClient(SmtpClient&&) noexcept = default;
SmtpClient& SmtpClient::operator=(SmtpClient&&) noexcept = default;

core::Status SmtpClient::send(const SmtpEnvelope& envelope, std::string_view raw_message) {
    if (auto ok = check_address(envelope.mail_from, "sender"); !ok) return ok.error();
    if (envelope.recipients.empty()) {
        return make_error(ErrorKind::invalid_input, "an SMTP envelope needs a recipient");
    }
    std::unique_ptr<curl_slist, SlistDeleter> recipients;
    for (const auto& recipient : envelope.recipients) {
        if (recipient.empty()) {
            return make_error(ErrorKind::invalid_input, "empty SMTP recipient address");
        }
        if (auto ok = check_address(recipient, "recipient"); !ok) return ok.error();
        // Returns the list's head: new on the first call, the same one afterwards.
        curl_slist* head = curl_slist_append(recipients.get(), recipient.c_str());
        if (head == nullptr) return make_error(ErrorKind::internal, "out of memory");
        if (!recipients) recipients.reset(head);
    }

    auto& session = impl_->session;
    const auto& settings = impl_->settings;
    session.prepare(settings.url, "smtp,smtps",
                    {settings.connect_timeout_seconds, settings.timeout_seconds});
    CURL* handle = session.handle();
    if (!settings.user.empty()) {
        curl_easy_setopt(handle, CURLOPT_USERNAME, settings.user.c_str());
        curl_easy_setopt(handle, CURLOPT_PASSWORD, settings.password.c_str());
    }
    // Unset, libcurl sends the null reverse-path "MAIL FROM:<>".
    if (!envelope.mail_from.empty()) {
        curl_easy_setopt(handle, CURLOPT_MAIL_FROM, envelope.mail_from.c_str());
    }
    curl_easy_setopt(handle, CURLOPT_MAIL_RCPT, recipients.get());
    session.set_upload(raw_message);

    CURLcode code = session.perform();
    if (code != CURLE_OK) return impl_->failure(code);
    return {};
}

WireCounters SmtpClient::counters() const {
    return impl_->session.counters();
}

}  // namespace cvd::net
