// Threading keys must survive what clients do to them: folding inside ids, missing brackets,
// comments and quoted phrases ("Your message of ...") between ids.

#include <algorithm>

#include "cvdbot/core/text.hpp"
#include "cvdbot/mail/parser.hpp"

namespace cvd::mail {
namespace {

// Removes comments and quoted strings outside angle brackets.
std::string strip_noise(std::string_view s) {
    std::string out;
    int comment = 0;
    bool quoted = false;
    bool angle = false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (c == '\r' || c == '\n') continue;
        if (angle) {
            out.push_back(c);
            if (c == '>') angle = false;
            continue;
        }
        if (comment) {
            if (c == '\\')
                ++i;
            else if (c == '(')
                ++comment;
            else if (c == ')')
                --comment;
            continue;
        }
        if (quoted) {
            if (c == '\\')
                ++i;
            else if (c == '"')
                quoted = false;
            continue;
        }
        if (c == '(')
            comment = 1;
        else if (c == '"')
            quoted = true;
        else {
            if (c == '<') angle = true;
            out.push_back(c);
        }
    }
    return out;
}

std::string clean_id(std::string_view id) {
    std::string out;
    for (char c : id) {
        auto u = static_cast<unsigned char>(c);
        if (u <= 0x20 || u == 0x7F || c == '<' || c == '>') continue;
        out.push_back(c);
    }
    return core::is_valid_utf8(out) ? out : core::sanitize_utf8(out);
}

void add(std::vector<std::string>& ids, std::string id) {
    if (id.empty() || id.size() > 998) return;
    if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(std::move(id));
}

}  // namespace

std::vector<std::string> parse_message_ids(std::string_view value) {
    std::string s = strip_noise(value);
    std::vector<std::string> ids;
    std::size_t pos = 0;
    bool bracketed = false;
    while ((pos = s.find('<', pos)) != std::string::npos) {
        std::size_t end = s.find('>', pos + 1);
        if (end == std::string::npos) end = s.size();  // "<id@x" at the end: take it
        add(ids, clean_id(std::string_view(s).substr(pos + 1, end - pos - 1)));
        bracketed = true;
        pos = end;
    }
    if (bracketed) return ids;
    // No brackets at all: whitespace- or comma-separated tokens that look like ids.
    std::string token;
    auto flush = [&] {
        if (token.find('@') != std::string::npos) add(ids, clean_id(token));
        token.clear();
    };
    for (char c : s) {
        if (c == ' ' || c == '\t' || c == ',' || c == ';')
            flush();
        else
            token.push_back(c);
    }
    flush();
    return ids;
}

}  // namespace cvd::mail
