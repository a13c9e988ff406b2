#include "cvdbot/mail/describe.hpp"

#include <nlohmann/json.hpp>

#include "cvdbot/core/hash.hpp"
#include "cvdbot/core/time.hpp"
#include "cvdbot/mail/bounce.hpp"
#include "cvdbot/mail/threading.hpp"

namespace cvd::mail {
namespace {

using nlohmann::ordered_json;

ordered_json address_json(const Address& a) {
    return ordered_json{{"name", a.display_name}, {"address", a.address}};
}

ordered_json list_json(const std::vector<Address>& list) {
    ordered_json j = ordered_json::array();
    for (const auto& a : list) j.push_back(address_json(a));
    return j;
}

ordered_json bounce_json(const BounceReport& b) {
    ordered_json recipients = ordered_json::array();
    for (const auto& r : b.recipients)
        recipients.push_back({{"address", r.address},
                              {"status", r.status},
                              {"action", r.action},
                              {"failure", to_string(r.failure)},
                              {"diagnostic", r.diagnostic}});
    return ordered_json{{"standard", b.standard},
                        {"reporting_mta", b.reporting_mta},
                        {"original_message_id", b.original_message_id},
                        {"recipients", recipients}};
}

ordered_json to_json(const Message& m, const DescribeOptions& o) {
    ordered_json j;
    j["from"] = m.from ? address_json(*m.from) : ordered_json(nullptr);
    j["to"] = list_json(m.to);
    j["cc"] = list_json(m.cc);
    j["reply_to"] = list_json(m.reply_to);
    j["subject"] = m.subject;
    j["subject_base"] = strip_subject_prefixes(m.subject);
    if (!o.case_prefix.empty()) {
        auto tag = find_case_tag(m, o.case_prefix);
        j["case_tag"] = tag ? ordered_json(tag->str()) : ordered_json(nullptr);
    }
    j["message_id"] = m.message_id;
    j["in_reply_to"] = m.in_reply_to;
    j["references"] = m.references;
    j["date"] = m.date ? ordered_json(core::format_iso8601(*m.date)) : ordered_json(nullptr);
    j["automatic"] = to_string(m.automatic);
    auto bounce = parse_bounce(m);
    j["bounce"] = bounce ? bounce_json(*bounce) : ordered_json(nullptr);
    j["text_charset"] = m.text_charset;
    if (o.include_body) j["text_body"] = m.text_body;
    ordered_json attachments = ordered_json::array();
    for (const auto& a : m.attachments) {
        std::string scratch;
        const auto content = a.content(scratch);
        attachments.push_back({{"filename", a.filename},
                               {"content_type", a.content_type},
                               {"size", content.size()},
                               {"sha256", core::sha256_hex(content)}});
    }
    j["attachments"] = attachments;
    ordered_json forwarded = ordered_json::array();
    for (const auto& f : m.forwarded) forwarded.push_back(to_json(f, o));
    j["forwarded"] = forwarded;
    if (o.include_headers) {
        ordered_json headers = ordered_json::array();
        for (const auto& [name, value] : m.headers) headers.push_back({name, value});
        j["headers"] = headers;
    }
    j["warnings"] = m.warnings;
    return j;
}

std::string format_address(const Address& a) {
    return a.display_name.empty() ? a.address : a.display_name + " <" + a.address + ">";
}

std::string format_list(const std::vector<Address>& list) {
    std::string out;
    for (const auto& a : list) out += (out.empty() ? "" : ", ") + format_address(a);
    return out;
}

std::string join(const std::vector<std::string>& ids) {
    std::string out;
    for (const auto& id : ids) out += (out.empty() ? "<" : " <") + id + ">";
    return out;
}

void describe_into(const Message& m, const DescribeOptions& o, const std::string& indent,
                   std::string& out) {
    auto line = [&](std::string_view label, const std::string& value) {
        if (value.empty()) return;
        out += indent;
        out += label;
        out.append(label.size() < 13 ? 13 - label.size() : 1, ' ');
        out += value + "\n";
    };
    line("From:", m.from ? format_address(*m.from) : std::string("(none)"));
    line("To:", format_list(m.to));
    line("Cc:", format_list(m.cc));
    line("Reply-To:", format_list(m.reply_to));
    line("Subject:", m.subject);
    line("Date:", m.date ? core::format_iso8601(*m.date) : std::string("(none)"));
    line("Message-ID:", m.message_id.empty() ? std::string("(none)") : "<" + m.message_id + ">");
    line("In-Reply-To:", join(m.in_reply_to));
    line("References:", join(m.references));
    if (!o.case_prefix.empty()) {
        auto tag = find_case_tag(m, o.case_prefix);
        line("Case tag:", tag ? tag->str() : std::string("(none)"));
    }
    line("Automatic:", to_string(m.automatic));
    if (auto b = parse_bounce(m)) {
        line("Bounce:",
             std::string(b->standard ? "RFC 3464 report" : "non-standard report") +
                 (b->original_message_id.empty() ? ""
                                                 : ", original <" + b->original_message_id + ">"));
        for (const auto& r : b->recipients)
            line("", "  " + r.address + ": " + to_string(r.failure) +
                         (r.status.empty() ? "" : " (" + r.status + ")") +
                         (r.diagnostic.empty() ? "" : " " + r.diagnostic));
    }
    line("Charset:", m.text_charset);
    for (std::size_t i = 0; i < m.attachments.size(); ++i) {
        const auto& a = m.attachments[i];
        std::string scratch;
        line(i == 0 ? "Attachments:" : "",
             std::to_string(i + 1) + ". " + (a.filename.empty() ? "(no name)" : a.filename) + " (" +
                 a.content_type + ", " + std::to_string(a.content(scratch).size()) + " bytes)");
    }
    if (o.include_headers && indent.empty()) {
        out += "Headers:\n";
        for (const auto& [name, value] : m.headers) out += "  " + name + ": " + value + "\n";
    }
    if (!m.warnings.empty()) {
        out += indent + "Warnings:\n";
        for (const auto& w : m.warnings) out += indent + "  - " + w + "\n";
    }
    for (std::size_t i = 0; i < m.forwarded.size(); ++i) {
        out += indent + "Forwarded message " + std::to_string(i + 1) + ":\n";
        describe_into(m.forwarded[i], o, indent + "    ", out);
    }
    if (o.include_body) {
        out += indent + "--- text body ---\n";
        std::size_t pos = 0;
        while (pos < m.text_body.size()) {
            std::size_t eol = m.text_body.find('\n', pos);
            std::size_t end = eol == std::string::npos ? m.text_body.size() : eol;
            out += indent + m.text_body.substr(pos, end - pos) + "\n";
            pos = end + 1;
        }
        out += indent + "--- end of text body ---\n";
    }
}

}  // namespace

std::string describe_message(const Message& m, const DescribeOptions& options) {
    std::string out;
    describe_into(m, options, "", out);
    return out;
}

std::string message_to_json(const Message& m, const DescribeOptions& options) {
    return to_json(m, options).dump(2, ' ', false, ordered_json::error_handler_t::replace);
}

}  // namespace cvd::mail
