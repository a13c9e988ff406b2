// Bounces are counted against a contact address, so a wrong recipient is worse than none:
// the text heuristics only take addresses that sit next to a status code or in a section
// the MTA labels as failed, and never the bounce's own sender or recipients.

#include "cvdbot/mail/bounce.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include "cvdbot/core/text.hpp"
#include "cvdbot/mail/address.hpp"
#include "cvdbot/mail/parser.hpp"
#include "header_block.hpp"

namespace cvd::mail {
namespace {

std::string field(const detail::HeaderBlock& b, std::string_view name) {
    const std::string* v = b.find(name);
    return v ? std::string(core::trim(*v)) : std::string();
}

// "rfc822; user@example.org" → "user@example.org"
std::string address_part(std::string_view typed) {
    std::size_t semi = typed.find(';');
    std::string_view a =
        core::trim(semi == std::string_view::npos ? typed : typed.substr(semi + 1));
    if (!a.empty() && a.front() == '<') a.remove_prefix(1);
    if (!a.empty() && a.back() == '>') a.remove_suffix(1);
    return std::string(core::trim(a));
}

std::string strip_type(std::string_view typed) {
    std::size_t semi = typed.find(';');
    return std::string(core::trim(semi == std::string_view::npos ? typed : typed.substr(semi + 1)));
}

std::string unfolded(std::string s) {
    std::string out;
    for (char c : s)
        if (c != '\r' && c != '\n') out.push_back(c == '\t' ? ' ' : c);
    return out;
}

void parse_delivery_status(std::string_view body, BounceReport& report) {
    ParseLimits limits;
    std::vector<std::string> ignored;
    std::size_t pos = 0;
    bool first = true;
    // Groups are separated by blank lines; the first one is about the message.
    while (pos < body.size()) {
        while (pos < body.size() && (body[pos] == '\r' || body[pos] == '\n')) ++pos;
        if (pos >= body.size()) break;
        detail::HeaderBlock block =
            detail::parse_header_block(body.substr(pos), limits, ignored, "dsn");
        std::size_t consumed = block.body.data() - body.substr(pos).data();
        if (consumed == 0) break;
        pos += consumed;
        if (first && block.find("Reporting-MTA")) {
            report.reporting_mta = strip_type(field(block, "Reporting-MTA"));
            first = false;
            continue;
        }
        first = false;
        std::string address = address_part(field(block, "Final-Recipient"));
        if (address.empty()) address = address_part(field(block, "Original-Recipient"));
        if (address.empty()) continue;
        BounceRecipient r;
        r.address = address;
        r.action = core::to_lower_ascii(field(block, "Action"));
        std::string status = field(block, "Status");
        r.status = status.substr(0, status.find_first_of(" \t("));
        r.diagnostic = unfolded(strip_type(field(block, "Diagnostic-Code")));
        r.failure = failure_from_status(r.status);
        if (r.failure == DeliveryFailure::unknown) {
            if (r.action == "failed") r.failure = DeliveryFailure::permanent;
            if (r.action == "delayed") r.failure = DeliveryFailure::temporary;
        }
        if (r.action == "delivered" || r.action == "relayed" || r.action == "expanded") continue;
        report.recipients.push_back(std::move(r));
    }
}

std::vector<std::string> lines_of(std::string_view text, std::size_t max_lines) {
    std::vector<std::string> lines;
    std::size_t pos = 0;
    while (pos < text.size() && lines.size() < max_lines) {
        std::size_t eol = text.find('\n', pos);
        std::size_t end = eol == std::string_view::npos ? text.size() : eol;
        lines.emplace_back(core::trim(text.substr(pos, end - pos)));
        pos = end + 1;
    }
    return lines;
}

// Addresses written in a line: "<a@b>", "a@b:", "RCPT TO:<a@b>" and bare words.
std::vector<std::string> addresses_in(std::string_view line) {
    std::vector<std::string> out;
    std::size_t at = 0;
    while ((at = line.find('@', at)) != std::string_view::npos) {
        auto is_addr_char = [](char c) {
            return std::isalnum(static_cast<unsigned char>(c)) ||
                   std::string_view("._%+-=!#$&'*/?^`{|}~").find(c) != std::string_view::npos;
        };
        std::size_t b = at;
        while (b > 0 && is_addr_char(line[b - 1])) --b;
        std::size_t e = at + 1;
        while (e < line.size() && (is_addr_char(line[e]) && line[e] != '=' && line[e] != '?')) ++e;
        std::string candidate(line.substr(b, e - b));
        while (!candidate.empty() && (candidate.back() == '.' || candidate.back() == '-'))
            candidate.pop_back();
        if (core::is_plausible_addr_spec(candidate)) out.push_back(candidate);
        at = e > at ? e : at + 1;
    }
    return out;
}

// "5.1.1" anywhere in the line, else a 4xx/5xx SMTP code at a word start.
std::string status_in(std::string_view line) {
    for (std::size_t i = 0; i + 5 <= line.size(); ++i) {
        char c = line[i];
        if ((c == '4' || c == '5') && line[i + 1] == '.' &&
            std::isdigit(static_cast<unsigned char>(line[i + 2]))) {
            std::size_t j = i + 2;
            while (j < line.size() && std::isdigit(static_cast<unsigned char>(line[j]))) ++j;
            if (j < line.size() && line[j] == '.' && j + 1 < line.size() &&
                std::isdigit(static_cast<unsigned char>(line[j + 1])) &&
                (i == 0 || !std::isalnum(static_cast<unsigned char>(line[i - 1])))) {
                std::size_t k = j + 1;
                while (k < line.size() && std::isdigit(static_cast<unsigned char>(line[k]))) ++k;
                return std::string(line.substr(i, k - i));
            }
        }
    }
    for (std::size_t i = 0; i + 3 <= line.size(); ++i) {
        char c = line[i];
        if ((c == '4' || c == '5') && std::isdigit(static_cast<unsigned char>(line[i + 1])) &&
            std::isdigit(static_cast<unsigned char>(line[i + 2])) &&
            (i == 0 || !std::isalnum(static_cast<unsigned char>(line[i - 1]))) &&
            (i + 3 == line.size() || line[i + 3] == ' ' || line[i + 3] == '-'))
            return std::string(line.substr(i, 3));
    }
    return {};
}

DeliveryFailure failure_from_words(std::string_view text) {
    std::string lower = core::to_lower_ascii(text);
    for (const char* w :
         {"temporar", "delayed", "will retry", "deferred", "will be retried", "still trying"})
        if (lower.find(w) != std::string::npos) return DeliveryFailure::temporary;
    for (const char* w : {"permanent", "fatal", "giving up", "user unknown", "does not exist",
                          "no such user", "undeliverable", "could not be delivered"})
        if (lower.find(w) != std::string::npos) return DeliveryFailure::permanent;
    if (text.find("宛先不明") != std::string_view::npos ||
        text.find("存在しません") != std::string_view::npos)
        return DeliveryFailure::permanent;
    return DeliveryFailure::unknown;
}

void parse_text_bounce(const Message& m, BounceReport& report) {
    std::vector<std::string> excluded;
    if (m.from) excluded.push_back(core::to_lower_ascii(m.from->address));
    for (const auto& a : m.to) excluded.push_back(core::to_lower_ascii(a.address));
    for (const auto& f : m.forwarded)
        if (f.from) excluded.push_back(core::to_lower_ascii(f.from->address));
    auto keep = [&](const std::string& address) {
        std::string lower = core::to_lower_ascii(address);
        std::string local = lower.substr(0, lower.find('@'));
        if (local == "mailer-daemon" || local == "postmaster") return false;
        if (std::find(excluded.begin(), excluded.end(), lower) != excluded.end()) return false;
        for (const auto& r : report.recipients)
            if (core::to_lower_ascii(r.address) == lower) return false;
        return true;
    };
    DeliveryFailure overall = failure_from_words(m.text_body.substr(0, 4096));

    if (const std::string* failed = m.header("X-Failed-Recipients")) {
        for (const auto& a : parse_address_list(*failed)) {
            if (!keep(a.address)) continue;
            BounceRecipient r;
            r.address = a.address;
            r.failure = overall == DeliveryFailure::unknown ? DeliveryFailure::permanent : overall;
            report.recipients.push_back(std::move(r));
        }
    }
    // Body text up to where the returned message starts.
    auto lines = lines_of(m.text_body, 300);
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const std::string& line = lines[i];
        if (line.rfind("Received:", 0) == 0 || line.rfind("------ This is a copy", 0) == 0 ||
            line.rfind("--- Below this line is a copy", 0) == 0 ||
            line.find("Original message follows") != std::string::npos ||
            line.find("Original message headers") != std::string::npos)
            break;
        for (const auto& address : addresses_in(line)) {
            std::string status;
            std::string diagnostic;
            for (std::size_t k = i; k < lines.size() && k <= i + 3 && status.empty(); ++k) {
                status = status_in(lines[k]);
                if (!status.empty()) diagnostic = lines[k];
            }
            // Enough evidence: a status code nearby, or an X-Failed-Recipients entry already.
            if (status.empty() || !keep(address)) continue;
            BounceRecipient r;
            r.address = address;
            r.status = status;
            r.diagnostic = diagnostic;
            r.failure = failure_from_status(status);
            if (r.failure == DeliveryFailure::unknown) r.failure = overall;
            report.recipients.push_back(std::move(r));
        }
    }
    // "The following addresses had permanent fatal errors" followed by bare addresses.
    for (std::size_t i = 0; i < lines.size(); ++i) {
        std::string lower = core::to_lower_ascii(lines[i]);
        if (lower.find("following address") == std::string::npos &&
            lower.find("following recipient") == std::string::npos)
            continue;
        DeliveryFailure f = failure_from_words(lines[i]);
        if (f == DeliveryFailure::unknown) f = overall;
        for (std::size_t k = i + 1; k < lines.size() && k <= i + 6; ++k) {
            for (const auto& address : addresses_in(lines[k])) {
                if (!keep(address)) continue;
                BounceRecipient r;
                r.address = address;
                r.diagnostic = lines[i];
                r.failure = f;
                report.recipients.push_back(std::move(r));
            }
        }
    }
    // Recipients found without a status may get one from the text.
    for (auto& r : report.recipients) {
        if (!r.status.empty()) continue;
        for (std::size_t i = 0; i < lines.size(); ++i) {
            if (lines[i].find(r.address) == std::string::npos) continue;
            for (std::size_t k = i; k < lines.size() && k <= i + 3; ++k) {
                std::string s = status_in(lines[k]);
                if (s.empty()) continue;
                r.status = s;
                r.diagnostic = lines[k];
                if (failure_from_status(s) != DeliveryFailure::unknown)
                    r.failure = failure_from_status(s);
                break;
            }
            if (!r.status.empty()) break;
        }
    }
}

}  // namespace

const char* to_string(DeliveryFailure failure) {
    switch (failure) {
        case DeliveryFailure::permanent:
            return "permanent";
        case DeliveryFailure::temporary:
            return "temporary";
        case DeliveryFailure::unknown:
            return "unknown";
    }
    return "unknown";
}

DeliveryFailure failure_from_status(std::string_view status) {
    status = core::trim(status);
    if (status.empty()) return DeliveryFailure::unknown;
    if (status[0] == '5') return DeliveryFailure::permanent;
    if (status[0] == '4') return DeliveryFailure::temporary;
    return DeliveryFailure::unknown;
}

std::optional<BounceReport> parse_bounce(const Message& m) {
    const Attachment* dsn = nullptr;
    for (const auto& a : m.attachments)
        if (a.content_type == "message/delivery-status" ||
            a.content_type == "message/global-delivery-status")
            dsn = &a;
    if (!dsn && m.automatic != AutomaticKind::bounce) return std::nullopt;
    BounceReport report;
    if (dsn) {
        report.standard = true;
        std::string scratch;
        parse_delivery_status(dsn->content(scratch), report);
    }
    if (report.recipients.empty()) parse_text_bounce(m, report);
    for (const auto& f : m.forwarded) {
        if (!f.message_id.empty()) {
            report.original_message_id = f.message_id;
            break;
        }
    }
    if (report.original_message_id.empty()) {
        // Returned headers pasted into the text ("Message-ID: <...>").
        for (const auto& line : lines_of(m.text_body, 2000)) {
            if (core::starts_with_icase(line, "Message-ID:")) {
                auto ids = parse_message_ids(line.substr(11));
                if (!ids.empty() && ids.front() != m.message_id) {
                    report.original_message_id = ids.front();
                    break;
                }
            }
        }
    }
    return report;
}

}  // namespace cvd::mail
