#include "advisory_facts.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <regex>

#include "cvdbot/advisory/cvss.hpp"
#include "cvdbot/advisory/export.hpp"
#include "cvdbot/core/text.hpp"

namespace cvd::app {

using core::ErrorKind;
using core::make_error;

namespace {

// The calendar day in Japan, as advisories are dated.
std::string jst_day(core::Timestamp t) {
    const std::chrono::year_month_day ymd{
        std::chrono::floor<std::chrono::days>(t + std::chrono::hours{9})};
    char date[16];
    std::snprintf(date, sizeof date, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
    return date;
}

core::Error bad(const std::string& message) {
    return make_error(ErrorKind::invalid_input, message);
}

std::vector<std::string> split_bars(const std::string& text) {
    std::vector<std::string> parts;
    std::size_t pos = 0;
    for (;;) {
        const auto bar = text.find(" | ", pos);
        parts.emplace_back(
            core::trim(text.substr(pos, bar == std::string::npos ? std::string::npos : bar - pos)));
        if (bar == std::string::npos) return parts;
        pos = bar + 3;
    }
}

std::string upper(std::string text) {
    for (auto& c : text)
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    return text;
}

bool is_date(const std::string& text) {
    static const std::regex kDate("^[0-9]{4}-[0-9]{2}-[0-9]{2}$");
    if (!std::regex_match(text, kDate)) return false;
    const std::chrono::year_month_day ymd{
        std::chrono::year{std::stoi(text.substr(0, 4))},
        std::chrono::month{static_cast<unsigned>(std::stoi(text.substr(5, 2)))},
        std::chrono::day{static_cast<unsigned>(std::stoi(text.substr(8, 2)))}};
    return ymd.ok();
}

std::optional<advisory::VendorStatus> status_word(const std::string& word) {
    const auto w = core::to_lower_ascii(word);
    if (w == "affected" || w == "vulnerable") return advisory::VendorStatus::affected;
    if (w == "not-affected" || w == "not_affected") return advisory::VendorStatus::not_affected;
    if (w == "fixed") return advisory::VendorStatus::fixed;
    if (w == "under-investigation" || w == "under_investigation")
        return advisory::VendorStatus::under_investigation;
    return std::nullopt;
}

// "VENDOR | PRODUCT | VERSIONS [| FIXED]" in its one normal spelling, so remove finds it.
core::Result<std::string> normal_affected(const std::string& value) {
    auto parts = split_bars(value);
    if (parts.size() < 3 || parts.size() > 4 || parts[0].empty() || parts[1].empty())
        return bad("affected needs VENDOR | PRODUCT | VERSIONS [| FIXED-VERSION], got \"" + value +
                   "\"");
    auto range = advisory::parse_version_range(parts[2]);
    if (!range)
        return bad("affected: \"" + parts[2] +
                   "\" is no version range (write 2.3.1, <= 2.3.1, < 2.4 or 2.0 - 2.3.1)");
    std::string out = parts[0] + " | " + parts[1] + " | " + advisory::format_version_range(*range);
    if (parts.size() == 4 && !parts[3].empty()) {
        if (!advisory::parse_version_range(parts[3]) ||
            !advisory::parse_version_range(parts[3])->single())
            return bad("affected: the fixed version \"" + parts[3] + "\" must be one version");
        out += " | " + parts[3];
    }
    return out;
}

core::Result<std::string> list_item(store::Store& store, std::int64_t case_row_id,
                                    const std::string& kind, const std::string& value, bool remove,
                                    core::Timestamp now) {
    auto changed = remove ? store.remove_advisory_item(case_row_id, {kind, value})
                          : store.add_advisory_item(case_row_id, {kind, value}, now);
    if (!changed) return changed.error();
    if (remove)
        return *changed ? kind + " removed: " + value : kind + " was not on the list: " + value;
    return *changed ? kind + " added: " + value : kind + " already listed: " + value;
}

}  // namespace

core::Result<std::string> record_advisory_fact(store::Store& store, std::int64_t case_row_id,
                                               const workflow::AdvisoryFactCommand& fact,
                                               const AdvisoryConfig& config, core::Timestamp now) {
    // A fact of one CVE is kept as "NAME@CVE-…" beside the case-level "NAME".
    std::string scope;
    if (!fact.cve.empty()) {
        scope = upper(fact.cve);
        auto listed = store.advisory(case_row_id);
        if (!listed) return listed.error();
        bool found = false;
        for (const auto& item : listed->items)
            found = found || (item.kind == "cve" && item.value == scope);
        if (!found)
            return bad(scope + " is not one of this case's CVEs: add it first with: cve " + scope);
    }
    const auto scoped = [&](const std::string& name) {
        return scope.empty() ? name : name + "@" + scope;
    };
    const auto set = [&](const std::string& name, const std::string& lang,
                         const std::string& value) -> core::Result<std::string> {
        if (auto s = store.set_advisory_fact(case_row_id, {scoped(name), lang, value}, now); !s)
            return s.error();
        return (scope.empty() ? "" : scope + " ") + name + (lang.empty() ? "" : " (" + lang + ")") +
               " set";
    };
    const auto& v = fact.value;
    if (fact.name == "advisory_id") {
        if (!std::regex_match(v, std::regex(config.id_pattern)))
            return bad("advisory-id \"" + v + "\" does not match the scheme " + config.id_pattern);
        return set("advisory_id", "", v);
    }
    if (fact.name == "cve") {
        static const std::regex kCve("^CVE-[0-9]{4}-[0-9]{4,19}$");
        if (!std::regex_match(upper(v), kCve))
            return bad("\"" + v + "\" is not a CVE id (CVE-2027-12345)");
        return list_item(store, case_row_id, "cve", upper(v), fact.remove, now);
    }
    if (fact.name == "cvss31") {
        auto cvss = advisory::parse_cvss31(v);
        if (!cvss) return cvss.error();
        auto done = set("cvss31", "", cvss->vector);
        if (!done) return done;
        return (scope.empty() ? "" : scope + " ") + "cvss 3.1 set: " + cvss->vector +
               " (base score " + advisory::format_score(cvss->base_score) + " " + cvss->severity +
               ")";
    }
    if (fact.name == "cvss40") {
        auto cvss = advisory::parse_cvss40(v);
        if (!cvss) return cvss.error();
        auto done = set("cvss40", "", cvss->vector);
        if (!done) return done;
        return (scope.empty() ? "" : scope + " ") + "cvss 4.0 set: " + cvss->vector + " (score " +
               advisory::format_score(cvss->score) + " " + cvss->severity + ")";
    }
    if (fact.name == "cwe") {
        const auto space = v.find(' ');
        const std::string id = upper(v.substr(0, space));
        const std::string name =
            space == std::string::npos ? "" : std::string(core::trim(v.substr(space + 1)));
        if (!std::regex_match(id, std::regex("^CWE-[1-9][0-9]{0,5}$")))
            return bad("\"" + id + "\" is not a CWE id (CWE-79)");
        if (name.empty() && advisory::known_cwe_name(id).empty())
            return bad(id + " is not on the built-in list: give its official name, cwe " + id +
                       " NAME");
        if (auto s = store.set_advisory_fact(case_row_id, {scoped("cwe_name"), "", name}, now); !s)
            return s.error();
        return set("cwe", "", id);
    }
    if (fact.name == "affected") {
        auto normal = normal_affected(v);
        if (!normal) return normal.error();
        return list_item(store, case_row_id, "affected", *normal, fact.remove, now);
    }
    if (fact.name == "reference") {
        static const std::regex kUrl("^https?://[^\\s/?#]+\\S*$");
        const std::string url = v.substr(0, v.find(' '));
        if (!std::regex_match(url, kUrl))
            return bad("reference \"" + url + "\" is not an http(s) URL");
        return list_item(store, case_row_id, "reference", v, fact.remove, now);
    }
    if (fact.name == "published") {
        if (!is_date(v))
            return bad("advisory published needs a date YYYY-MM-DD, got \"" + v + "\"");
        return set("published", "", v);
    }
    if (fact.name == "revision") {
        const std::string date = v.substr(0, v.find(' '));
        auto summaries = split_bars(v.substr(date.size()));
        if (!is_date(date) || summaries.size() != 2 || summaries[0].empty() || summaries[1].empty())
            return bad("advisory revision needs DATE SUMMARY-JA | SUMMARY-EN");
        auto number =
            store.add_advisory_revision(case_row_id, {0, date, summaries[0], summaries[1]});
        if (!number) return number.error();
        return "revision " + std::to_string(*number) + " of " + date + " added";
    }
    if (fact.name == "vendor_statement") {
        auto parts = split_bars(v);
        auto status = parts.size() >= 2 ? status_word(parts[1]) : std::nullopt;
        if (parts.size() > 3 || parts[0].empty() || !status)
            return bad(
                "vendor-statement needs VENDOR | affected|not-affected|fixed|under-investigation "
                "[| ja|en TEXT]");
        store::VendorStatementRecord record{parts[0], advisory::to_string(*status), "",
                                            "",       core::to_unix(now),           std::nullopt};
        if (parts.size() == 3) {
            const std::string lang = core::to_lower_ascii(parts[2].substr(0, 2));
            const std::string text(core::trim(parts[2].substr(2)));
            if ((lang != "ja" && lang != "en") || text.empty() ||
                (parts[2].size() > 2 && parts[2][2] != ' '))
                return bad("vendor-statement: the statement starts with ja or en");
            (lang == "ja" ? record.statement_ja : record.statement_en) = text;
        }
        if (auto s = store.set_vendor_statement(case_row_id, record); !s) return s.error();
        return "statement of " + parts[0] + " recorded (" + record.status + ")";
    }
    // title, overview, description, impact, solution, workaround, credit
    return set(fact.name, fact.lang, v);
}

core::Result<advisory::AdvisoryFacts> load_advisory(store::Store& store,
                                                    const domain::Case& the_case,
                                                    const AdvisoryConfig& config,
                                                    const std::string& credit_name) {
    auto record = store.advisory(the_case.row_id);
    if (!record) return record.error();
    advisory::AdvisoryFacts f;
    f.publisher = {config.publisher_name, config.publisher_namespace, config.cna_org_id,
                   config.cna_short_name, config.id_pattern,          config.advisory_url_base};
    for (const auto& fact : record->facts) {
        auto lang = fact.lang == "ja" ? advisory::Lang::ja : advisory::Lang::en;
        if (const auto at = fact.name.find('@'); at != std::string::npos) {
            const std::string cve = fact.name.substr(at + 1), name = fact.name.substr(0, at);
            auto own = std::find_if(f.per_cve.begin(), f.per_cve.end(),
                                    [&](const auto& c) { return c.cve_id == cve; });
            if (own == f.per_cve.end())
                own =
                    f.per_cve.insert(f.per_cve.end(), advisory::CveFacts{cve, {}, "", "", "", ""});
            if (name == "description" && !fact.lang.empty())
                own->description.in(lang) = fact.value;
            else if (name == "cwe")
                own->cwe = fact.value;
            else if (name == "cwe_name")
                own->cwe_name = fact.value;
            else if (name == "cvss31")
                own->cvss31 = fact.value;
            else if (name == "cvss40")
                own->cvss40 = fact.value;
            else
                return make_error(ErrorKind::io,
                                  "stored advisory fact is unreadable: " + fact.name);
            continue;
        }
        const std::pair<const char*, advisory::LocalText*> texts[] = {
            {"title", &f.title},       {"overview", &f.overview}, {"description", &f.description},
            {"impact", &f.impact},     {"solution", &f.solution}, {"workaround", &f.workaround},
            {"credit", &f.credit.name}};
        bool done = false;
        for (const auto& [name, target] : texts)
            if (fact.name == name && !fact.lang.empty()) target->in(lang) = fact.value, done = true;
        if (done) continue;
        if (fact.name == "advisory_id")
            f.advisory_id = fact.value;
        else if (fact.name == "cwe")
            f.cwe = fact.value;
        else if (fact.name == "cwe_name")
            f.cwe_name = fact.value;
        else if (fact.name == "cvss31")
            f.cvss31 = fact.value;
        else if (fact.name == "cvss40")
            f.cvss40 = fact.value;
        else if (fact.name == "published")
            f.published = fact.value;
    }
    for (const auto& item : record->items) {
        if (item.kind == "cve") {
            f.cve_ids.push_back(item.value);
        } else if (item.kind == "reference") {
            const auto space = item.value.find(' ');
            f.references.push_back(
                {item.value.substr(0, space),
                 space == std::string::npos ? "" : item.value.substr(space + 1)});
        } else if (item.kind == "affected") {
            auto parts = split_bars(item.value);
            auto range = parts.size() >= 3 ? advisory::parse_version_range(parts[2]) : std::nullopt;
            if (!range)
                return make_error(ErrorKind::io,
                                  "stored affected product is unreadable: " + item.value);
            f.affected.push_back({parts[0], parts[1], *range, parts.size() == 4 ? parts[3] : ""});
        }
    }
    for (const auto& s : record->statements) {
        auto status = status_word(s.status);
        if (!status)
            return make_error(ErrorKind::io, "stored vendor status is unreadable: " + s.status);
        f.vendor_statements.push_back({s.vendor,
                                       *status,
                                       {s.statement_ja, s.statement_en},
                                       jst_day(core::from_unix(s.stated_at))});
    }
    for (const auto& r : record->revisions)
        f.revisions.push_back({r.date, {r.summary_ja, r.summary_en}});

    // The agreed publication date is the default publication day (JST).
    if (f.published.empty()) {
        auto facts = store.workflow_facts(the_case.row_id);
        if (!facts) return facts.error();
        if (facts->publication_date) f.published = jst_day(*facts->publication_date);
    }
    // Credit only as the discoverer wished on the report form.
    auto participants = store.participants(the_case.row_id);
    if (!participants) return participants.error();
    for (const auto& p : *participants)
        if (p.role == domain::Role::discoverer && p.consent.credit) f.credit.consented = true;
    if (f.credit.consented) {
        if (f.credit.name.ja.empty()) f.credit.name.ja = credit_name;
        if (f.credit.name.en.empty()) f.credit.name.en = credit_name;
    }
    return f;
}

core::Result<AdvisoryDraft> advisory_draft(store::Store& store, const domain::Case& the_case,
                                           const AdvisoryConfig& config,
                                           const std::string& credit_name) {
    auto facts = load_advisory(store, the_case, config, credit_name);
    if (!facts) return facts.error();
    AdvisoryDraft draft;
    draft.advisory_id = facts->advisory_id.empty() ? the_case.id.str() : facts->advisory_id;
    for (auto lang : {advisory::Lang::ja, advisory::Lang::en}) {
        draft.text += "===== " + std::string(advisory::to_string(lang)) + " =====\n";
        auto text = advisory::render_text(*facts, lang);
        draft.text += (text ? *text : "(not yet: " + text.error().message + ")\n") + "\n";
    }
    const auto problems = advisory::validate(*facts);
    if (problems.empty()) draft.missing = "(none: text, CSAF and CVE records can be exported)";
    for (const auto& p : problems)
        draft.missing += (draft.missing.empty() ? "- " : "\n- ") + p.fact + ": " + p.message;
    return draft;
}

}  // namespace cvd::app
