#pragma once
// IMAP access to one account: find new mail by (UIDVALIDITY, UID), fetch it byte for byte, and
// flag or move it once its effects are committed. Only this module includes curl.h.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cvdbot/core/result.hpp"
#include "cvdbot/net/wire_counters.hpp"

namespace cvd::net {

struct ImapSettings {
    std::string
        url;  // imap://host:port or imaps://host:port; imap:// upgrades with STARTTLS if offered
    std::string user;
    std::string password;
    std::string mailbox = "INBOX";  // printable ASCII (non-ASCII names would need modified UTF-7)
    long connect_timeout_seconds = 10;
    long timeout_seconds = 60;
    // A bigger message fails to fetch with invalid_input instead of exhausting memory.
    std::uint64_t max_message_bytes = 64u * 1024 * 1024;
};

struct FetchedMessage {
    std::uint32_t uid = 0;
    std::string raw;  // exactly as stored
};

struct MessageSize {
    std::uint32_t uid = 0;
    std::uint64_t bytes = 0;  // RFC822.SIZE
};

struct MailboxStatus {
    std::uint32_t uidvalidity = 0;
    std::uint32_t uidnext = 0;  // 0 if the server did not say
    std::uint32_t exists = 0;
};

// Errors: `network` for connection problems, timeouts and temporary server conditions (retry
// later); `config` when the login is refused (fix the user name or password); `not_found` for a
// UID or mailbox that is not there; `invalid_input` for arguments that would not be safe IMAP
// syntax; `rejected` when the server refuses a command for another reason. Messages include the
// server's own words where it gave any.
//
// One connection is kept and reused across calls (libcurl's connection cache on one handle), and
// the mailbox stays selected between calls. Not thread-safe. A moved-from client may only be
// destroyed or assigned to.
class ImapClient {
  public:
    explicit ImapClient(ImapSettings settings);
    ~ImapClient();
    ImapClient(ImapClient&&) noexcept;
    ImapClient& operator=(ImapClient&&) noexcept;
    ImapClient(const ImapClient&) = delete;
    ImapClient& operator=(const ImapClient&) = delete;

    // A fresh SELECT of the mailbox. Mail delivered since is seen by the next select() (and, on
    // Dovecot, by any command after the next one): poll with select() then uids_after().
    core::Result<MailboxStatus> select();

    // UIDNEXT, UIDVALIDITY and the message count by STATUS, on the connection that keeps the
    // mailbox selected (after a NOOP that brings it up to date): far cheaper than select() on a big
    // mailbox (Dovecot reopens the mailbox for every SELECT: ~200 ms at 100,000 messages, against
    // ~0.1 ms for STATUS). Poll with status() then uids_after(last_uid, status).
    core::Result<MailboxStatus> status();

    // UIDs greater than last_uid, ascending.
    core::Result<std::vector<std::uint32_t>> uids_after(std::uint32_t last_uid);

    // The same, without asking the server when `known` (from status() or select()) shows
    // nothing can be new: UIDNEXT is at most last_uid + 1, or it has not moved since an earlier
    // search that found nothing above last_uid. A poll that finds nothing then costs the
    // STATUS alone: one round trip and about 200 bytes, however big the mailbox. When a search
    // is needed, a fresh SELECT comes first, so that it sees every message UIDNEXT counted.
    core::Result<std::vector<std::uint32_t>> uids_after(std::uint32_t last_uid,
                                                        const MailboxStatus& known);

    // The message exactly as stored (BODY[]). This also sets \Seen: track progress by
    // (UIDVALIDITY, UID), not by flags.
    core::Result<std::string> fetch(std::uint32_t uid);

    // The sizes of those of `uids` still in the mailbox, ascending by UID: to cut a catch-up
    // into fetch_many() batches of bounded memory. Call it before fetch_many(): it also brings
    // the second connection up to date with mail delivered since it last looked.
    core::Result<std::vector<MessageSize>> sizes(const std::vector<std::uint32_t>& uids);

    // Many messages with one UID FETCH (BODY.PEEK[]: \Seen is not set), on a second connection
    // of this client, since libcurl reads one literal per command only. Messages no longer in
    // the mailbox are left out; a message larger than max_message_bytes fails the whole call
    // with invalid_input (fetch() them one by one to find it).
    core::Result<std::vector<FetchedMessage>> fetch_many(const std::vector<std::uint32_t>& uids);

    // The message's current flags, e.g. {"\\Seen", "$Processed"}.
    core::Result<std::vector<std::string>> flags(std::uint32_t uid);

    // flags: one or more space-separated flags, e.g. "\\Seen" or "\\Seen $Processed".
    core::Status add_flags(std::uint32_t uid, std::string_view flags);

    // The same for many messages, with one command per few hundred UIDs (.SILENT: nothing
    // comes back per message). UIDs no longer in the mailbox are passed over.
    core::Status add_flags(const std::vector<std::uint32_t>& uids, std::string_view flags);

    // UID MOVE to folder, creating the folder first if the server says it is missing.
    core::Status move(std::uint32_t uid, std::string_view folder);
    // The same for many messages, one UID MOVE per few hundred UIDs; UIDs no longer in the
    // mailbox are passed over.
    core::Status move(const std::vector<std::uint32_t>& uids, std::string_view folder);

    // APPEND raw (CRLF line ends) to folder, creating the folder if it is missing.
    core::Status append(std::string_view folder, std::string_view raw);

    WireCounters counters() const;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace cvd::net
