// Address lists are split on the raw bytes and decoded per display name afterwards: decoded
// names may contain commas and quotes of their own.

#include "cvdbot/mail/address.hpp"

#include <algorithm>
#include <cctype>

#include "cvdbot/core/text.hpp"
#include "cvdbot/mail/charset.hpp"
#include "cvdbot/mail/encoded_words.hpp"

namespace cvd::mail {
namespace {

// Length of an encoded word starting at `i` ("=?cs?X?text?=" without whitespace), or 0.
std::size_t encoded_word_length(std::string_view s, std::size_t i) {
    if (s.substr(i, 2) != "=?") return 0;
    int questions = 0;
    for (std::size_t k = i + 2; k < s.size() && k < i + 400; ++k) {
        char c = s[k];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') return 0;
        if (c == '?') {
            ++questions;
            if (questions >= 3 && k + 1 < s.size() && s[k + 1] == '=') return k + 2 - i;
        }
    }
    return 0;
}

struct Chunk {
    std::string text;      // the mailbox with comments removed
    std::string comments;  // joined comment text (old-style "addr (Name)")
};

std::vector<Chunk> split_mailboxes(std::string_view s, std::vector<std::string>* warnings) {
    std::vector<Chunk> chunks(1);
    bool quoted = false;
    int comment = 0;
    bool angle = false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        Chunk& cur = chunks.back();
        if (comment > 0) {
            if (c == '\\' && i + 1 < s.size()) {
                cur.comments.push_back(s[++i]);
            } else if (c == '(') {
                ++comment;
            } else if (c == ')') {
                if (--comment == 0) cur.comments.push_back(' ');
            } else {
                cur.comments.push_back(c);
            }
            continue;
        }
        if (quoted) {
            cur.text.push_back(c);
            if (c == '\\' && i + 1 < s.size()) {
                cur.text.push_back(s[++i]);
            } else if (c == '"') {
                quoted = false;
            }
            continue;
        }
        if (std::size_t n = angle ? 0 : encoded_word_length(s, i)) {
            cur.text.append(s.substr(i, n));
            i += n - 1;
            continue;
        }
        switch (c) {
            case '"':
                quoted = true;
                cur.text.push_back(c);
                break;
            case '(':
                comment = 1;
                break;
            case '<':
                angle = true;
                cur.text.push_back(c);
                break;
            case '>':
                angle = false;
                cur.text.push_back(c);
                break;
            case ':':
                if (angle) {
                    cur.text.push_back(c);
                } else {
                    cur.text.clear();  // "group name:" — the name is not an address
                    cur.comments.clear();
                }
                break;
            case ',':
            case ';':
                if (angle && cur.text.find("<@") != std::string::npos) {
                    cur.text.push_back(c);  // obsolete route "<@a,@b:x@y>"
                } else {
                    angle = false;
                    chunks.emplace_back();
                }
                break;
            default:
                cur.text.push_back(c);
        }
    }
    if (quoted && warnings) warnings->push_back("address list has an unterminated quote");
    if (comment > 0 && warnings) warnings->push_back("address list has an unterminated comment");
    return chunks;
}

std::size_t find_outside_quotes(std::string_view s, char wanted) {
    bool quoted = false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (quoted && s[i] == '\\') {
            ++i;
        } else if (s[i] == '"') {
            quoted = !quoted;
        } else if (!quoted && s[i] == wanted) {
            return i;
        }
    }
    return std::string_view::npos;
}

std::string unquote(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (c == '"') continue;
        if (c == '\\' && i + 1 < s.size()) c = s[++i];
        out.push_back(c);
    }
    return out;
}

std::string remove_spaces_outside_quotes(std::string_view s) {
    std::string out;
    bool quoted = false;
    for (char c : s) {
        if (c == '"') quoted = !quoted;
        if (!quoted && (c == ' ' || c == '\t')) continue;
        out.push_back(c);
    }
    return out;
}

}  // namespace

std::vector<Address> parse_address_list(std::string_view raw_value,
                                        std::vector<std::string>* warnings) {
    std::string unfolded;
    for (char c : raw_value)
        if (c != '\r' && c != '\n') unfolded.push_back(c);
    std::vector<Address> out;
    for (Chunk& chunk : split_mailboxes(unfolded, warnings)) {
        std::string_view text = core::trim(chunk.text);
        if (text.empty()) continue;
        Address a;
        std::size_t lt = find_outside_quotes(text, '<');
        if (lt == std::string_view::npos && std::count(text.begin(), text.end(), '"') % 2 == 1)
            lt = text.find('<');  // an unterminated quote swallowed the angle address
        std::string display_raw;
        std::string addr;
        if (lt != std::string_view::npos) {
            display_raw = std::string(core::trim(text.substr(0, lt)));
            std::size_t gt = text.find('>', lt);
            if (gt == std::string_view::npos) {
                if (warnings)
                    warnings->push_back("address without closing '>': " + std::string(text));
                addr = std::string(text.substr(lt + 1));
            } else {
                addr = std::string(text.substr(lt + 1, gt - lt - 1));
            }
            // Obsolete source route "@relay1,@relay2:user@host".
            if (!addr.empty() && addr.front() == '@') {
                std::size_t colon = addr.find(':');
                addr = colon == std::string::npos ? std::string() : addr.substr(colon + 1);
            }
        } else {
            addr = std::string(text);
            display_raw = std::string(core::trim(chunk.comments));
        }
        addr = remove_spaces_outside_quotes(core::trim(addr));
        if (!display_raw.empty())
            a.display_name = decode_header_value(unquote(display_raw), warnings);
        if (!addr.empty() && !core::is_valid_utf8(addr)) addr = to_utf8(addr, "", warnings);
        for (char& c : addr)
            if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) c = ' ';
        a.address = std::move(addr);
        if (a.address.empty() && a.display_name.empty()) continue;
        if (a.address.empty() && warnings)
            warnings->push_back("mailbox without an address: \"" + a.display_name + "\"");
        out.push_back(std::move(a));
    }
    return out;
}

}  // namespace cvd::mail
