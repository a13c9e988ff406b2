// The advisory as people read it on JVN: sections in a fixed order, in one language.
#include <cstdio>

#include "cvdbot/advisory/cvss.hpp"
#include "cvdbot/advisory/export.hpp"

namespace cvd::advisory {
namespace {

struct Headings {
    const char* overview;
    const char* affected;
    const char* description;
    const char* impact;
    const char* solution;
    const char* workaround;
    const char* vendor_status;
    const char* references;
    const char* credit;
    const char* history;
    const char* published;
    const char* fixed_in;
};

constexpr Headings kJa = {"概要",       "影響を受けるシステム",
                          "詳細情報",   "想定される影響",
                          "対策方法",   "ワークアラウンド",
                          "ベンダ情報", "参考情報",
                          "謝辞",       "更新履歴",
                          "公表日",     "修正版"};
constexpr Headings kEn = {"Overview", "Products Affected", "Description",   "Impact",
                          "Solution", "Workaround",        "Vendor Status", "References",
                          "Credit",   "Revision History",  "Published",     "fixed in"};

const char* status_text(VendorStatus status, Lang lang) {
    bool ja = lang == Lang::ja;
    switch (status) {
        case VendorStatus::affected:
            return ja ? "該当製品あり" : "Vulnerable";
        case VendorStatus::not_affected:
            return ja ? "該当製品無し" : "Not Vulnerable";
        case VendorStatus::fixed:
            return ja ? "対策済み" : "Fixed";
        case VendorStatus::under_investigation:
            return ja ? "調査中" : "Under investigation";
    }
    return "";
}

void section(std::string& out, const char* heading, const std::string& body) {
    if (body.empty()) return;
    out += "\n" + std::string(heading) + "\n" + body + "\n";
}

// The description with its CWE and CVSS lines.
std::string weakness(const AdvisoryFacts& facts, Lang lang) {
    std::string description = facts.description.in(lang);
    if (!facts.cwe.empty()) {
        auto name = facts.cwe_name.empty() ? known_cwe_name(facts.cwe) : facts.cwe_name;
        description +=
            (description.empty() ? "" : "\n") + facts.cwe + (name.empty() ? "" : " (" + name + ")");
    }
    if (!facts.cvss31.empty()) {
        auto cvss = parse_cvss31(facts.cvss31);
        description += "\nCVSS v3.1: " + cvss->vector + " (" +
                       (lang == Lang::ja ? "基本値 " : "Base Score ") +
                       format_score(cvss->base_score) + ")";
    }
    if (!facts.cvss40.empty()) {
        auto cvss = parse_cvss40(facts.cvss40);
        description += "\nCVSS v4.0: " + cvss->vector + " (" +
                       (lang == Lang::ja ? "スコア " : "Score ") + format_score(cvss->score) + " " +
                       cvss->severity + ")";
    }
    return description;
}

}  // namespace

core::Result<std::string> render_text(const AdvisoryFacts& facts, Lang lang) {
    if (auto problems = validate(facts, Output::text, lang); !problems.empty())
        return core::make_error(core::ErrorKind::invalid_input,
                                "the advisory text cannot be made: " + describe(problems));
    const Headings& h = lang == Lang::ja ? kJa : kEn;
    std::string out = facts.advisory_id + "\n" + facts.title.in(lang) + "\n";
    out += std::string(h.published) + ": " + facts.published + "\n";
    section(out, h.overview, facts.overview.in(lang));

    std::string affected;
    for (const auto& product : facts.affected) {
        affected += "- " + product.vendor + " " + product.product + " " +
                    format_version_range(product.versions);
        if (!product.fixed_in.empty())
            affected += " (" + std::string(h.fixed_in) + " " + product.fixed_in + ")";
        affected += "\n";
    }
    section(out, h.affected, affected);

    std::string description;
    if (facts.per_cve.empty()) {
        description = weakness(facts, lang);
        for (const auto& cve : facts.cve_ids) description += "\n" + cve;
    } else {
        // CVEs with facts of their own: each one with its description, CWE and scores.
        for (const auto& cve : facts.cve_ids)
            description += (description.empty() ? "" : "\n\n") + cve + "\n" +
                           weakness(facts_for_cve(facts, cve), lang);
    }
    section(out, h.description, description);
    section(out, h.impact, facts.impact.in(lang));
    section(out, h.solution, facts.solution.in(lang));
    section(out, h.workaround, facts.workaround.in(lang));

    std::string vendors;
    for (const auto& statement : facts.vendor_statements) {
        vendors += "- " + statement.vendor + ": " + status_text(statement.status, lang);
        if (!statement.date.empty()) vendors += " (" + statement.date + ")";
        vendors += "\n";
        if (!statement.statement.in(lang).empty())
            vendors += "  " + statement.statement.in(lang) + "\n";
    }
    section(out, h.vendor_status, vendors);

    std::string references;
    for (const auto& reference : facts.references)
        references +=
            "- " + (reference.title.empty() ? "" : reference.title + " ") + reference.url + "\n";
    section(out, h.references, references);

    // Credit only as the discoverer wished: no consent, no section at all.
    if (facts.credit.consented && !facts.credit.name.in(lang).empty())
        section(out, h.credit, facts.credit.name.in(lang));

    std::string history;
    for (const auto& revision : facts.revisions)
        history += revision.date + " " + revision.summary.in(lang) + "\n";
    section(out, h.history, history);
    return out;
}

}  // namespace cvd::advisory
