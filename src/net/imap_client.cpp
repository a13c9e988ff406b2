#include "cvdbot/net/imap_client.hpp"

#include <algorithm>
#include <limits>
#include <utility>

#include "curl_session.hpp"
#include "cvdbot/core/text.hpp"
#include "idle_protocol.hpp"
#include "imap_syntax.hpp"
#include "raw_imap.hpp"

namespace cvd::net {

namespace {

using core::ErrorKind;
using core::make_error;

// RFC 5530 response codes decide first: they say what the server meant, whatever libcurl made
// of it (libcurl reports a failed SELECT as CURLE_LOGIN_DENIED, for instance).
ErrorKind classify(CURLcode code, std::string_view response_code, std::string_view curl_text) {
    if (response_code == "TRYCREATE" || response_code == "NONEXISTENT") return ErrorKind::not_found;
    if (response_code == "UNAVAILABLE" || response_code == "INUSE" ||
        response_code == "SERVERBUG" || response_code == "LIMIT") {
        return ErrorKind::network;
    }
    if (response_code == "AUTHENTICATIONFAILED" || response_code == "AUTHORIZATIONFAILED") {
        return ErrorKind::config;
    }
    switch (code) {
        case CURLE_LOGIN_DENIED:
            return curl_text == "Select failed" ? ErrorKind::not_found : ErrorKind::config;
        case CURLE_REMOTE_FILE_NOT_FOUND:
            return ErrorKind::not_found;
        case CURLE_QUOTE_ERROR:
        case CURLE_UPLOAD_FAILED:
            return ErrorKind::rejected;
        case CURLE_URL_MALFORMAT:
        case CURLE_UNSUPPORTED_PROTOCOL:
        case CURLE_PEER_FAILED_VERIFICATION:
        case CURLE_USE_SSL_FAILED:
            return ErrorKind::config;
        default:
            return ErrorKind::network;
    }
}

// "\\Seen  $Processed" -> "\\Seen $Processed", for checked flags.
std::string flag_list(std::string_view flags) {
    std::string list;
    for (std::size_t pos = 0; pos < flags.size();) {
        auto start = flags.find_first_not_of(' ', pos);
        if (start == std::string_view::npos) break;
        auto end = std::min(flags.find(' ', start), flags.size());
        if (!list.empty()) list += ' ';
        list += flags.substr(start, end - start);
        pos = end;
    }
    return list;
}

}  // namespace

struct ImapClient::Impl {
    ImapSettings settings;
    std::string base_url;
    detail::CurlSession session;
    std::string last_response_code;  // of the last failed request, e.g. "TRYCREATE"
    // What the last search showed: no UID above `highest` exists below `uidnext`.
    struct Searched {
        std::uint32_t uidvalidity = 0;
        std::uint32_t uidnext = 0;
        std::uint32_t highest = 0;
    } searched;

    // For fetch_many() and sizes(): made on first use, the mailbox EXAMINEd (read-only).
    std::unique_ptr<detail::RawImap> batch;

    core::Status batch_command(const std::string& text,
                               const std::function<core::Status(detail::RawImap&)>& on_line) {
        if (auto ok = imap::check_mailbox_name(settings.mailbox); !ok) return ok.error();
        if (!batch) batch = std::make_unique<detail::RawImap>(settings);
        if (!batch->connected()) {
            auto connected = batch->connect();
            if (!connected) return connected.error();
            auto examined = batch->command("EXAMINE " + imap::quote(settings.mailbox));
            if (!examined) {
                batch->disconnect();
                // As the libcurl connection says it: a missing mailbox is not_found.
                const auto& said = examined.error().message;
                if (said.find("[NONEXISTENT]") != std::string::npos ||
                    said.find("doesn't exist") != std::string::npos)
                    return make_error(ErrorKind::not_found, examined.error().message);
                return examined.error();
            }
        }
        auto done = batch->command(text, on_line);
        // After a failure the stream may be anywhere in a response: start afresh next time.
        if (!done) batch->disconnect();
        return done;
    }

    explicit Impl(ImapSettings s) : settings(std::move(s)), base_url(settings.url) {
        while (!base_url.empty() && base_url.back() == '/') base_url.pop_back();
    }

    std::string mailbox_url(std::string_view mailbox) {
        char* escaped =
            curl_easy_escape(session.handle(), mailbox.data(), static_cast<int>(mailbox.size()));
        std::string url = base_url + "/" + (escaped ? escaped : "");
        curl_free(escaped);
        return url;
    }

    void prepare(const std::string& url) {
        session.prepare(url, "imap,imaps",
                        {settings.connect_timeout_seconds, settings.timeout_seconds});
        curl_easy_setopt(session.handle(), CURLOPT_USERNAME, settings.user.c_str());
        curl_easy_setopt(session.handle(), CURLOPT_PASSWORD, settings.password.c_str());
    }

    core::Error failure(CURLcode code, std::string_view what) {
        std::string server = detail::printable(imap::last_failure(session.reply_lines()));
        last_response_code = std::string(imap::response_code(server));
        std::string curl_text = session.error_text(code);
        ErrorKind kind = classify(code, last_response_code, curl_text);

        std::string message = "IMAP " + std::string(what) + " for " + settings.user + " at " +
                              detail::redact_url(base_url) + " failed: ";
        // For a refused custom command libcurl only says "Quote command returned error".
        if (code == CURLE_QUOTE_ERROR && !server.empty()) {
            message += "the server said: " + server;
        } else {
            message += curl_text;
            if (!server.empty()) message += "; the server said: " + server;
        }
        if (kind == ErrorKind::config && code == CURLE_LOGIN_DENIED) {
            if (message.back() != '.') message += '.';
            message += " Check the IMAP user name and password.";
        }
        return make_error(kind, std::move(message));
    }

    core::Result<std::string> perform(std::string_view what) {
        last_response_code.clear();
        CURLcode code = session.perform();
        if (code != CURLE_OK) return failure(code, what);
        return std::move(session.body());
    }

    // A command libcurl does not know, sent after it has SELECTed `url`'s mailbox (if any). The
    // result is the untagged responses, one per line.
    core::Result<std::string> command(const std::string& url, const std::string& line) {
        prepare(url);
        curl_easy_setopt(session.handle(), CURLOPT_CUSTOMREQUEST, line.c_str());
        return perform(line);
    }

    core::Result<std::string> in_mailbox(const std::string& line) {
        if (auto ok = imap::check_mailbox_name(settings.mailbox); !ok) return ok.error();
        return command(mailbox_url(settings.mailbox), line);
    }

    // Try first, create on TRYCREATE: the folder usually exists, so this saves a round trip.
    core::Result<std::string> move_set(const std::string& uid_set, std::string_view folder) {
        const std::string line = "UID MOVE " + uid_set + " " + imap::quote(folder);
        auto untagged = in_mailbox(line);
        if (!untagged && last_response_code == "TRYCREATE") {
            if (auto created = create(folder); !created) return created.error();
            untagged = in_mailbox(line);
        }
        return untagged;
    }

    core::Status create(std::string_view folder) {
        // No mailbox in the URL: libcurl must not SELECT anything for this.
        auto created = command(base_url + "/", "CREATE " + imap::quote(folder));
        if (created) return {};
        if (last_response_code == "ALREADYEXISTS" ||
            core::to_lower_ascii(created.error().message).find("already exists") !=
                std::string::npos) {
            return {};  // another client (or an earlier attempt of ours) was first
        }
        return created.error();
    }
};

ImapClient::ImapClient(ImapSettings settings)
    : impl_(std::make_unique<Impl>(std::move(settings))) {}
ImapClient::~ImapClient() = default;
ImapClient::ImapClient(ImapClient&&) noexcept = default;
ImapClient& ImapClient::operator=(ImapClient&&) noexcept = default;

core::Result<MailboxStatus> ImapClient::select() {
    // Sent as our own command: libcurl skips its own SELECT while it believes the mailbox is
    // still selected on the cached connection, so only this gives fresh numbers every time.
    auto untagged = impl_->in_mailbox("SELECT " + imap::quote(impl_->settings.mailbox));
    if (!untagged) return untagged.error();
    auto status = imap::parse_select(*untagged);
    if (!status) {
        return make_error(ErrorKind::rejected, "IMAP SELECT " + impl_->settings.mailbox + " at " +
                                                   detail::redact_url(impl_->base_url) +
                                                   ": the server did not report a UIDVALIDITY");
    }
    return *status;
}

core::Result<std::vector<std::uint32_t>> ImapClient::uids_after(std::uint32_t last_uid) {
    if (last_uid == std::numeric_limits<std::uint32_t>::max()) return std::vector<std::uint32_t>{};
    // Asked on the raw connection, one short FETCH line per message: libcurl strips response
    // lines longer than its buffer (16 kB), which cut UIDs out of a long UID SEARCH answer and
    // lost mail when thousands were waiting. n:* also matches the highest UID when nothing is
    // newer; only UIDs above last_uid count.
    auto synced = impl_->batch_command("NOOP", [](detail::RawImap&) { return core::Status{}; });
    if (!synced) return synced.error();
    std::vector<std::uint32_t> uids;
    auto done = impl_->batch_command(
        "UID FETCH " + std::to_string(last_uid + 1) + ":* (UID)",
        [&](detail::RawImap& raw) -> core::Status {
            if (imap::literal_size(raw.line()))
                return raw.error(ErrorKind::network, "unexpected literal in a UID response");
            if (auto uid = imap::fetch_uid(raw.line()); uid && *uid > last_uid)
                uids.push_back(*uid);
            return {};
        });
    if (!done) return done.error();
    std::sort(uids.begin(), uids.end());
    uids.erase(std::unique(uids.begin(), uids.end()), uids.end());
    // The libcurl connection fetches, flags and moves these: it must know them too. Its NOOP
    // comes after the listing, so its view includes every UID listed.
    if (!uids.empty()) {
        if (auto synced_too = impl_->in_mailbox("NOOP"); !synced_too) return synced_too.error();
    }
    return uids;
}

core::Result<MailboxStatus> ImapClient::status() {
    // STATUS of the selected mailbox answers from this session's view, which only a command
    // that synchronises (NOOP) brings up to date with new deliveries.
    auto synced = impl_->in_mailbox("NOOP");
    if (!synced) return synced.error();
    auto untagged = impl_->in_mailbox("STATUS " + imap::quote(impl_->settings.mailbox) +
                                      " (UIDNEXT UIDVALIDITY MESSAGES)");
    if (!untagged) return untagged.error();
    auto status = imap::parse_status(*untagged);
    if (!status) {
        return make_error(ErrorKind::rejected, "IMAP STATUS " + impl_->settings.mailbox + " at " +
                                                   detail::redact_url(impl_->base_url) +
                                                   ": no UIDVALIDITY and UIDNEXT in the answer");
    }
    return *status;
}

core::Result<std::vector<std::uint32_t>> ImapClient::uids_after(std::uint32_t last_uid,
                                                                const MailboxStatus& known) {
    if (known.uidnext != 0 && known.uidnext <= last_uid + std::uint64_t{1}) {
        return std::vector<std::uint32_t>{};
    }
    auto& searched = impl_->searched;
    if (known.uidnext != 0 && known.uidvalidity == searched.uidvalidity &&
        known.uidnext == searched.uidnext && last_uid >= searched.highest) {
        return std::vector<std::uint32_t>{};
    }
    auto fresh = select();
    if (!fresh) return fresh.error();
    auto uids = uids_after(last_uid);
    if (!uids) return uids;
    searched = {fresh->uidvalidity, fresh->uidnext, uids->empty() ? last_uid : uids->back()};
    return uids;
}

core::Result<std::string> ImapClient::fetch(std::uint32_t uid) {
    if (uid == 0) return make_error(ErrorKind::invalid_input, "IMAP UIDs start at 1");
    const auto& mailbox = impl_->settings.mailbox;
    if (auto ok = imap::check_mailbox_name(mailbox); !ok) return ok.error();
    // The URL form, not a custom UID FETCH: only this way does libcurl read the literal.
    impl_->prepare(impl_->mailbox_url(mailbox) + ";UID=" + std::to_string(uid));
    impl_->session.expect_download(impl_->settings.max_message_bytes);
    auto raw = impl_->perform("FETCH of UID " + std::to_string(uid) + " in " + mailbox);
    if (!raw && raw.error().kind == ErrorKind::not_found) {
        return make_error(ErrorKind::not_found,
                          "no message with UID " + std::to_string(uid) + " in " + mailbox);
    }
    if (!raw && impl_->session.download_limit_exceeded()) {
        return make_error(ErrorKind::invalid_input,
                          "message UID " + std::to_string(uid) + " in " + mailbox +
                              " is larger than max_message_bytes (" +
                              std::to_string(impl_->settings.max_message_bytes) +
                              "); fetch stopped");
    }
    return raw;
}

core::Result<std::vector<MessageSize>> ImapClient::sizes(const std::vector<std::uint32_t>& uids) {
    std::vector<MessageSize> out;
    // The second connection learns of new mail only when it runs a command: NOOP first, so
    // that the UIDs the other connection found are known here too.
    if (!uids.empty()) {
        auto synced = impl_->batch_command("NOOP", [](detail::RawImap&) { return core::Status{}; });
        if (!synced) return synced.error();
    }
    for (const auto& set : imap::uid_sets(uids)) {
        auto done = impl_->batch_command(
            "UID FETCH " + set + " (UID RFC822.SIZE)", [&](detail::RawImap& raw) -> core::Status {
                const auto& line = raw.line();
                if (imap::literal_size(line)) {
                    return raw.error(ErrorKind::network, "unexpected literal in a size response");
                }
                auto uid = imap::fetch_uid(line);
                auto size = imap::fetch_number(line, "RFC822.SIZE");
                if (uid && size) out.push_back({*uid, *size});
                return {};
            });
        if (!done) return done.error();
    }
    std::sort(out.begin(), out.end(), [](auto& a, auto& b) { return a.uid < b.uid; });
    return out;
}

core::Result<std::vector<FetchedMessage>> ImapClient::fetch_many(
    const std::vector<std::uint32_t>& uids) {
    std::vector<FetchedMessage> out;
    const auto limit = impl_->settings.max_message_bytes;
    for (const auto& set : imap::uid_sets(uids)) {
        auto done = impl_->batch_command(
            "UID FETCH " + set + " (UID BODY.PEEK[])", [&](detail::RawImap& raw) -> core::Status {
                auto size = imap::literal_size(raw.line());
                if (!size) return {};  // e.g. a flag change another client made
                if (*size > limit) {
                    return make_error(ErrorKind::invalid_input,
                                      "a message in " + impl_->settings.mailbox +
                                          " is larger than max_message_bytes (" +
                                          std::to_string(limit) + "); fetch stopped");
                }
                auto uid = imap::fetch_uid(raw.line());
                auto body = raw.read_literal(static_cast<std::size_t>(*size), raw.deadline());
                if (!body) return body.error();
                // The rest of the response: ")" or, in another order, " UID 345)".
                auto rest = raw.read_line(raw.deadline(), nullptr);
                if (!rest) return rest.error();
                if (*rest != detail::RawImap::Read::line) {
                    return raw.error(ErrorKind::network, "FETCH response incomplete");
                }
                if (!uid) uid = imap::fetch_uid(raw.line());
                if (!uid) return raw.error(ErrorKind::network, "FETCH response without a UID");
                out.push_back({*uid, std::move(*body)});
                return {};
            });
        if (!done) return done.error();
    }
    std::sort(out.begin(), out.end(), [](auto& a, auto& b) { return a.uid < b.uid; });
    return out;
}

core::Result<std::vector<std::string>> ImapClient::flags(std::uint32_t uid) {
    if (uid == 0) return make_error(ErrorKind::invalid_input, "IMAP UIDs start at 1");
    auto untagged = impl_->in_mailbox("UID FETCH " + std::to_string(uid) + " (FLAGS)");
    if (!untagged) return untagged.error();
    auto found = imap::parse_fetch_flags(*untagged, uid);
    if (!found) {
        return make_error(ErrorKind::not_found, "no message with UID " + std::to_string(uid) +
                                                    " in " + impl_->settings.mailbox);
    }
    return std::move(*found);
}

core::Status ImapClient::add_flags(std::uint32_t uid, std::string_view flags) {
    if (uid == 0) return make_error(ErrorKind::invalid_input, "IMAP UIDs start at 1");
    if (auto ok = imap::check_flags(flags); !ok) return ok.error();
    const std::string list = flag_list(flags);
    // Not .SILENT: the FETCH response it suppresses is how we know the UID exists.
    auto untagged =
        impl_->in_mailbox("UID STORE " + std::to_string(uid) + " +FLAGS (" + list + ")");
    if (!untagged) return untagged.error();
    if (imap::parse_fetch_flags(*untagged, uid)) return {};
    // No FETCH response: either no such UID, or (Dovecot) nothing changed because the flags
    // were already set.
    auto current = this->flags(uid);
    if (!current) return current.error();
    return {};
}

core::Status ImapClient::move(std::uint32_t uid, std::string_view folder) {
    if (uid == 0) return make_error(ErrorKind::invalid_input, "IMAP UIDs start at 1");
    if (auto ok = imap::check_mailbox_name(folder); !ok) return ok.error();
    auto untagged = impl_->move_set(std::to_string(uid), folder);
    if (!untagged) return untagged.error();
    if (!imap::move_succeeded(*untagged)) {
        return make_error(ErrorKind::not_found, "no message with UID " + std::to_string(uid) +
                                                    " in " + impl_->settings.mailbox);
    }
    return {};
}

core::Status ImapClient::add_flags(const std::vector<std::uint32_t>& uids, std::string_view flags) {
    if (auto ok = imap::check_flags(flags); !ok) return ok.error();
    const std::string list = flag_list(flags);
    for (const auto& set : imap::uid_sets(uids)) {
        auto done = impl_->in_mailbox("UID STORE " + set + " +FLAGS.SILENT (" + list + ")");
        if (!done) return done.error();
    }
    return {};
}

core::Status ImapClient::move(const std::vector<std::uint32_t>& uids, std::string_view folder) {
    if (auto ok = imap::check_mailbox_name(folder); !ok) return ok.error();
    for (const auto& set : imap::uid_sets(uids)) {
        auto done = impl_->move_set(set, folder);
        if (!done) return done.error();
    }
    return {};
}

core::Status ImapClient::append(std::string_view folder, std::string_view raw) {
    if (auto ok = imap::check_mailbox_name(folder); !ok) return ok.error();
    auto attempt = [&]() -> core::Status {
        impl_->prepare(impl_->mailbox_url(folder));
        impl_->session.set_upload(raw);
        auto done = impl_->perform("APPEND to " + std::string(folder));
        if (!done) return done.error();
        return {};
    };
    auto appended = attempt();
    if (!appended && impl_->last_response_code == "TRYCREATE") {
        if (auto created = impl_->create(folder); !created) return created.error();
        appended = attempt();
    }
    return appended;
}

WireCounters ImapClient::counters() const {
    auto total = impl_->session.counters();
    if (impl_->batch) {
        auto batch = impl_->batch->counters();
        total.bytes_sent += batch.bytes_sent;
        total.bytes_received += batch.bytes_received;
        total.connections += batch.connections;
    }
    return total;
}

}  // namespace cvd::net
