#include "cvdbot/net/smtp_client.hpp"

#include <algorithm>
#include <chrono>
#include <optional>
#include <utility>

#include "cvdbot/core/text.hpp"
#include "raw_connection.hpp"

namespace cvd::net {

namespace {

using core::ErrorKind;
using core::make_error;
using Clock = detail::RawConnection::Clock;

// A transaction opened ahead (PIPELINING) is used only this soon after: later the server may
// have given up waiting for its content.
constexpr auto kOpenedAheadLife = std::chrono::seconds(5);
// Message content goes out dot-stuffed in writes of this size, never as a copy of the whole.
constexpr std::size_t kWriteSize = 64 * 1024;
// A server's reply text in an error message, at most.
constexpr std::size_t kReplyTextLimit = 512;
// Lines of one reply (EHLO's, the longest we expect, has a few dozen).
constexpr int kMostReplyLines = 1000;

// An address goes onto "MAIL FROM:<...>" / "RCPT TO:<...>" as is: nothing that could end the
// line or the brackets. Non-ASCII is allowed (with SMTPUTF8 where the server offers it).
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

core::Status check_envelope(const SmtpEnvelope& envelope) {
    if (auto ok = check_address(envelope.mail_from, "sender"); !ok) return ok;
    if (envelope.recipients.empty()) {
        return make_error(ErrorKind::invalid_input, "an SMTP envelope needs a recipient");
    }
    for (const auto& recipient : envelope.recipients) {
        if (recipient.empty()) {
            return make_error(ErrorKind::invalid_input, "empty SMTP recipient address");
        }
        if (auto ok = check_address(recipient, "recipient"); !ok) return ok;
    }
    return {};
}

// The reply code that starts an SMTP reply line ("250-...", "354 ..."); -1 if there is none.
int reply_code(std::string_view line) {
    if (line.size() < 3 || (line.size() > 3 && line[3] != ' ' && line[3] != '-')) return -1;
    int code = 0;
    for (char c : line.substr(0, 3)) {
        if (c < '0' || c > '9') return -1;
        code = code * 10 + (c - '0');
    }
    return code;
}

bool is_error_reply(std::string_view line) {
    const int code = reply_code(line);
    return code >= 400 && code < 600;
}

bool is_auth_problem(long code) {
    return code == 530 || code == 534 || code == 535 || code == 538;
}

ErrorKind kind_for_reply(int code) {
    if (code >= 400 && code < 500) return ErrorKind::network;  // the server says: try later
    // Permanent, but not the message's fault: every message would fail the same way.
    if (is_auth_problem(code)) return ErrorKind::config;
    if (code >= 500 && code < 600) return ErrorKind::rejected;
    return ErrorKind::network;
}

std::string with_auth_hint(std::string message) {
    if (message.back() != '.') message += '.';
    return message + " Check the SMTP user name and password.";
}

struct Capabilities {
    bool pipelining = false;
    bool smtputf8 = false;
};

// From what libcurl saw while connecting: the EHLO reply after the last 220 (the greeting, or
// STARTTLS's go-ahead, after which EHLO is said again and the earlier reply no longer holds).
Capabilities capabilities_from(const std::vector<std::string>& lines) {
    auto start = lines.begin();
    for (auto it = lines.begin(); it != lines.end(); ++it)
        if (reply_code(*it) == 220) start = it;
    Capabilities found;
    for (auto it = start; it != lines.end(); ++it) {
        if (reply_code(*it) != 250 || it->size() < 5) continue;
        const auto rest = std::string_view(*it).substr(4);
        const auto keyword = rest.substr(0, rest.find(' '));
        if (core::iequals_ascii(keyword, "PIPELINING")) found.pipelining = true;
        if (core::iequals_ascii(keyword, "SMTPUTF8")) found.smtputf8 = true;
    }
    return found;
}

struct Reply {
    int code = 0;
    std::string text;  // the last line, printable
};

}  // namespace

struct SmtpClient::Impl {
    SmtpSettings settings;
    detail::RawConnection conn;
    Capabilities capabilities;
    // Sent ahead behind the previous message (PIPELINING); its replies are not read yet.
    std::optional<SmtpEnvelope> opened_ahead;
    Clock::time_point opened_ahead_at;
    std::string out;  // written on flush()
    std::uint64_t round_trips = 0;

    explicit Impl(SmtpSettings s)
        : settings(std::move(s)),
          conn("SMTP to " + detail::redact_url(settings.url) + " failed: ") {}

    ~Impl() {
        // Inside a transaction, libcurl's QUIT would be taken as message content and wait.
        if (opened_ahead) conn.abort();
    }

    Clock::time_point deadline() const {
        return Clock::now() + std::chrono::seconds(settings.timeout_seconds);
    }

    void drop() {
        conn.abort();
        opened_ahead.reset();
        out.clear();
    }

    core::Status connect() {
        CURLcode code = conn.connect(settings.url, "smtp,smtps",
                                     {settings.connect_timeout_seconds, settings.timeout_seconds},
                                     settings.user, settings.password);
        if (code != CURLE_OK) {
            auto failure = connect_failure(code);
            drop();
            return failure;
        }
        capabilities = capabilities_from(conn.session().reply_lines());
        return {};
    }

    core::Error connect_failure(CURLcode code) {
        auto& session = conn.session();
        std::string server;
        const auto& lines = session.reply_lines();
        if (auto it = std::find_if(lines.rbegin(), lines.rend(), is_error_reply);
            it != lines.rend())
            server = detail::printable(*it);
        long code_said = reply_code(server);
        if (code_said < 0) curl_easy_getinfo(session.handle(), CURLINFO_RESPONSE_CODE, &code_said);

        const bool auth_problem = code == CURLE_LOGIN_DENIED || is_auth_problem(code_said);
        ErrorKind kind = ErrorKind::network;
        if (code_said >= 400 && code_said < 500) {
            kind = ErrorKind::network;
        } else if (auth_problem) {
            kind = ErrorKind::config;
        } else if (code_said >= 500 && code_said < 600) {
            kind = ErrorKind::rejected;
        } else if (code == CURLE_URL_MALFORMAT || code == CURLE_UNSUPPORTED_PROTOCOL ||
                   code == CURLE_PEER_FAILED_VERIFICATION || code == CURLE_USE_SSL_FAILED) {
            kind = ErrorKind::config;
        }
        // libcurl's own text can mislead; the detail is in the error buffer and the reply.
        std::string message = session.error_text(code);
        if (!server.empty()) message += "; the server said: " + server;
        if (kind == ErrorKind::config && auth_problem) message = with_auth_hint(message);
        return conn.error(kind, message);
    }

    core::Error refused(const std::string& what, const Reply& reply) const {
        const auto kind = kind_for_reply(reply.code);
        std::string message = what + " refused; the server said: " + reply.text;
        if (is_auth_problem(reply.code)) message = with_auth_hint(message);
        return conn.error(kind, message);
    }

    core::Status flush(Clock::time_point until) {
        auto sent = conn.send_all(out, until);
        out.clear();
        return sent;
    }

    core::Result<Reply> read_reply(Clock::time_point until) {
        // A server that never ends its reply must not keep us reading.
        for (int lines = 0; lines < kMostReplyLines; ++lines) {
            auto read = conn.read_line(until, nullptr);
            if (!read) return read.error();
            if (*read != detail::RawConnection::Read::line)
                return conn.error(
                    ErrorKind::network,
                    "no reply within " + std::to_string(settings.timeout_seconds) + " s");
            std::string_view line = conn.line();
            const int code = reply_code(line);
            if (code < 0)
                return conn.error(ErrorKind::network,
                                  "not an SMTP reply: " + detail::printable(line.substr(0, 200)));
            if (line.size() == 3 || line[3] == ' ')
                return Reply{code, detail::printable(line.substr(0, kReplyTextLimit))};
        }
        return conn.error(ErrorKind::network,
                          "a reply of more than " + std::to_string(kMostReplyLines) + " lines");
    }

    std::vector<std::string> envelope_commands(const SmtpEnvelope& envelope) const {
        bool utf8 = !core::is_ascii(envelope.mail_from);
        for (const auto& recipient : envelope.recipients) utf8 = utf8 || !core::is_ascii(recipient);
        std::vector<std::string> commands;
        commands.push_back("MAIL FROM:<" + envelope.mail_from + ">" +
                           (utf8 && capabilities.smtputf8 ? " SMTPUTF8" : ""));
        for (const auto& recipient : envelope.recipients)
            commands.push_back("RCPT TO:<" + recipient + ">");
        commands.emplace_back("DATA");
        return commands;
    }

    void stage(const std::vector<std::string>& commands) {
        for (const auto& command : commands) {
            out += command;
            out += "\r\n";
        }
    }

    // MAIL, RCPT and DATA (sent now, unless they went ahead) up to the server's 354. A failure
    // that says nothing about the message (the connection broke, 421) sets `connection_lost`.
    core::Status open_transaction(const SmtpEnvelope& envelope, bool& connection_lost) {
        const auto until = deadline();
        const auto lost = [&](core::Error error) {
            connection_lost = true;
            return error;
        };
        const auto commands = envelope_commands(envelope);
        const bool sent_ahead = opened_ahead.has_value();
        opened_ahead.reset();
        const bool lockstep = !sent_ahead && !capabilities.pipelining;
        if (!sent_ahead && !lockstep) {
            stage(commands);
            if (auto sent = flush(until); !sent) return lost(sent.error());
            ++round_trips;
        }
        std::optional<core::Error> refusal;
        for (std::size_t i = 0; i < commands.size(); ++i) {
            if (lockstep) {
                stage({commands[i]});
                if (auto sent = flush(until); !sent) return lost(sent.error());
                ++round_trips;
            }
            auto reply = read_reply(until);
            if (!reply) return lost(reply.error());
            // 421: the server is closing this connection (idle too long, shutting down).
            if (reply->code == 421) return lost(refused(commands[i], *reply));
            const bool data = i + 1 == commands.size();
            if (data && reply->code == 354) {
                // Replies to commands sent ahead may have waited in the socket while the server
                // went away: better found out now than after the content.
                if (!refusal && sent_ahead && conn.spoke_unasked())
                    return lost(conn.error(ErrorKind::network, "the server closed the connection"));
                if (!refusal) return {};
                // A recipient was refused and the server waits for content anyway: closing the
                // connection is the only way out of DATA without sending a message.
                drop();
                return *refusal;
            }
            if (!data && reply->code / 100 == 2) continue;
            if (!refusal) refusal = refused(data ? "DATA" : commands[i], *reply);
            if (lockstep) break;
        }
        // Whatever part of the transaction the server keeps, RSET clears it for the next.
        stage({"RSET"});
        bool reset = false;
        if (flush(until).ok()) {
            auto reply = read_reply(until);
            reset = reply && reply->code == 250;
        }
        if (!reset) drop();
        return *refusal;
    }

    // The content, dot-stuffed (RFC 5321 4.5.2) and ended with CRLF "." CRLF, into `out`,
    // written in pieces of kWriteSize; the last piece stays in `out`.
    core::Status stage_content(std::string_view raw, Clock::time_point until) {
        const bool ends_with_crlf = raw.ends_with("\r\n");
        bool line_start = true;
        while (!raw.empty()) {
            if (line_start && raw.front() == '.') out += '.';
            const auto newline = raw.find('\n');
            const auto length = newline == std::string_view::npos ? raw.size() : newline + 1;
            auto piece = raw.substr(0, length);
            while (!piece.empty()) {
                if (out.size() >= kWriteSize) {
                    if (auto sent = flush(until); !sent) return sent;
                }
                const auto take = std::min(piece.size(), kWriteSize - out.size());
                out.append(piece.substr(0, take));
                piece.remove_prefix(take);
            }
            line_start = newline != std::string_view::npos;
            raw.remove_prefix(length);
        }
        if (!ends_with_crlf) out += "\r\n";
        out += ".\r\n";
        return {};
    }
};

SmtpClient::SmtpClient(SmtpSettings settings)
    : impl_(std::make_unique<Impl>(std::move(settings))) {}
SmtpClient::~SmtpClient() = default;
SmtpClient::SmtpClient(SmtpClient&&) noexcept = default;
SmtpClient& SmtpClient::operator=(SmtpClient&&) noexcept = default;

core::Status SmtpClient::send(const SmtpEnvelope& envelope, std::string_view raw_message,
                              const SmtpEnvelope* next) {
    if (auto ok = check_envelope(envelope); !ok) return ok;
    auto& s = *impl_;
    if (s.opened_ahead &&
        (*s.opened_ahead != envelope || Clock::now() - s.opened_ahead_at > kOpenedAheadLife))
        s.drop();

    // A connection the server closed while idle fails at the first command: once more on a
    // new one, which is safe as long as no content went out.
    for (int attempt = 0;; ++attempt) {
        if (s.conn.connected() && !s.opened_ahead && s.conn.spoke_unasked()) s.drop();
        if (!s.conn.connected()) {
            if (auto connected = s.connect(); !connected) return connected;
        }
        bool connection_lost = false;
        auto opened = s.open_transaction(envelope, connection_lost);
        if (opened) break;
        if (!connection_lost) return opened;
        s.drop();
        if (attempt > 0) return opened;
    }

    const auto until = s.deadline();
    if (auto staged = s.stage_content(raw_message, until); !staged) {
        s.drop();
        return staged;
    }
    const bool ahead = next != nullptr && s.capabilities.pipelining && check_envelope(*next).ok();
    if (ahead) s.stage(s.envelope_commands(*next));
    if (auto sent = s.flush(until); !sent) {
        s.drop();
        return sent;
    }
    ++s.round_trips;
    if (ahead) {
        s.opened_ahead = *next;
        s.opened_ahead_at = Clock::now();
    }
    auto reply = s.read_reply(until);
    if (!reply) {
        s.drop();
        return reply.error();
    }
    if (reply->code / 100 == 2) return {};
    auto refusal = s.refused("the message", *reply);
    if (reply->code == 421) s.drop();
    return refusal;
}

WireCounters SmtpClient::counters() const {
    return impl_->conn.counters();
}

std::uint64_t SmtpClient::round_trips() const {
    return impl_->round_trips;
}

}  // namespace cvd::net
