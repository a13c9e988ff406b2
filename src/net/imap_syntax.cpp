#include "imap_syntax.hpp"

#include <algorithm>
#include <charconv>

#include "curl_session.hpp"
#include "cvdbot/core/text.hpp"

namespace cvd::net::imap {

namespace {

using core::ErrorKind;
using core::make_error;

std::vector<std::string_view> split_lines(std::string_view text) {
    std::vector<std::string_view> lines;
    while (!text.empty()) {
        auto end = text.find('\n');
        auto line = text.substr(0, end);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        lines.push_back(line);
        if (end == std::string_view::npos) break;
        text.remove_prefix(end + 1);
    }
    return lines;
}

std::vector<std::string_view> split_words(std::string_view text) {
    std::vector<std::string_view> words;
    while (true) {
        auto start = text.find_first_not_of(' ');
        if (start == std::string_view::npos) break;
        text.remove_prefix(start);
        auto end = text.find(' ');
        words.push_back(text.substr(0, end));
        if (end == std::string_view::npos) break;
        text.remove_prefix(end);
    }
    return words;
}

std::optional<std::uint32_t> to_uint32(std::string_view text) {
    std::uint32_t value = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc{} || end != text.data() + text.size() || text.empty()) {
        return std::nullopt;
    }
    return value;
}

// ATOM-CHAR of RFC 3501: printable ASCII except atom-specials ( ) { SP % * " \ ].
bool is_atom_char(char c) {
    return c > 0x20 && c < 0x7f && std::string_view("(){%*\"\\]").find(c) == std::string_view::npos;
}

// "[NAME value]" at the start of text -> value, for "* OK [UIDVALIDITY 3857529045] ...".
std::optional<std::uint32_t> bracket_number(std::string_view text, std::string_view name) {
    if (text.size() < name.size() + 2 || text.front() != '[') return std::nullopt;
    if (!core::iequals_ascii(text.substr(1, name.size()), name) || text[name.size() + 1] != ' ') {
        return std::nullopt;
    }
    text.remove_prefix(name.size() + 2);
    return to_uint32(text.substr(0, text.find(']')));
}

}  // namespace

core::Status check_mailbox_name(std::string_view name) {
    if (name.empty() || name.size() > 255) {
        return make_error(ErrorKind::invalid_input,
                          "IMAP mailbox name must be 1 to 255 characters long");
    }
    for (char c : name) {
        auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20 || byte >= 0x7f) {
            return make_error(ErrorKind::invalid_input,
                              "IMAP mailbox name '" + detail::printable(name) +
                                  "' may only contain printable ASCII characters");
        }
    }
    return {};
}

std::string quote(std::string_view name) {
    std::string out = "\"";
    for (char c : name) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    out += '"';
    return out;
}

core::Status check_flags(std::string_view flags) {
    auto words = split_words(flags);
    if (words.empty()) return make_error(ErrorKind::invalid_input, "no IMAP flags given");
    for (auto word : words) {
        auto atom = word.front() == '\\' ? word.substr(1) : word;
        if (atom.empty() || !std::all_of(atom.begin(), atom.end(), is_atom_char)) {
            return make_error(ErrorKind::invalid_input,
                              "'" + detail::printable(word) + "' is not an IMAP flag");
        }
    }
    // Words are the runs between spaces, so every other byte (CR, LF, tab, ...) was checked.
    return {};
}

std::vector<std::string> uid_sets(std::vector<std::uint32_t> uids, std::size_t max_items) {
    std::sort(uids.begin(), uids.end());
    uids.erase(std::unique(uids.begin(), uids.end()), uids.end());
    if (!uids.empty() && uids.front() == 0) uids.erase(uids.begin());
    std::vector<std::string> sets;
    std::string current;
    std::size_t items = 0;
    for (std::size_t i = 0; i < uids.size();) {
        std::size_t j = i;
        while (j + 1 < uids.size() && uids[j + 1] == uids[j] + 1) ++j;
        if (items == std::max<std::size_t>(max_items, 1)) {
            sets.push_back(std::move(current));
            current.clear();
            items = 0;
        }
        if (!current.empty()) current += ',';
        current += std::to_string(uids[i]);
        if (j > i) current += ':' + std::to_string(uids[j]);
        ++items;
        i = j + 1;
    }
    if (!current.empty()) sets.push_back(std::move(current));
    return sets;
}

std::optional<MailboxStatus> parse_select(std::string_view untagged) {
    MailboxStatus status;
    bool have_uidvalidity = false;
    for (auto line : split_lines(untagged)) {
        auto words = split_words(line);
        if (words.size() < 3 || words[0] != "*") continue;
        if (core::iequals_ascii(words[2], "EXISTS")) {
            if (auto n = to_uint32(words[1])) status.exists = *n;
        } else if (core::iequals_ascii(words[1], "OK")) {
            auto text = line.substr(words[2].data() - line.data());
            if (auto n = bracket_number(text, "UIDVALIDITY")) {
                status.uidvalidity = *n;
                have_uidvalidity = true;
            } else if (auto m = bracket_number(text, "UIDNEXT")) {
                status.uidnext = *m;
            }
        }
    }
    if (!have_uidvalidity) return std::nullopt;
    return status;
}

std::optional<MailboxStatus> parse_status(std::string_view untagged) {
    for (auto line : split_lines(untagged)) {
        auto words = split_words(line);
        if (words.size() < 3 || words[0] != "*" || !core::iequals_ascii(words[1], "STATUS")) {
            continue;
        }
        auto open = line.rfind('(');
        if (open == std::string_view::npos || line.back() != ')') continue;
        auto items = split_words(line.substr(open + 1, line.size() - open - 2));
        MailboxStatus status;
        bool have_uidvalidity = false;
        for (std::size_t i = 0; i + 1 < items.size(); i += 2) {
            auto n = to_uint32(items[i + 1]);
            if (!n) continue;
            if (core::iequals_ascii(items[i], "UIDVALIDITY")) {
                status.uidvalidity = *n;
                have_uidvalidity = true;
            } else if (core::iequals_ascii(items[i], "UIDNEXT")) {
                status.uidnext = *n;
            } else if (core::iequals_ascii(items[i], "MESSAGES")) {
                status.exists = *n;
            }
        }
        if (have_uidvalidity && status.uidnext != 0) return status;
    }
    return std::nullopt;
}

std::optional<std::vector<std::string>> parse_fetch_flags(std::string_view untagged,
                                                          std::uint32_t uid) {
    for (auto line : split_lines(untagged)) {
        // * 12 FETCH (UID 40 FLAGS (\Seen $Processed)); the item order is the server's choice.
        auto words = split_words(line);
        if (words.size() < 4 || words[0] != "*" || !core::iequals_ascii(words[2], "FETCH"))
            continue;
        auto open = line.find('(');
        if (open == std::string_view::npos) continue;
        auto items = line.substr(open + 1);
        std::optional<std::uint32_t> found_uid;
        std::optional<std::vector<std::string>> found_flags;
        auto item_words = split_words(items);
        for (std::size_t i = 0; i + 1 < item_words.size(); ++i) {
            if (core::iequals_ascii(item_words[i], "UID")) {
                auto value = item_words[i + 1];
                if (!value.empty() && value.back() == ')') value.remove_suffix(1);
                found_uid = to_uint32(value);
            }
        }
        for (std::size_t pos = 0; pos + 7 <= items.size(); ++pos) {
            if (!core::iequals_ascii(items.substr(pos, 7), "FLAGS (")) continue;
            auto close = items.find(')', pos + 7);
            if (close == std::string_view::npos) break;
            found_flags.emplace();
            for (auto flag : split_words(items.substr(pos + 7, close - pos - 7))) {
                found_flags->emplace_back(flag);
            }
            break;
        }
        if (found_uid == uid && found_flags) return found_flags;
    }
    return std::nullopt;
}

bool move_succeeded(std::string_view untagged) {
    for (auto line : split_lines(untagged)) {
        auto words = split_words(line);
        if (words.size() < 3 || words[0] != "*") continue;
        if (core::iequals_ascii(words[2], "EXPUNGE")) return true;
        if (core::iequals_ascii(words[1], "OK") && words[2].size() > 8 &&
            core::iequals_ascii(words[2].substr(0, 8), "[COPYUID")) {
            return true;
        }
    }
    return false;
}

std::string last_failure(const std::vector<std::string>& reply_lines) {
    for (auto it = reply_lines.rbegin(); it != reply_lines.rend(); ++it) {
        std::string_view line = *it;
        auto words = split_words(line);
        if (words.size() < 2 || words[0] == "*" || words[0] == "+") continue;
        if (core::iequals_ascii(words[1], "NO") || core::iequals_ascii(words[1], "BAD")) {
            return std::string(line.substr(words[1].data() - line.data()));
        }
    }
    return {};
}

std::string_view response_code(std::string_view failure) {
    auto open = failure.find('[');
    auto first_space = failure.find(' ');
    if (open == std::string_view::npos || open != first_space + 1) return {};
    auto code = failure.substr(open + 1);
    auto end = code.find_first_of(" ]");
    return code.substr(0, end);
}

}  // namespace cvd::net::imap
