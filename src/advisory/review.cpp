#include "cvdbot/advisory/review.hpp"

#include <cctype>

#include "cvdbot/advisory/cvss.hpp"
#include "cvdbot/advisory/export.hpp"

namespace cvd::advisory {
namespace {

bool same_name(const std::string& a, const std::string& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(a[i])) !=
            std::tolower(static_cast<unsigned char>(b[i])))
            return false;
    return true;
}

void line(std::string& out, const char* label, const std::string& value) {
    if (!value.empty()) out += std::string(label) + ": " + value + "\n";
}

}  // namespace

AdvisoryFacts vendor_section(const AdvisoryFacts& facts, const std::string& vendor) {
    AdvisoryFacts out = facts;
    out.affected.clear();
    for (const auto& product : facts.affected)
        if (same_name(product.vendor, vendor)) out.affected.push_back(product);
    out.vendor_statements.clear();
    for (const auto& statement : facts.vendor_statements)
        if (same_name(statement.vendor, vendor)) out.vendor_statements.push_back(statement);
    out.references.clear();
    out.credit = {};
    return out;
}

std::string render_vendor_section(const AdvisoryFacts& section, Lang lang) {
    const bool ja = lang == Lang::ja;
    std::string out;
    line(out, ja ? "タイトル" : "Title", section.title.in(lang));
    line(out, ja ? "概要" : "Overview", section.overview.in(lang));
    line(out, ja ? "詳細情報" : "Description", section.description.in(lang));
    for (const auto& cve : section.cve_ids) {
        const auto own = facts_for_cve(section, cve);
        std::string facts = cve;
        if (!own.cwe.empty()) facts += " " + own.cwe;
        if (auto v31 = parse_cvss31(own.cvss31); !own.cvss31.empty() && v31)
            facts += " CVSS v3.1 " + format_score(v31->base_score);
        if (auto v40 = parse_cvss40(own.cvss40); !own.cvss40.empty() && v40)
            facts += " CVSS v4.0 " + format_score(v40->score);
        line(out, "CVE", facts);
        if (own.description.in(lang) != section.description.in(lang))
            line(out, ja ? "詳細情報" : "Description", own.description.in(lang));
    }
    line(out, ja ? "想定される影響" : "Impact", section.impact.in(lang));
    line(out, ja ? "対策方法" : "Solution", section.solution.in(lang));
    line(out, ja ? "ワークアラウンド" : "Workaround", section.workaround.in(lang));
    for (const auto& product : section.affected)
        line(out, ja ? "影響を受ける製品" : "Affected product",
             product.product + " " + format_version_range(product.versions) +
                 (product.fixed_in.empty()
                      ? ""
                      : (ja ? " (修正版 " : " (fixed in ") + product.fixed_in + ")"));
    if (section.affected.empty())
        line(out, ja ? "影響を受ける製品" : "Affected product",
             ja ? "(未登録)" : "(none on record)");
    for (const auto& statement : section.vendor_statements) {
        line(out, ja ? "ベンダの状況" : "Vendor status", to_string(statement.status));
        line(out, ja ? "ベンダのコメント" : "Vendor statement", statement.statement.in(lang));
    }
    return out;
}

}  // namespace cvd::advisory
