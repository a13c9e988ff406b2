// Everything that reaches a header is checked first: a CR or LF from a form field or a
// subject line must never become a header of our own (header injection).

#include "cvdbot/mail/composer.hpp"

#include <array>

#include "charset_internal.hpp"
#include "cvdbot/core/hash.hpp"
#include "cvdbot/core/text.hpp"
#include "cvdbot/mail/address.hpp"
#include "header_writer.hpp"
#include "transfer_coding.hpp"

namespace cvd::mail {
namespace {

using core::ErrorKind;
using core::make_error;
using detail::Atom;

constexpr std::size_t max_references = 20;

core::Status check_value(std::string_view value, std::string_view what) {
    for (char c : value) {
        if (c == '\r' || c == '\n' || c == '\0')
            return make_error(ErrorKind::invalid_input,
                              std::string(what) +
                                  " contains a line break or NUL byte (refused: it "
                                  "could inject a header)");
    }
    return {};
}

core::Status check_address(const Address& a, std::string_view what) {
    if (auto s = check_value(a.display_name, std::string(what) + " display name"); !s) return s;
    if (auto s = check_value(a.address, std::string(what) + " address"); !s) return s;
    if (!core::is_plausible_addr_spec(a.address))
        return make_error(ErrorKind::invalid_input, std::string(what) + " address \"" + a.address +
                                                        "\" is not a valid address");
    return {};
}

core::Status check_id(std::string_view id, std::string_view what) {
    if (auto s = check_value(id, what); !s) return s;
    if (id.empty() || id.size() > 900)
        return make_error(ErrorKind::invalid_input, std::string(what) + " is empty or too long");
    for (unsigned char c : id)
        if (c <= 0x20 || c >= 0x7F || c == '<' || c == '>')
            return make_error(
                ErrorKind::invalid_input,
                std::string(what) + " \"" + std::string(id) + "\" is not a valid message id");
    return {};
}

bool is_token(std::string_view s) {
    if (s.empty()) return false;
    for (unsigned char c : s)
        if (c <= 0x20 || c >= 0x7F ||
            std::string_view("()<>@,;:\\\"/[]?=").find(static_cast<char>(c)) !=
                std::string_view::npos)
            return false;
    return true;
}

bool is_content_type(std::string_view s) {
    std::size_t slash = s.find('/');
    return slash != std::string_view::npos && is_token(s.substr(0, slash)) &&
           is_token(s.substr(slash + 1));
}

bool is_reserved_header(std::string_view name) {
    static const std::array<const char*, 16> reserved{"date",
                                                      "from",
                                                      "to",
                                                      "cc",
                                                      "bcc",
                                                      "subject",
                                                      "message-id",
                                                      "in-reply-to",
                                                      "references",
                                                      "mime-version",
                                                      "content-type",
                                                      "content-transfer-encoding",
                                                      "content-disposition",
                                                      "auto-submitted",
                                                      "sender",
                                                      "reply-to-dummy"};
    std::string lower = core::to_lower_ascii(name);
    for (const char* r : reserved)
        if (lower == r) return true;
    return false;
}

bool is_field_name(std::string_view name) {
    if (name.empty() || name.size() > 76) return false;
    for (unsigned char c : name)
        if (c < 33 || c > 126 || c == ':') return false;
    return true;
}

std::vector<Atom> address_atoms(const std::vector<Address>& list) {
    std::vector<Atom> atoms;
    for (std::size_t i = 0; i < list.size(); ++i) {
        const Address& a = list[i];
        auto phrase = detail::phrase_atoms(a.display_name);
        for (auto& p : phrase) atoms.push_back(std::move(p));
        atoms.push_back({phrase.empty() ? a.address : "<" + a.address + ">", false});
        if (i + 1 < list.size()) atoms.push_back({",", true});
    }
    return atoms;
}

std::vector<Atom> id_atoms(const std::vector<std::string>& ids) {
    std::vector<Atom> atoms;
    for (const auto& id : ids) atoms.push_back({"<" + id + ">", false});
    return atoms;
}

std::string to_crlf(std::string_view text) {
    std::string out;
    out.reserve(text.size() + text.size() / 30 + 2);
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (c == '\r') {
            if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
            out += "\r\n";
        } else if (c == '\n') {
            out += "\r\n";
        } else {
            out.push_back(c);
        }
    }
    if (out.size() < 2 || out.compare(out.size() - 2, 2, "\r\n") != 0) out += "\r\n";
    return out;
}

// 7bit when plain ASCII with short lines; quoted-printable when mostly ASCII; else base64.
std::pair<std::string, std::string> encode_text(std::string_view utf8) {
    std::string text = to_crlf(core::sanitize_utf8(utf8));
    std::size_t non_ascii = 0, longest = 0, line = 0;
    bool controls = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        auto c = static_cast<unsigned char>(text[i]);
        if (c >= 0x80) ++non_ascii;
        if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
            longest = std::max(longest, line);
            line = 0;
            ++i;
            continue;
        }
        if ((c < 0x20 && c != '\t') || c == 0x7F) controls = true;
        ++line;
    }
    if (non_ascii == 0 && !controls && longest <= 78) return {"7bit", text};
    if (non_ascii * 6 <= text.size())
        return {"quoted-printable", detail::encode_quoted_printable(text)};
    return {"base64", detail::encode_base64_lines(text)};
}

// attr-char of RFC 2231: everything else is %-encoded.
std::string percent_encode(std::string_view s) {
    static const char hex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if (std::isalnum(c) ||
            std::string_view("!#$&+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos) {
            out.push_back(static_cast<char>(c));
        } else {
            out.push_back('%');
            out.push_back(hex[c >> 4]);
            out.push_back(hex[c & 15]);
        }
    }
    return out;
}

// "; name=..." parameter lines (each starting with "\r\n "), RFC 2231 when needed.
std::string param(std::string_view name, std::string_view utf8) {
    bool simple = core::is_ascii(utf8) && utf8.size() <= 60;
    for (unsigned char c : utf8)
        if (c < 0x20 || c == 0x7F) simple = false;
    if (simple) {
        std::string q;
        for (char c : utf8) {
            if (c == '"' || c == '\\') q.push_back('\\');
            q.push_back(c);
        }
        return ";\r\n " + std::string(name) + "=\"" + q + "\"";
    }
    std::string enc = percent_encode(utf8);
    constexpr std::size_t chunk = 60;
    if (enc.size() <= chunk) return ";\r\n " + std::string(name) + "*=utf-8''" + enc;
    std::string out;
    std::size_t pos = 0;
    for (int index = 0; pos < enc.size(); ++index) {
        std::size_t len = std::min(chunk, enc.size() - pos);
        // Never split a %XX triplet.
        if (pos + len < enc.size()) {
            if (enc[pos + len - 1] == '%')
                len -= 1;
            else if (len >= 2 && enc[pos + len - 2] == '%')
                len -= 2;
        }
        out += ";\r\n " + std::string(name) + "*" + std::to_string(index) +
               "*=" + (index == 0 ? "utf-8''" : "") + enc.substr(pos, len);
        pos += len;
    }
    return out;
}

core::Status validate(const OutgoingMessage& m) {
    if (auto s = check_address(m.from, "From"); !s) return s;
    for (const auto& a : m.to)
        if (auto s = check_address(a, "To"); !s) return s;
    for (const auto& a : m.cc)
        if (auto s = check_address(a, "Cc"); !s) return s;
    if (auto s = check_value(m.subject, "Subject"); !s) return s;
    if (!m.message_id.empty())
        if (auto s = check_id(m.message_id, "Message-ID"); !s) return s;
    for (const auto& id : m.in_reply_to)
        if (auto s = check_id(id, "In-Reply-To"); !s) return s;
    for (const auto& id : m.references)
        if (auto s = check_id(id, "References"); !s) return s;
    if (auto s = check_value(m.auto_submitted, "Auto-Submitted"); !s) return s;
    if (!m.auto_submitted.empty() &&
        !is_token(m.auto_submitted.substr(0, m.auto_submitted.find(';'))))
        return make_error(ErrorKind::invalid_input, "Auto-Submitted value is not a keyword");
    for (const auto& [name, value] : m.extra_headers) {
        if (auto s = check_value(name, "extra header name"); !s) return s;
        if (auto s = check_value(value, "header " + name); !s) return s;
        if (!is_field_name(name))
            return make_error(ErrorKind::invalid_input, "\"" + name + "\" is not a header name");
        if (is_reserved_header(name))
            return make_error(ErrorKind::invalid_input,
                              "header " + name + " is written by the composer and cannot be set");
    }
    for (const auto& a : m.attachments) {
        if (auto s = check_value(a.filename, "attachment file name"); !s) return s;
        if (auto s = check_value(a.content_type, "attachment content type"); !s) return s;
        if (!a.content_type.empty() && !is_content_type(a.content_type))
            return make_error(
                ErrorKind::invalid_input,
                "attachment content type \"" + a.content_type + "\" is not type/subtype");
    }
    return {};
}

}  // namespace

std::string make_message_id(std::string_view domain) {
    std::string d(core::trim(domain));
    if (d.empty() || !core::is_plausible_addr_spec("x@" + d)) d = "cvdbot.invalid";
    return core::random_token() + "@" + d;
}

core::Result<std::string> compose_message(const OutgoingMessage& m) {
    if (auto s = validate(m); !s) return s.error();
    detail::HeaderWriter h;
    h.raw("Date", core::format_rfc5322(m.date));
    h.field("From", address_atoms({m.from}));
    if (!m.to.empty()) h.field("To", address_atoms(m.to));
    if (!m.cc.empty()) h.field("Cc", address_atoms(m.cc));
    h.unstructured("Subject", core::sanitize_utf8(m.subject));
    std::string id =
        m.message_id.empty() ? make_message_id(core::address_domain(m.from.address)) : m.message_id;
    h.field("Message-ID", id_atoms({id}));
    if (!m.in_reply_to.empty()) h.field("In-Reply-To", id_atoms(m.in_reply_to));
    if (!m.references.empty()) {
        std::vector<std::string> refs = m.references;
        if (refs.size() > max_references) {
            // Keep the thread's root and the most recent ids (RFC 5322 3.6.4 allows trimming).
            std::vector<std::string> kept{refs.front()};
            kept.insert(kept.end(), refs.end() - (max_references - 1), refs.end());
            refs = std::move(kept);
        }
        h.field("References", id_atoms(refs));
    }
    if (!m.auto_submitted.empty()) h.raw("Auto-Submitted", m.auto_submitted);
    for (const auto& [name, value] : m.extra_headers)
        h.unstructured(name, core::sanitize_utf8(value));
    h.raw("MIME-Version", "1.0");

    auto [cte, body] = encode_text(m.text_body);
    std::string out = h.str();
    if (m.attachments.empty()) {
        out += "Content-Type: text/plain; charset=utf-8\r\n";
        out += "Content-Transfer-Encoding: " + cte + "\r\n\r\n";
        out += body;
        return out;
    }
    // "=_" cannot occur in base64 or quoted-printable text, so the boundary never collides.
    const std::string boundary = "=_cvdbot_" + core::random_token();
    out += "Content-Type: multipart/mixed;\r\n boundary=\"" + boundary + "\"\r\n\r\n";
    out += "This is a MIME message.\r\n";
    out += "--" + boundary + "\r\n";
    out += "Content-Type: text/plain; charset=utf-8\r\n";
    out += "Content-Transfer-Encoding: " + cte + "\r\n\r\n";
    out += body;
    for (const auto& a : m.attachments) {
        out += "--" + boundary + "\r\n";
        std::string type = a.content_type.empty() ? "application/octet-stream"
                                                  : core::to_lower_ascii(a.content_type);
        std::string filename = core::sanitize_utf8(a.filename);
        out += "Content-Type: " + type;
        if (!filename.empty()) out += param("name", filename);
        out += "\r\nContent-Disposition: attachment";
        if (!filename.empty()) out += param("filename", filename);
        out += "\r\nContent-Transfer-Encoding: base64\r\n\r\n";
        out += detail::encode_base64_lines(a.bytes);
    }
    out += "--" + boundary + "--\r\n";
    return out;
}

}  // namespace cvd::mail
