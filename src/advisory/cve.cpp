// CVE JSON 5.1 (CVE Record Format), one record per CVE id: the CNA container only.
#include <algorithm>

#include "cvdbot/advisory/cvss.hpp"
#include "cvdbot/advisory/export.hpp"
#include "records_internal.hpp"

namespace cvd::advisory {
namespace {

using nlohmann::json;

json versions(const AffectedProduct& product, bool not_affected) {
    const char* status = not_affected ? "unaffected" : "affected";
    const auto& range = product.versions;
    if (range.single()) return json::array({{{"version", range.to}, {"status", status}}});
    json entry = {{"version", range.from.empty() ? "0" : range.from},
                  {"status", status},
                  {"versionType", "custom"}};
    entry[range.to_inclusive ? "lessThanOrEqual" : "lessThan"] = range.to;
    return json::array({entry});
}

}  // namespace

core::Result<json> to_cve(const AdvisoryFacts& case_facts, const std::string& cve_id) {
    const AdvisoryFacts facts = facts_for_cve(case_facts, cve_id);
    auto problems = validate(facts, Output::cve, Lang::en);
    if (problems.empty() &&
        std::find(facts.cve_ids.begin(), facts.cve_ids.end(), cve_id) == facts.cve_ids.end())
        problems.push_back({"cve", cve_id + " is not one of this advisory's CVE ids"});
    if (!problems.empty())
        return core::make_error(core::ErrorKind::invalid_input,
                                "the CVE record cannot be made: " + describe(problems));

    json descriptions = json::array({{{"lang", "en"}, {"value", facts.description.en}}});
    if (!facts.description.ja.empty())
        descriptions.push_back({{"lang", "ja"}, {"value", facts.description.ja}});

    json affected = json::array();
    for (const auto& product : facts.affected)
        affected.push_back({{"vendor", product.vendor},
                            {"product", product.product},
                            {"defaultStatus", "unaffected"},
                            {"versions", versions(product, internal::vendor_not_affected(
                                                               facts, product.vendor))}});

    json references = json::array();
    if (!facts.advisory_id.empty())
        references.push_back({{"url", internal::advisory_url(facts, Lang::en)},
                              {"name", facts.advisory_id},
                              {"tags", json::array({"third-party-advisory"})}});
    for (const auto& reference : facts.references) {
        json entry = {{"url", reference.url}};
        if (!reference.title.empty()) entry["name"] = reference.title;
        references.push_back(entry);
    }

    json cna = {
        {"providerMetadata",
         {{"orgId", facts.publisher.cna_org_id}, {"shortName", facts.publisher.cna_short_name}}},
        {"descriptions", descriptions},
        {"affected", affected},
        {"references", references},
        {"datePublic", internal::jst_timestamp(facts.published)}};
    if (!facts.title.en.empty()) cna["title"] = facts.title.en;
    if (!facts.cwe.empty()) {
        auto name = facts.cwe_name.empty() ? known_cwe_name(facts.cwe) : facts.cwe_name;
        cna["problemTypes"] = json::array(
            {{{"descriptions",
               json::array(
                   {{{"lang", "en"},
                     {"type", "CWE"},
                     {"cweId", facts.cwe},
                     {"description", name.empty() ? facts.cwe : facts.cwe + " " + name}}})}}});
    }
    json metrics = json::array();
    const auto metric = [&](const char* key, const char* version, const std::string& vector,
                            double score, const std::string& severity) {
        metrics.push_back({{"format", "CVSS"},
                           {"scenarios", json::array({{{"lang", "en"}, {"value", "GENERAL"}}})},
                           {key,
                            {{"version", version},
                             {"vectorString", vector},
                             {"baseScore", score},
                             {"baseSeverity", severity}}}});
    };
    if (auto v40 = parse_cvss40(facts.cvss40); !facts.cvss40.empty() && v40)
        metric("cvssV4_0", "4.0", v40->vector, v40->score, v40->severity);
    if (auto v31 = parse_cvss31(facts.cvss31); !facts.cvss31.empty() && v31)
        metric("cvssV3_1", "3.1", v31->vector, v31->base_score, v31->severity);
    if (!metrics.empty()) cna["metrics"] = metrics;
    // Credit only as the discoverer wished.
    if (facts.credit.consented) {
        json credits = json::array();
        for (auto lang : {Lang::en, Lang::ja})
            if (!facts.credit.name.in(lang).empty())
                credits.push_back({{"lang", to_string(lang)},
                                   {"value", facts.credit.name.in(lang)},
                                   {"type", "finder"}});
        if (!credits.empty()) cna["credits"] = credits;
    }

    return json{{"dataType", "CVE_RECORD"},
                {"dataVersion", "5.1"},
                {"cveMetadata",
                 {{"cveId", cve_id},
                  {"assignerOrgId", facts.publisher.cna_org_id},
                  {"assignerShortName", facts.publisher.cna_short_name},
                  {"state", "PUBLISHED"},
                  {"datePublished", internal::jst_timestamp(facts.published)}}},
                {"containers", {{"cna", cna}}}};
}

}  // namespace cvd::advisory
