#include "reading.hpp"

#include "cvdbot/core/text.hpp"
#include "cvdbot/report/report_form.hpp"
#include "cvdbot/report/vendor_reply.hpp"

namespace cvd::app {

workflow::ReportReceived read_report(std::string_view text, workflow::ReportReceived event) {
    const auto form = report::parse_report(text);
    event.free_form = form.free_form;
    if (form.kind == report::ReportKind::product) event.classified = domain::Track::product;
    if (form.kind == report::ReportKind::web) event.classified = domain::Track::web;
    for (const auto field : form.missing) {
        const auto label = report::field_label(field);
        event.missing_fields.push_back(std::string(label.en) + " / " + std::string(label.ja));
    }
    return event;
}

std::optional<workflow::ReplyReading> read_reply(std::string_view text, domain::Role role) {
    const auto reply = report::parse_vendor_reply(text);
    const bool says_nothing = reply.verification == report::Verification::not_stated &&
                              reply.fix == report::FixStatus::not_stated && !reply.publication_date &&
                              !reply.publication_date_unclear;
    if (says_nothing) return std::nullopt;
    workflow::ReplyReading reading;
    std::string doubts;
    for (const auto& note : reply.notes) doubts += (doubts.empty() ? "" : "; ") + note;
    const bool doubtful = reply.verification == report::Verification::unclear ||
                          reply.fix == report::FixStatus::unclear || reply.publication_date_unclear;
    if (doubtful) {
        reading.unclear = doubts.empty() ? "the reply form is filled in ambiguously" : doubts;
        return reading;  // nothing of it is taken: a person reads it
    }
    if (reply.fix == report::FixStatus::will_not_fix)
        reading.unclear = "they say no fix is planned; the process needs a coordinator's decision";
    if (role == domain::Role::vendor) {
        if (reply.verification == report::Verification::not_affected)
            reading.vendor_state = domain::VendorState::not_affected;
        else if (reply.verification == report::Verification::affected || reply.fix == report::FixStatus::fixing ||
                 reply.fix == report::FixStatus::fixed)
            reading.vendor_state = domain::VendorState::fixing;
    } else if (role == domain::Role::site_operator) {
        reading.operator_fixed = reply.fix == report::FixStatus::fixed;
    }
    if (reply.publication_date) reading.wished_publication = reply.publication_date->to_iso() + " (JST)";
    return reading;
}

std::string own_words(std::string_view text) {
    constexpr std::size_t kMax = 16 * 1024;
    std::string out;
    std::size_t start = 0;
    while (start < text.size() && out.size() < kMax) {
        auto end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        std::string_view line = text.substr(start, end - start);
        start = end + 1;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (line == "-- ") break;
        if (!line.empty() && line.front() == '>') continue;
        out.append(line).push_back('\n');
    }
    if (out.size() > kMax) out.resize(kMax);
    while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
    return core::sanitize_utf8(out);
}

domain::Consent consent_from_report(std::string_view text, domain::Consent current) {
    const auto form = report::parse_report(text);
    if (form.wants_credit) current.credit = *form.wants_credit;
    if (form.contact_to_vendor_allowed) current.identity_to_vendor = *form.contact_to_vendor_allowed;
    return current;
}

}  // namespace cvd::app
