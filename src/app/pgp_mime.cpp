#include "pgp_mime.hpp"

#include <array>

#include "cvdbot/core/text.hpp"

namespace cvd::app::pgp {
namespace {

bool is_wsp(char c) {
    return c == ' ' || c == '\t';
}

std::size_t line_end(std::string_view s, std::size_t pos) {
    std::size_t eol = s.find('\n', pos);
    return eol == std::string_view::npos ? s.size() : eol + 1;
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

std::string decode_qp(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '=') {
            out.push_back(s[i]);
            continue;
        }
        if (i + 2 < s.size() && hex_value(s[i + 1]) >= 0 && hex_value(s[i + 2]) >= 0) {
            out.push_back(static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2])));
            i += 2;
            continue;
        }
        // Soft line break: "=" then optional whitespace then the line end.
        std::size_t j = i + 1;
        while (j < s.size() && is_wsp(s[j])) ++j;
        if (j < s.size() && s[j] == '\r') ++j;
        if (j < s.size() && s[j] == '\n') {
            i = j;
            continue;
        }
        if (j >= s.size()) break;
        out.push_back('=');  // a stray '=' stays, as every reader does
    }
    return out;
}

std::string decode_b64(std::string_view s) {
    static constexpr std::string_view alphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::array<int, 256> table{};
    table.fill(-1);
    for (std::size_t i = 0; i < alphabet.size(); ++i)
        table[static_cast<unsigned char>(alphabet[i])] = static_cast<int>(i);
    std::string out;
    unsigned acc = 0;
    int bits = 0;
    for (char c : s) {
        if (c == '=') break;
        int v = table[static_cast<unsigned char>(c)];
        if (v < 0) continue;  // line ends and junk are skipped, as the parser does
        acc = (acc << 6) | static_cast<unsigned>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(static_cast<char>((acc >> bits) & 0xFF));
        }
    }
    return out;
}

}  // namespace

Entity split_entity(std::string_view raw) {
    std::size_t pos = 0;
    while (pos < raw.size()) {
        std::size_t next = line_end(raw, pos);
        std::string_view line = raw.substr(pos, next - pos);
        if (line == "\n" || line == "\r\n") return {raw.substr(0, pos), raw.substr(next)};
        pos = next;
    }
    return {raw, {}};
}

std::vector<std::string_view> header_fields(std::string_view header) {
    std::vector<std::string_view> fields;
    std::size_t pos = 0;
    while (pos < header.size()) {
        std::size_t start = pos;
        pos = line_end(header, pos);
        while (pos < header.size() && is_wsp(header[pos])) pos = line_end(header, pos);
        fields.push_back(header.substr(start, pos - start));
    }
    return fields;
}

std::string_view field_name(std::string_view field) {
    std::size_t colon = field.find(':');
    if (colon == std::string_view::npos) return {};
    return core::trim(field.substr(0, colon));
}

std::optional<std::string> header_value(std::string_view header, std::string_view name) {
    for (std::string_view field : header_fields(header)) {
        if (!core::iequals_ascii(field_name(field), name)) continue;
        std::string value;
        for (char c : field.substr(field.find(':') + 1))
            if (c != '\r' && c != '\n') value.push_back(c);
        return std::string(core::trim(value));
    }
    return std::nullopt;
}

std::string ContentType::param(const std::string& name) const {
    auto it = params.find(name);
    return it == params.end() ? std::string() : it->second;
}

ContentType parse_content_type(std::string_view value) {
    ContentType ct;
    std::size_t semi = value.find(';');
    std::string type = core::to_lower_ascii(core::trim(value.substr(0, semi)));
    if (type.find('/') != std::string::npos) ct.type = type;
    std::size_t pos = semi;
    while (pos != std::string_view::npos && pos < value.size()) {
        ++pos;  // past ';'
        std::size_t eq = value.find('=', pos);
        if (eq == std::string_view::npos) break;
        std::string name = core::to_lower_ascii(core::trim(value.substr(pos, eq - pos)));
        std::size_t v = eq + 1;
        while (v < value.size() && is_wsp(value[v])) ++v;
        std::string param;
        if (v < value.size() && value[v] == '"') {
            ++v;
            while (v < value.size() && value[v] != '"') {
                if (value[v] == '\\' && v + 1 < value.size()) ++v;
                param.push_back(value[v++]);
            }
            pos = value.find(';', v);
        } else {
            std::size_t end = value.find(';', v);
            param = std::string(
                core::trim(value.substr(v, end == std::string_view::npos ? end : end - v)));
            pos = end;
        }
        if (!name.empty() && !ct.params.count(name)) ct.params[name] = param;
    }
    return ct;
}

ContentType content_type_of(std::string_view header) {
    auto value = header_value(header, "Content-Type");
    return value ? parse_content_type(*value) : ContentType{};
}

std::vector<std::string_view> split_multipart(std::string_view body, std::string_view boundary,
                                              std::size_t max_parts) {
    std::vector<std::string_view> parts;
    if (boundary.empty()) return parts;
    const std::string delim = "--" + std::string(boundary);
    std::size_t pos = 0;
    std::optional<std::size_t> content_start;
    while (parts.size() < max_parts) {
        std::size_t hit = body.find(delim, pos);
        if (hit == std::string_view::npos) break;
        pos = hit + 1;
        if (hit != 0 && body[hit - 1] != '\n') continue;
        std::size_t next = line_end(body, hit);
        std::string_view after = body.substr(hit + delim.size(), next - hit - delim.size());
        const bool close = after.substr(0, 2) == "--";
        if (!close && !core::trim(after).empty()) continue;  // a longer boundary
        if (content_start) {
            std::size_t end = hit;
            if (end > *content_start && body[end - 1] == '\n') --end;
            if (end > *content_start && body[end - 1] == '\r') --end;
            parts.push_back(body.substr(*content_start, end - *content_start));
        }
        if (close) return parts;
        content_start = next;
        pos = next;
    }
    return parts;
}

std::string decode_transfer(std::string_view body, std::string_view encoding) {
    const std::string cte = core::to_lower_ascii(core::trim(encoding));
    if (cte == "base64") return decode_b64(body);
    if (cte == "quoted-printable") return decode_qp(body);
    return std::string(body);
}

std::string to_crlf(std::string_view text) {
    std::string out;
    out.reserve(text.size() + text.size() / 32);
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\r') {
            out += "\r\n";
            if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
        } else if (text[i] == '\n') {
            out += "\r\n";
        } else {
            out.push_back(text[i]);
        }
    }
    return out;
}

bool looks_like_entity(std::string_view text) {
    const Entity e = split_entity(text.substr(0, 64 * 1024));
    if (e.header.empty() || e.header.size() == text.size()) return false;
    for (std::string_view field : header_fields(e.header)) {
        std::string_view name = field_name(field);
        if (name.empty()) return false;  // a line that is not a header: this is text
        for (char c : name)
            if (static_cast<unsigned char>(c) <= 32 || static_cast<unsigned char>(c) >= 127)
                return false;
    }
    return header_value(e.header, "Content-Type").has_value();
}

}  // namespace cvd::app::pgp
