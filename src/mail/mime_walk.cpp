// The MIME tree is walked by our own code rather than mimetic's MimeEntity: mimetic recurses
// without a depth bound (200,000 nested multiparts overflow the stack) and has no part limit.
// Body decoding goes through transfer_coding (mimetic's quoted-printable decoder).

#include "mime_walk.hpp"

#include <functional>

#include "charset_internal.hpp"
#include "cvdbot/core/text.hpp"
#include "cvdbot/mail/charset.hpp"
#include "cvdbot/mail/html_text.hpp"
#include "params.hpp"
#include "transfer_coding.hpp"

namespace cvd::mail::detail {
namespace {

constexpr int hard_depth_cap = 64;  // the walk recurses: never trust a caller's limit blindly

struct Split {
    std::vector<std::string_view> parts;
    bool found = false;   // at least one delimiter line
    bool closed = false;  // the close delimiter was seen
    bool truncated = false;
};

bool only_space(std::string_view s) {
    for (char c : s)
        if (c != ' ' && c != '\t' && c != '\r') return false;
    return true;
}

Split split_multipart(std::string_view body, std::string_view boundary, std::size_t max_parts) {
    Split r;
    const std::string delim = "--" + std::string(boundary);
    std::size_t pos = 0;
    std::size_t content_start = std::string_view::npos;
    while (true) {
        std::size_t hit = body.find(delim, pos);
        if (hit == std::string_view::npos) break;
        pos = hit + 1;
        if (hit != 0 && body[hit - 1] != '\n') continue;
        std::size_t eol = body.find('\n', hit);
        std::size_t line_end = eol == std::string_view::npos ? body.size() : eol;
        std::string_view after = body.substr(hit + delim.size(), line_end - hit - delim.size());
        bool close = after.substr(0, 2) == "--";     // "--b--junk" closes too, as in every client
        if (!close && !only_space(after)) continue;  // a longer boundary that starts like ours
        if (content_start != std::string_view::npos) {
            std::size_t end = hit;
            if (end > content_start && body[end - 1] == '\n') --end;  // the CRLF before "--"
            if (end > content_start && body[end - 1] == '\r') --end;
            if (r.parts.size() >= max_parts) {
                r.truncated = true;
                return r;
            }
            r.parts.push_back(body.substr(content_start, end - content_start));
        }
        r.found = true;
        if (close) {
            r.closed = true;
            return r;
        }
        content_start = eol == std::string_view::npos ? body.size() : eol + 1;
        pos = content_start;
    }
    if (content_start != std::string_view::npos) {
        if (r.parts.size() >= max_parts)
            r.truncated = true;
        else
            r.parts.push_back(body.substr(content_start));
    }
    return r;
}

bool known_identity(const std::string& cte) {
    return cte.empty() || cte == "7bit" || cte == "8bit" || cte == "binary";
}

// A part parse_message_deferred() leaves encoded: large, and inside the caller's raw bytes
// (not in a decoded forwarded message or a copy, which end with the parse).
bool deferrable(const WalkState& state, std::string_view body) {
    if (state.defer_from == 0 || body.size() < state.defer_from || state.defer_source.empty())
        return false;
    const std::less<const char*> before;
    const char* begin = state.defer_source.data();
    const char* end = begin + state.defer_source.size();
    return !before(body.data(), begin) && !before(end, body.data() + body.size());
}

std::string decode_transfer(std::string_view body, const std::string& cte,
                            std::vector<std::string>& warnings, const std::string& where) {
    if (known_identity(cte)) return std::string(body);
    if (cte == "base64") {
        std::size_t invalid = 0;
        std::string out = decode_base64(body, &invalid);
        if (invalid)
            warnings.push_back(where + ": invalid base64 (" + std::to_string(invalid) +
                               " byte(s) skipped)");
        return out;
    }
    if (cte == "quoted-printable") return decode_quoted_printable(body);
    warnings.push_back(where + ": unknown Content-Transfer-Encoding \"" + cte + "\"; read as is");
    return std::string(body);
}

// CRLF and lone CR → LF, in place: bodies can be megabytes.
std::string normalize_newlines(std::string s) {
    std::size_t r = s.find('\r');
    if (r == std::string::npos) return s;
    std::size_t w = r;
    for (; r < s.size(); ++r) {
        if (s[r] == '\r') {
            s[w++] = '\n';
            if (r + 1 < s.size() && s[r + 1] == '\n') ++r;
        } else {
            s[w++] = s[r];
        }
    }
    s.resize(w);
    return s;
}

// <meta charset="..."> or <meta http-equiv=... content="text/html; charset=..."> near the start
// of an HTML part that has no charset parameter.
std::string html_meta_charset(std::string_view html) {
    std::string head = core::to_lower_ascii(html.substr(0, 2048));
    std::size_t meta = 0;
    while ((meta = head.find("<meta", meta)) != std::string::npos) {
        std::size_t end = head.find('>', meta);
        std::string_view tag = std::string_view(head).substr(
            meta, end == std::string::npos ? std::string::npos : end - meta);
        std::size_t cs = tag.find("charset=");
        if (cs != std::string_view::npos) {
            std::size_t v = cs + 8;
            while (v < tag.size() && (tag[v] == '"' || tag[v] == '\'' || tag[v] == ' ')) ++v;
            std::size_t e = tag.find_first_of("\"' ;/>", v);
            return normalize_charset_name(
                tag.substr(v, e == std::string_view::npos ? std::string_view::npos : e - v));
        }
        meta += 5;
    }
    return {};
}

// RFC 3676 format=flowed: lines ending in a space continue on the next line (same quote
// depth); delsp=yes means that space was added by the sender and goes away too.
std::string unflow(std::string_view text, bool delsp) {
    std::string out;
    out.reserve(text.size());
    std::string paragraph;
    int paragraph_depth = -1;
    auto finish = [&] {
        if (paragraph_depth < 0) return;
        out.append(static_cast<std::size_t>(paragraph_depth), '>');
        if (paragraph_depth > 0 && !paragraph.empty()) out.push_back(' ');
        out += paragraph;
        out.push_back('\n');
        paragraph.clear();
        paragraph_depth = -1;
    };
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t eol = text.find('\n', pos);
        std::string_view line = text.substr(pos, eol == std::string_view::npos ? eol : eol - pos);
        pos = eol == std::string_view::npos ? text.size() : eol + 1;
        int depth = 0;
        while (static_cast<std::size_t>(depth) < line.size() &&
               line[static_cast<std::size_t>(depth)] == '>')
            ++depth;
        line.remove_prefix(static_cast<std::size_t>(depth));
        if (!line.empty() && line.front() == ' ') line.remove_prefix(1);  // space-stuffing
        if (paragraph_depth >= 0 && depth != paragraph_depth) finish();
        bool flowed = !line.empty() && line.back() == ' ' && line != "-- ";
        if (flowed && delsp) line.remove_suffix(1);
        paragraph_depth = depth;
        paragraph += line;
        if (!flowed) finish();
    }
    finish();
    return out;
}

void append_text(Collected& out, std::string text, bool from_plain, const std::string& charset) {
    if (!out.has_text) out.charset = charset;
    if (!out.text.empty() && !text.empty() && out.text.back() != '\n') out.text.push_back('\n');
    if (out.text.empty())
        out.text = std::move(text);
    else
        out.text += text;
    // A text is a sequence of lines; the line end before a boundary belongs to the boundary.
    if (!out.text.empty() && out.text.back() != '\n') out.text.push_back('\n');
    out.has_text = true;
    out.text_from_plain = out.text_from_plain || from_plain;
}

void merge(Collected& into, Collected&& from) {
    if (from.has_text) append_text(into, std::move(from.text), from.text_from_plain, from.charset);
    for (auto& a : from.attachments) into.attachments.push_back(std::move(a));
    for (auto& f : from.forwarded) into.forwarded.push_back(std::move(f));
    into.delivery_status = into.delivery_status || from.delivery_status;
}

bool count_part(WalkState& state, std::vector<std::string>& warnings) {
    if (state.parts >= state.limits.max_parts) {
        if (!state.parts_warned)
            warnings.push_back("more than " + std::to_string(state.limits.max_parts) +
                               " MIME parts; the rest are ignored");
        state.parts_warned = true;
        return false;
    }
    ++state.parts;
    return true;
}

void walk_multipart(const ParamValue& ct, std::string_view body, WalkState& state, int depth,
                    const std::string& where, Collected& out, std::vector<std::string>& warnings) {
    std::string boundary = ct.raw("boundary");
    if (boundary.empty()) {
        // No boundary parameter: if the body opens with a delimiter-like line, use it.
        std::size_t start = body.find_first_not_of("\r\n");
        if (start != std::string_view::npos && body.substr(start, 2) == "--") {
            std::size_t eol = body.find_first_of("\r\n", start);
            std::string_view line =
                body.substr(start + 2, eol == std::string_view::npos ? eol : eol - start - 2);
            if (!line.empty() && line.size() <= 200 && line.find(' ') == std::string_view::npos) {
                boundary = std::string(line);
                warnings.push_back(where + ": " + ct.value + " without a boundary; guessed \"" +
                                   boundary + "\" from the first line");
            }
        }
    }
    Split split;
    if (!boundary.empty()) split = split_multipart(body, boundary, state.limits.max_parts);
    if (boundary.empty() || !split.found) {
        warnings.push_back(
            where + ": " + ct.value +
            (boundary.empty() ? " without a boundary" : " whose boundary never occurs") +
            "; body read as plain text");
        append_text(out, normalize_newlines(to_utf8(body, "", &warnings)), true, "");
        return;
    }
    if (!split.closed && !split.truncated)
        warnings.push_back(where + ": multipart has no closing boundary");
    if (split.truncated)
        warnings.push_back(where + ": more than " + std::to_string(state.limits.max_parts) +
                           " parts; the rest are ignored");
    std::string_view child_default =
        ct.value == "multipart/digest" ? "message/rfc822" : "text/plain";
    const bool alternative = ct.value == "multipart/alternative";
    std::vector<Collected> alternatives;
    for (std::size_t i = 0; i < split.parts.size(); ++i) {
        if (!count_part(state, warnings)) break;
        std::string child_where = where + "." + std::to_string(i + 1);
        HeaderBlock child = parse_header_block(split.parts[i], state.limits, warnings, child_where);
        if (alternative) {
            alternatives.emplace_back();
            walk_entity(child, child.body, state, depth + 1, child_default, child_where,
                        alternatives.back(), warnings);
        } else {
            walk_entity(child, child.body, state, depth + 1, child_default, child_where, out,
                        warnings);
        }
    }
    if (!alternative) return;
    // Prefer the plain-text rendering; otherwise the first that yields text at all.
    Collected* chosen = nullptr;
    for (auto& a : alternatives)
        if (!chosen && a.has_text && a.text_from_plain && !core::trim(a.text).empty()) chosen = &a;
    for (auto& a : alternatives)
        if (!chosen && a.has_text) chosen = &a;
    if (!chosen && !alternatives.empty()) chosen = &alternatives.front();
    if (chosen) merge(out, std::move(*chosen));
}

}  // namespace

void walk_entity(const HeaderBlock& header, std::string_view body, WalkState& state, int depth,
                 std::string_view default_type, const std::string& where, Collected& out,
                 std::vector<std::string>& warnings) {
    const int max_depth = std::min(state.limits.max_depth, hard_depth_cap);
    ParamValue ct;
    if (const std::string* raw = header.find("Content-Type")) {
        ct = parse_param_value(*raw, &warnings);
        if (ct.value.find('/') == std::string::npos || ct.value.front() == '/' ||
            ct.value.back() == '/') {
            warnings.push_back(where + ": malformed Content-Type \"" + ct.value + "\"; read as " +
                               std::string(default_type));
            ct.value = std::string(default_type);
        }
    } else {
        ct.value = std::string(default_type);
    }
    std::string cte;
    if (const std::string* raw = header.find("Content-Transfer-Encoding"))
        cte = core::to_lower_ascii(core::trim(parse_param_value(*raw, nullptr).value));
    ParamValue disposition;
    if (const std::string* raw = header.find("Content-Disposition"))
        disposition = parse_param_value(*raw, &warnings);
    std::string filename;
    {
        std::string own = normalize_charset_name(ct.raw("charset"));
        bool japanese = own == "iso-2022-jp" || own == "shift_jis" || own == "euc-jp";
        if (japanese && state.japanese_charset.empty()) state.japanese_charset = own;
        std::string hint = japanese ? own : state.japanese_charset;
        CharsetHintScope scope(hint.empty() ? CharsetHintScope::current() : hint);
        filename = disposition.text("filename", &warnings);
        if (filename.empty()) filename = ct.text("name", &warnings);
    }
    const bool is_attachment = disposition.value == "attachment";

    if (ct.value.starts_with("multipart/")) {
        if (depth >= max_depth) {
            warnings.push_back(where + ": MIME nesting deeper than " + std::to_string(max_depth) +
                               "; part ignored");
            return;
        }
        walk_multipart(ct, body, state, depth, where, out, warnings);
        return;
    }

    const bool headers_only = ct.value == "text/rfc822-headers";
    if (ct.value == "message/rfc822" || ct.value == "message/global" || headers_only) {
        std::string decoded = decode_transfer(body, cte, warnings, where);
        // Returned headers have no body and often no blank line after them; that is no fault.
        if (headers_only) decoded += "\r\n\r\n";
        if (depth + 1 < max_depth) {
            out.forwarded.push_back(parse_at_depth(decoded, state, depth + 1));
            return;
        }
        warnings.push_back(where + ": forwarded message nested too deep; kept as attachment");
        Attachment kept;
        kept.filename = std::move(filename);
        kept.content_type = ct.value;
        kept.bytes = std::move(decoded);
        out.attachments.push_back(std::move(kept));
        return;
    }
    if (ct.value == "message/delivery-status" || ct.value == "message/global-delivery-status")
        out.delivery_status = true;

    const bool readable_text = ct.value == "text/plain" || ct.value == "text/html";
    if (readable_text && !is_attachment && filename.empty()) {
        std::string decoded = decode_transfer(body, cte, warnings, where);
        std::string charset = normalize_charset_name(ct.raw("charset"));
        if (charset.empty() && ct.value == "text/html") charset = html_meta_charset(decoded);
        std::vector<std::string> charset_warnings;
        std::string text = to_utf8(decoded, charset, &charset_warnings);
        for (auto& w : charset_warnings) warnings.push_back(where + ": " + w);
        if (charset.empty() || charset == "us-ascii") {
            std::string detected = detect_charset(decoded);
            if (!detected.empty()) charset = detected;
        }
        bool plain = ct.value == "text/plain";
        if (!plain) text = html_to_text(text);
        text = normalize_newlines(std::move(text));
        if (plain && core::iequals_ascii(ct.raw("format"), "flowed"))
            text = unflow(text, core::iequals_ascii(ct.raw("delsp"), "yes"));
        append_text(out, std::move(text), plain, charset.empty() ? "us-ascii" : charset);
        return;
    }
    Attachment a;
    a.filename = std::move(filename);
    a.content_type = ct.value;
    if (deferrable(state, body)) {
        // Left encoded in the caller's raw bytes; the warnings decoding would give, given now.
        if (cte == "base64") {
            if (const auto invalid = count_invalid_base64(body))
                warnings.push_back(where + ": invalid base64 (" + std::to_string(invalid) +
                                   " byte(s) skipped)");
        } else if (!known_identity(cte) && cte != "quoted-printable") {
            warnings.push_back(where + ": unknown Content-Transfer-Encoding \"" + cte +
                               "\"; read as is");
        }
        a.deferred = true;
        a.encoded = body;
        a.transfer_encoding = cte;
    } else {
        a.bytes = decode_transfer(body, cte, warnings, where);
    }
    out.attachments.push_back(std::move(a));
}

}  // namespace cvd::mail::detail
