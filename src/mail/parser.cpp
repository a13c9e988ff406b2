#include "cvdbot/mail/parser.hpp"

#include <algorithm>
#include <cstring>

#include "automatic.hpp"
#include "charset_internal.hpp"
#include "cvdbot/core/text.hpp"
#include "cvdbot/mail/address.hpp"
#include "cvdbot/mail/charset.hpp"
#include "cvdbot/mail/date.hpp"
#include "cvdbot/mail/encoded_words.hpp"
#include "mime_walk.hpp"
#include "params.hpp"

namespace cvd::mail {
namespace detail {
namespace {

void fill_envelope(const HeaderBlock& h, Message& m) {
    auto& w = m.warnings;
    for (const auto& f : h.fields) m.headers.emplace_back(f.name, decode_header_value(f.value, &w));

    std::size_t from_count = 0;
    for (const auto& f : h.fields) {
        if (core::iequals_ascii(f.name, "From")) {
            if (++from_count > 1) {
                w.push_back("more than one From header; the first is used");
                continue;
            }
            auto list = parse_address_list(f.value, &w);
            if (list.size() > 1) w.push_back("From lists several mailboxes; the first is used");
            if (!list.empty()) m.from = std::move(list.front());
        } else if (core::iequals_ascii(f.name, "To")) {
            for (auto& a : parse_address_list(f.value, &w)) m.to.push_back(std::move(a));
        } else if (core::iequals_ascii(f.name, "Cc")) {
            for (auto& a : parse_address_list(f.value, &w)) m.cc.push_back(std::move(a));
        } else if (core::iequals_ascii(f.name, "Reply-To")) {
            for (auto& a : parse_address_list(f.value, &w)) m.reply_to.push_back(std::move(a));
        }
    }
    if (const std::string* v = h.find("Subject")) m.subject = decode_header_value(*v, &w);
    if (const std::string* v = h.find("Message-ID")) {
        auto ids = parse_message_ids(*v);
        if (!ids.empty()) m.message_id = ids.front();
        if (ids.empty()) w.push_back("unreadable Message-ID");
    }
    if (const std::string* v = h.find("In-Reply-To")) m.in_reply_to = parse_message_ids(*v);
    if (const std::string* v = h.find("References")) m.references = parse_message_ids(*v);
    if (const std::string* v = h.find("Date")) m.date = parse_rfc5322_date(*v, &w);
}

std::string japanese_hint(const std::string& charset) {
    return charset == "iso-2022-jp" || charset == "shift_jis" || charset == "euc-jp"
               ? charset
               : std::string();
}

// One warning per distinct problem: a header is decoded once for `headers` and again for
// its typed field, and both would report the same thing.
void dedupe(std::vector<std::string>& warnings) {
    std::vector<std::string> seen;
    for (auto& w : warnings)
        if (std::find(seen.begin(), seen.end(), w) == seen.end()) seen.push_back(std::move(w));
    warnings = std::move(seen);
}

// Warnings and a few fields quote the input (charset names, content types): keep the
// promise that every string in the model is valid UTF-8.
void make_text_safe(Message& m) {
    auto fix = [](std::string& s) {
        if (!core::is_valid_utf8(s)) s = core::sanitize_utf8(s);
    };
    for (auto& w : m.warnings) fix(w);
    fix(m.text_charset);
    for (auto& a : m.attachments) {
        fix(a.content_type);
        fix(a.filename);
    }
}

}  // namespace

Message parse_at_depth(std::string_view raw, WalkState& state, int depth) {
    Message m;
    const std::string where = depth == 0 ? "message" : "forwarded message";
    if (raw.empty()) {
        m.warnings.push_back(where + ": empty input");
        return m;
    }
    if (depth == 0 && std::memchr(raw.data(), '\0', raw.size()))
        m.warnings.push_back("message contains NUL bytes");
    HeaderBlock h = parse_header_block(raw, state.limits, m.warnings, where);

    // The body is walked first so that its charset can guide raw 8-bit header bytes.
    ParamValue ct;
    if (const std::string* v = h.find("Content-Type")) ct = parse_param_value(*v, nullptr);
    std::string hint = japanese_hint(normalize_charset_name(ct.raw("charset")));
    if (hint.empty()) hint = CharsetHintScope::current();
    Collected collected;
    {
        CharsetHintScope scope(hint);
        walk_entity(h, h.body, state, depth, "text/plain", where, collected, m.warnings);
    }
    if (hint.empty()) hint = japanese_hint(collected.charset);
    if (hint.empty()) {
        // All raw 8-bit header bytes together say more than any one short name does.
        std::string raw_bytes;
        for (const auto& f : h.fields)
            if (!core::is_ascii(f.value) && !core::is_valid_utf8(f.value))
                raw_bytes += f.value + " ";
        if (!raw_bytes.empty()) hint = japanese_hint(detect_charset(raw_bytes));
    }
    CharsetHintScope scope(hint);
    fill_envelope(h, m);
    if (!h.fields.empty() && !h.find("From")) m.warnings.push_back(where + ": no From header");
    m.text_body = std::move(collected.text);
    m.text_charset = std::move(collected.charset);
    m.attachments = std::move(collected.attachments);
    m.forwarded = std::move(collected.forwarded);

    m.automatic = classify_automatic(m, ct.value, ct.raw("report-type"), collected.delivery_status);
    if (m.text_body.find('\0') != std::string::npos) {
        std::erase(m.text_body, '\0');
        m.warnings.push_back(where + ": NUL bytes removed from the text body");
    }
    dedupe(m.warnings);
    make_text_safe(m);
    return m;
}

}  // namespace detail

namespace {

Message parse_with(std::string_view raw, detail::WalkState& state) {
    const ParseLimits& limits = state.limits;
    std::string truncated_warning;
    if (raw.size() > limits.max_message_bytes) {
        truncated_warning = "message of " + std::to_string(raw.size()) + " bytes exceeds " +
                            std::to_string(limits.max_message_bytes) + "; the rest is ignored";
        raw = raw.substr(0, limits.max_message_bytes);
    }
    try {
        // Old Mac mail ends lines in CR alone; everything below splits on LF.
        std::string cr_fixed;
        if (raw.find('\n') == std::string_view::npos && raw.find('\r') != std::string_view::npos) {
            cr_fixed.assign(raw);
            for (char& c : cr_fixed)
                if (c == '\r') c = '\n';
            raw = cr_fixed;
        }
        Message m = detail::parse_at_depth(raw, state, 0);
        if (!truncated_warning.empty()) m.warnings.insert(m.warnings.begin(), truncated_warning);
        return m;
    } catch (const std::exception& e) {
        // Only allocation failure should get here; the promise is a Message regardless.
        Message m;
        m.warnings.push_back(std::string("parser failed: ") + e.what());
        return m;
    }
}

}  // namespace

Message parse_message(std::string_view raw, const ParseLimits& limits) {
    detail::WalkState state;
    state.limits = limits;
    return parse_with(raw, state);
}

Message parse_message_deferred(std::string_view raw, std::size_t defer_from,
                               const ParseLimits& limits) {
    detail::WalkState state;
    state.limits = limits;
    state.defer_from = defer_from;
    // A view into what the caller keeps; a CR-fixed copy made below is not, and is decoded.
    state.defer_source = raw;
    return parse_with(raw, state);
}

}  // namespace cvd::mail
