// CSAF 2.0, profile csaf_security_advisory: what the BSI validator's schema and mandatory tests
// (6.1.x) ask for, from the advisory facts alone.
#include <cstdio>
#include <map>

#include "cvdbot/advisory/cvss.hpp"
#include "cvdbot/advisory/export.hpp"
#include "records_internal.hpp"

namespace cvd::advisory {
namespace internal {

std::string advisory_url(const AdvisoryFacts& facts, Lang lang) {
    std::string id;
    for (char c : facts.advisory_id)
        if (c != '#') id += c;
    bool vu = facts.advisory_id.rfind("JVNVU", 0) == 0;
    return facts.publisher.advisory_url_base + (lang == Lang::en ? "en/" : "") +
           (vu ? "vu/" : "jp/") + id + "/";
}

bool vendor_not_affected(const AdvisoryFacts& facts, const std::string& vendor) {
    for (const auto& statement : facts.vendor_statements)
        if (statement.vendor == vendor) return statement.status == VendorStatus::not_affected;
    return false;
}

}  // namespace internal

namespace {

using nlohmann::json;

std::string product_id(int n) {
    char buffer[24];
    std::snprintf(buffer, sizeof buffer, "CSAFPID-%04d", n);
    return buffer;
}

// vers (github.com/package-url/purl-spec VERSION-RANGE-SPEC): constraints in order, no spaces.
std::string vers(const VersionRange& range) {
    std::string out = "vers:generic/";
    if (!range.from.empty()) out += ">=" + range.from + "|";
    return out + (range.to_inclusive ? "<=" : "<") + range.to;
}

struct ProductTree {
    json vendors = json::array();
    std::vector<std::string> affected, fixed, not_affected;
    int next = 1;

    json& branch(json& list, const std::string& category, const std::string& name) {
        for (auto& item : list)
            if (item["category"] == category && item["name"] == name) return item;
        list.push_back({{"category", category}, {"name", name}, {"branches", json::array()}});
        return list.back();
    }

    std::string leaf(json& list, const std::string& category, const std::string& name,
                     const std::string& full_name) {
        for (auto& item : list)
            if (item["category"] == category && item["name"] == name)
                return item["product"]["product_id"];
        auto id = product_id(next++);
        list.push_back({{"category", category},
                        {"name", name},
                        {"product", {{"name", full_name}, {"product_id", id}}}});
        return id;
    }
};

ProductTree build_tree(const AdvisoryFacts& facts) {
    ProductTree tree;
    for (const auto& product : facts.affected) {
        auto& vendor = tree.branch(tree.vendors, "vendor", product.vendor);
        auto& name = tree.branch(vendor["branches"], "product_name", product.product);
        auto base = product.vendor + " " + product.product + " ";
        bool single = product.versions.single();
        auto id = tree.leaf(name["branches"], single ? "product_version" : "product_version_range",
                            single ? product.versions.to : vers(product.versions),
                            base + format_version_range(product.versions));
        (internal::vendor_not_affected(facts, product.vendor) ? tree.not_affected : tree.affected)
            .push_back(id);
        if (!product.fixed_in.empty())
            tree.fixed.push_back(tree.leaf(name["branches"], "product_version", product.fixed_in,
                                           base + product.fixed_in));
    }
    return tree;
}

json revision_history(const AdvisoryFacts& facts, Lang lang) {
    json history = json::array();
    int number = 1;
    for (const auto& revision : facts.revisions)
        history.push_back({{"number", std::to_string(number++)},
                           {"date", internal::jst_timestamp(revision.date)},
                           {"summary", revision.summary.in(lang).empty()
                                           ? std::string(lang == Lang::ja ? "公開" : "Published")
                                           : revision.summary.in(lang)}});
    if (history.empty())
        history.push_back({{"number", "1"},
                           {"date", internal::jst_timestamp(facts.published)},
                           {"summary", lang == Lang::ja ? "公開" : "Initial release"}});
    return history;
}

// What may differ per CVE: the description (first note), the CVSS v4.0 note, CWE and scores.
void add_weakness(json& vulnerability, const AdvisoryFacts& facts,
                  const std::vector<std::string>& affected, Lang lang) {
    const bool ja = lang == Lang::ja;
    vulnerability["notes"].insert(vulnerability["notes"].begin(),
                                  json{{"category", "description"},
                                       {"title", ja ? "詳細情報" : "Description"},
                                       {"text", facts.description.in(lang)}});
    // CSAF 2.0's scores know CVSS v2 and v3 only (its strict schema refuses cvss_v4), so the
    // v4.0 vector and score travel as a note.
    if (!facts.cvss40.empty()) {
        auto cvss = parse_cvss40(facts.cvss40);
        vulnerability["notes"].push_back({{"category", "other"},
                                          {"title", "CVSS v4.0"},
                                          {"text", cvss->vector + " (" + format_score(cvss->score) +
                                                       " " + cvss->severity + ")"}});
    }
    if (!facts.cwe.empty())
        vulnerability["cwe"] = {
            {"id", facts.cwe},
            {"name", facts.cwe_name.empty() ? known_cwe_name(facts.cwe) : facts.cwe_name}};
    if (!facts.cvss31.empty() && !affected.empty()) {
        auto cvss = parse_cvss31(facts.cvss31);
        vulnerability["scores"] = json::array({{{"cvss_v3",
                                                 {{"version", "3.1"},
                                                  {"vectorString", cvss->vector},
                                                  {"baseScore", cvss->base_score},
                                                  {"baseSeverity", cvss->severity}}},
                                                {"products", affected}}});
    }
}

}  // namespace

core::Result<json> to_csaf(const AdvisoryFacts& facts, Lang lang, const std::string& generated,
                           const std::string& version) {
    if (auto problems = validate(facts, Output::csaf, lang); !problems.empty())
        return core::make_error(core::ErrorKind::invalid_input,
                                "the CSAF document cannot be made: " + describe(problems));
    bool ja = lang == Lang::ja;
    auto history = revision_history(facts, lang);
    json references = json::array();
    references.push_back({{"category", "self"},
                          {"summary", facts.advisory_id},
                          {"url", internal::advisory_url(facts, lang)}});
    for (const auto& reference : facts.references)
        references.push_back(
            {{"category", "external"},
             {"summary", reference.title.empty() ? reference.url : reference.title},
             {"url", reference.url}});

    json document = {
        {"category", "csaf_security_advisory"},
        {"csaf_version", "2.0"},
        {"lang", to_string(lang)},
        {"publisher",
         {{"category", "coordinator"},
          {"name", facts.publisher.name},
          {"namespace", facts.publisher.namespace_url}}},
        {"title", facts.title.in(lang)},
        {"notes", json::array({{{"category", "summary"},
                                {"title", ja ? "概要" : "Overview"},
                                {"text", facts.overview.in(lang)}}})},
        {"references", references},
        {"tracking",
         {{"id", facts.advisory_id},
          {"status", "final"},
          {"version", history.back()["number"]},
          {"revision_history", history},
          {"initial_release_date", internal::jst_timestamp(facts.published)},
          {"current_release_date", history.back()["date"]},
          {"generator",
           {{"engine", {{"name", "cvdbot"}, {"version", version}}}, {"date", generated}}}}},
    };

    auto tree = build_tree(facts);
    json status = json::object();
    if (!tree.affected.empty()) status["known_affected"] = tree.affected;
    if (!tree.fixed.empty()) status["fixed"] = tree.fixed;
    if (!tree.not_affected.empty()) status["known_not_affected"] = tree.not_affected;

    json vulnerability = {{"notes", json::array()}, {"product_status", status}};
    if (!facts.impact.in(lang).empty())
        vulnerability["notes"].push_back({{"category", "general"},
                                          {"title", ja ? "想定される影響" : "Impact"},
                                          {"text", facts.impact.in(lang)}});
    for (const auto& statement : facts.vendor_statements)
        if (!statement.statement.in(lang).empty())
            vulnerability["notes"].push_back(
                {{"category", "other"},
                 {"title", (ja ? "ベンダ情報: " : "Vendor statement: ") + statement.vendor},
                 {"text", statement.statement.in(lang)}});
    json remediations = json::array();
    if (!tree.affected.empty()) {
        if (!facts.solution.in(lang).empty())
            remediations.push_back({{"category", "vendor_fix"},
                                    {"details", facts.solution.in(lang)},
                                    {"product_ids", tree.affected}});
        if (!facts.workaround.in(lang).empty())
            remediations.push_back({{"category", "workaround"},
                                    {"details", facts.workaround.in(lang)},
                                    {"product_ids", tree.affected}});
    }
    if (!remediations.empty()) vulnerability["remediations"] = remediations;
    // Credit only as the discoverer wished.
    if (facts.credit.consented && !facts.credit.name.in(lang).empty())
        vulnerability["acknowledgments"] =
            json::array({{{"names", json::array({facts.credit.name.in(lang)})}}});

    // One entry per CVE (mandatory test 6.1.23 forbids a CVE twice), each with its own
    // description, CWE and scores where the coordinators gave them.
    json vulnerabilities = json::array();
    for (const auto& cve : facts.cve_ids) {
        vulnerabilities.push_back(vulnerability);
        add_weakness(vulnerabilities.back(), facts_for_cve(facts, cve), tree.affected, lang);
        vulnerabilities.back()["cve"] = cve;
    }
    if (vulnerabilities.empty()) {
        vulnerabilities.push_back(vulnerability);
        add_weakness(vulnerabilities.back(), facts, tree.affected, lang);
    }
    return json{{"document", document},
                {"product_tree", {{"branches", tree.vendors}}},
                {"vulnerabilities", vulnerabilities}};
}

}  // namespace cvd::advisory
