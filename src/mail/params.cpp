#include "params.hpp"

#include <algorithm>
#include <map>

#include "cvdbot/core/text.hpp"
#include "cvdbot/mail/charset.hpp"
#include "cvdbot/mail/encoded_words.hpp"

namespace cvd::mail::detail {
namespace {

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

std::string percent_decode(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 &&
            hex_value(s[i + 2]) >= 0) {
            out.push_back(static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2])));
            i += 2;
        } else {
            out.push_back(s[i]);
        }
    }
    return out;
}

// Removes comments "(...)" outside quoted strings; content types carry them now and then.
std::string strip_comments(std::string_view s) {
    std::string out;
    int depth = 0;
    bool quoted = false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (quoted) {
            out.push_back(c);
            if (c == '\\' && i + 1 < s.size())
                out.push_back(s[++i]);
            else if (c == '"')
                quoted = false;
        } else if (depth > 0) {
            if (c == '\\')
                ++i;
            else if (c == '(')
                ++depth;
            else if (c == ')')
                --depth;
        } else if (c == '(') {
            depth = 1;
        } else {
            if (c == '"') quoted = true;
            out.push_back(c);
        }
    }
    return out;
}

}  // namespace

std::string ParamValue::raw(std::string_view name) const {
    for (const auto& [n, v] : params)
        if (n == name) return v;
    return {};
}

bool ParamValue::has(std::string_view name) const {
    for (const auto& [n, v] : params)
        if (n == name || (n.size() > name.size() && n.compare(0, name.size(), name) == 0 &&
                          n[name.size()] == '*'))
            return true;
    return false;
}

std::string ParamValue::text(std::string_view name, std::vector<std::string>* warnings) const {
    // RFC 2231 segments: name*, name*0, name*0*, name*1, ... in any order.
    std::map<int, std::pair<bool, std::string>> segments;  // index → (extended, value)
    const std::string base(name);
    for (const auto& [n, v] : params) {
        if (n.size() <= base.size() || n.compare(0, base.size(), base) != 0 ||
            n[base.size()] != '*')
            continue;
        std::string_view rest = std::string_view(n).substr(base.size() + 1);
        bool extended = false;
        if (!rest.empty() && rest.back() == '*') {
            extended = true;
            rest.remove_suffix(1);
        }
        int index = 0;
        if (rest.empty()) {
            extended = true;  // "name*=" is the single-segment extended form
        } else {
            if (rest.size() > 4 ||
                !std::all_of(rest.begin(), rest.end(), [](char c) { return c >= '0' && c <= '9'; }))
                continue;
            index = std::stoi(std::string(rest));
        }
        segments.emplace(index, std::make_pair(extended, v));
    }
    if (!segments.empty()) {
        std::string charset;
        std::string bytes;
        bool first = true;
        for (auto& [index, seg] : segments) {
            auto& [extended, v] = seg;
            std::string_view value = v;
            if (extended && first) {
                // charset'language'value
                std::size_t q1 = value.find('\'');
                std::size_t q2 = q1 == std::string_view::npos ? q1 : value.find('\'', q1 + 1);
                if (q2 != std::string_view::npos) {
                    charset = std::string(value.substr(0, q1));
                    value = value.substr(q2 + 1);
                }
            }
            bytes += extended ? percent_decode(value) : std::string(value);
            first = false;
        }
        if (charset.empty()) return decode_header_value(bytes, warnings);
        return to_utf8(bytes, charset, warnings);
    }
    for (const auto& [n, v] : params)
        if (n == name) return decode_header_value(v, warnings);
    return {};
}

ParamValue parse_param_value(std::string_view raw_in, std::vector<std::string>* warnings) {
    ParamValue out;
    std::string cleaned = strip_comments(raw_in);
    std::string_view s = cleaned;
    std::size_t semi = s.find(';');
    out.value = core::to_lower_ascii(core::trim(s.substr(0, semi)));
    // "text/plain" may be written with stray spaces ("text / plain").
    out.value.erase(std::remove_if(out.value.begin(), out.value.end(),
                                   [](char c) { return c == ' ' || c == '\t'; }),
                    out.value.end());
    std::size_t i = semi == std::string_view::npos ? s.size() : semi + 1;
    while (i < s.size()) {
        while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == ';')) ++i;
        if (i >= s.size()) break;
        std::size_t eq = s.find_first_of("=;", i);
        if (eq == std::string_view::npos || s[eq] == ';') {
            if (warnings)
                warnings->push_back("parameter without a value: \"" +
                                    std::string(core::trim(s.substr(i, eq - i))) + "\"");
            i = eq == std::string_view::npos ? s.size() : eq + 1;
            continue;
        }
        std::string name = core::to_lower_ascii(core::trim(s.substr(i, eq - i)));
        i = eq + 1;
        while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
        std::string value;
        if (i < s.size() && s[i] == '"') {
            ++i;
            bool closed = false;
            while (i < s.size()) {
                char c = s[i++];
                if (c == '\\' && i < s.size()) {
                    value.push_back(s[i++]);
                } else if (c == '"') {
                    closed = true;
                    break;
                } else {
                    value.push_back(c);
                }
            }
            if (!closed && warnings)
                warnings->push_back("unterminated quoted parameter \"" + name + "\"");
            // Junk between the closing quote and the next ';' is ignored.
            std::size_t next = s.find(';', i);
            i = next == std::string_view::npos ? s.size() : next + 1;
        } else {
            std::size_t next = s.find(';', i);
            value = std::string(
                core::trim(s.substr(i, next == std::string_view::npos ? next : next - i)));
            i = next == std::string_view::npos ? s.size() : next + 1;
        }
        if (!name.empty()) out.params.emplace_back(std::move(name), std::move(value));
    }
    return out;
}

}  // namespace cvd::mail::detail
