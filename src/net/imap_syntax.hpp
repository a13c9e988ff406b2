#pragma once
// IMAP syntax without I/O: checking what we put on a command line, quoting, and reading the
// untagged responses libcurl hands over. Internal to the net module; unit-tested on its own.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cvdbot/core/result.hpp"
#include "cvdbot/net/imap_client.hpp"

namespace cvd::net::imap {

// Printable ASCII only, 1..255 bytes: no CR/LF/NUL can reach the command line, and non-ASCII
// names would need modified UTF-7, which cvdbot has no use for.
core::Status check_mailbox_name(std::string_view name);

// A quoted string for a checked mailbox name.
std::string quote(std::string_view name);

// One or more space-separated flags: system flags (\Seen) or keywords ($Processed), atoms only.
core::Status check_flags(std::string_view flags);

// UID sets for one command each, e.g. {"1:3,7,9:10"}: ascending, duplicates and 0 dropped, runs
// collapsed, at most `max_items` ranges per set so that command lines stay short.
std::vector<std::string> uid_sets(std::vector<std::uint32_t> uids, std::size_t max_items = 500);

// The untagged responses of SELECT (one per line). nullopt without UIDVALIDITY.
std::optional<MailboxStatus> parse_select(std::string_view untagged);

// The "* STATUS mailbox (UIDNEXT n UIDVALIDITY n MESSAGES n)" response; nullopt without
// UIDVALIDITY or UIDNEXT.
std::optional<MailboxStatus> parse_status(std::string_view untagged);

// The FLAGS of the FETCH response that names UID `uid`; nullopt if there is none.
std::optional<std::vector<std::string>> parse_fetch_flags(std::string_view untagged,
                                                          std::uint32_t uid);

// Whether a UID MOVE moved something: COPYUID (UIDPLUS) or an EXPUNGE.
bool move_succeeded(std::string_view untagged);

// The text of the last tagged NO or BAD among the server's lines, without the tag, e.g.
// "NO [TRYCREATE] Mailbox doesn't exist: X"; empty if there is none.
std::string last_failure(const std::vector<std::string>& reply_lines);

// The response code of such a text: "TRYCREATE" for "NO [TRYCREATE] ..."; empty if none.
std::string_view response_code(std::string_view failure);

}  // namespace cvd::net::imap
