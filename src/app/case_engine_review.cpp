// The vendors' review of the draft advisory: `advisory review [VENDOR]` sends each vendor (or
// the one named) its own section only, confidential like the details; a vendor's reply with
// the correction form is recorded on the case and the coordinators are told.

#include "advisory_facts.hpp"
#include "case_engine.hpp"
#include "cvdbot/advisory/review.hpp"
#include "cvdbot/core/text.hpp"
#include "cvdbot/report/advisory_correction.hpp"
#include "language.hpp"

namespace cvd::app {

using core::Result;
using core::Status;
using domain::Role;

namespace {

// The vendor as the advisory facts name it: its organisation, as the coordinators wrote it in
// `affected` or `vendor-statement`; "" when the facts do not name it.
std::string advisory_vendor_name(const advisory::AdvisoryFacts& facts,
                                 const domain::Participant& vendor) {
    for (const auto& product : facts.affected)
        if (core::iequals_ascii(product.vendor, vendor.organisation)) return product.vendor;
    for (const auto& statement : facts.vendor_statements)
        if (core::iequals_ascii(statement.vendor, vendor.organisation)) return statement.vendor;
    return {};
}

const char* status_word(report::AdvisoryStatus status) {
    switch (status) {
        case report::AdvisoryStatus::affected:
            return "affected";
        case report::AdvisoryStatus::not_affected:
            return "not_affected";
        case report::AdvisoryStatus::fixed:
            return "fixed";
        case report::AdvisoryStatus::under_investigation:
            return "under_investigation";
    }
    return "under_investigation";
}

}  // namespace

Result<std::string> CaseEngine::send_reviews(const domain::Case& the_case,
                                             const std::string& vendor, const Cause& cause,
                                             core::Timestamp now) {
    std::optional<std::int64_t> only;
    if (!vendor.empty()) {
        auto found = resolve_vendor(the_case, vendor, false, now);
        if (!found) return found.error();
        if (!*found)
            return core::make_error(core::ErrorKind::invalid_input,
                                    "no vendor '" + vendor + "' on this case");
        only = **found;
    }
    auto facts = load_advisory(store_, the_case, config_.advisory, "");
    if (!facts) return facts.error();
    auto people = store_.participants(the_case.row_id);
    if (!people) return people.error();
    auto messages = store_.case_messages(the_case.row_id);
    if (!messages) return messages.error();
    const std::string id = facts->advisory_id.empty() ? the_case.id.str() : facts->advisory_id;
    std::vector<std::string> done, skipped;
    for (const auto& p : *people) {
        if (p.role != Role::vendor || (only && p.row_id != *only)) continue;
        const auto name = advisory_vendor_name(*facts, p);
        if (name.empty()) {
            skipped.push_back("vendor #" + std::to_string(p.row_id) + " (" + p.organisation +
                              ") is named in no affected product or statement");
            continue;
        }
        const auto lang = choose_language(p, *messages, config_.bot.language).language == "en"
                              ? advisory::Lang::en
                              : advisory::Lang::ja;
        // The section alone: the coordinator's command is the approval to send it.
        const auto section =
            advisory::render_vendor_section(advisory::vendor_section(*facts, name), lang);
        const workflow::SendTemplate send{"advisory_review",
                                          Role::vendor,
                                          p.row_id,
                                          {{"advisory_id", id}, {"advisory_section", section}}};
        auto sent = send_or_hold(the_case, p, send, ReplyContext{}, now);
        if (!sent) return sent.error();
        if (auto s = store_.audit(
                {0, the_case.row_id, now, cause.actor, "advisory_review",
                 "section of " + name + " to vendor #" + std::to_string(p.row_id) + ": " + *sent,
                 cause.message_row_id});
            !s)
            return s.error();
        done.push_back(name + ": " + *sent);
    }
    if (done.empty())
        return core::make_error(
            core::ErrorKind::conflict,
            "no vendor section to send" + (skipped.empty() ? std::string(" (no vendor on the case)")
                                                           : ": " + skipped.front()));
    std::string out = "advisory review: ";
    for (const auto& d : done) out += (out.size() > 17 ? "; " : "") + d;
    for (const auto& s : skipped) out += "; not sent: " + s;
    return out;
}

Status CaseEngine::record_advisory_correction(const domain::Case& the_case,
                                              const domain::Participant& vendor,
                                              std::string_view text, const Cause& cause,
                                              core::Timestamp now) {
    const auto correction = report::parse_advisory_correction(text);
    if (!correction) return {};
    auto facts = load_advisory(store_, the_case, config_.advisory, "");
    if (!facts) return facts.error();
    std::string name = advisory_vendor_name(*facts, vendor);
    if (name.empty()) name = vendor.organisation.empty() ? vendor.address : vendor.organisation;
    const auto& c = *correction;
    std::string summary;
    const auto add = [&](const char* label, const std::string& value) {
        if (!value.empty())
            summary += std::string(label) + ": " + core::sanitize_utf8(value) + "\n";
    };
    add("statement (en)", c.statement_en);
    add("statement (ja)", c.statement_ja);
    if (c.status) add("status", status_word(*c.status));
    if (c.status_unclear) add("status", "(unreadable; not taken)");
    add("versions for the advisory", c.affected_versions);
    add("other corrections", c.other);

    // A statement or status goes straight into the vendor's statement: it is theirs to give.
    if (!c.statement_ja.empty() || !c.statement_en.empty() || c.status) {
        std::string status = c.status ? status_word(*c.status) : "under_investigation";
        if (!c.status)
            for (const auto& s : facts->vendor_statements)
                if (s.vendor == name) status = advisory::to_string(s.status);
        store::VendorStatementRecord record{name,
                                            status,
                                            core::sanitize_utf8(c.statement_ja),
                                            core::sanitize_utf8(c.statement_en),
                                            core::to_unix(now),
                                            vendor.row_id};
        if (auto s = store_.set_vendor_statement(the_case.row_id, record); !s) return s;
    }
    // Versions and other corrections need a coordinator's command: kept and shown to them.
    for (const auto& [label, value] :
         {std::pair{"versions", &c.affected_versions}, {"other", &c.other}})
        if (!value->empty())
            if (auto s = store_.add_advisory_item(
                    the_case.row_id,
                    {"correction", name + " | " + label + " | " + core::sanitize_utf8(*value)},
                    now);
                !s)
                return s.error();
    if (auto s = store_.audit({0, the_case.row_id, now, cause.actor, "advisory_correction",
                               name + "\n" + summary, cause.message_row_id});
        !s)
        return s;
    return notify_coordinators(
        the_case,
        "Vendor " + name + " sent corrections to its section of the draft advisory:\n" + summary +
            "A statement or status is recorded; versions and other corrections wait for your "
            "command (e.g. affected ...). `advisory show` lists them.",
        cause, now);
}

}  // namespace cvd::app
