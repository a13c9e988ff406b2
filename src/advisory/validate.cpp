#include <cstdlib>
#include <regex>
#include <set>

#include "cvdbot/advisory/cvss.hpp"
#include "cvdbot/advisory/export.hpp"

namespace cvd::advisory {
namespace {

// The names exactly as the CWE list (v4.x) spells them: CSAF mandatory test 6.1.11 compares
// them character for character. A CWE not here needs its name given with the command.
struct CweName {
    int id;
    const char* name;
};
constexpr CweName kCweNames[] = {
    {15, "External Control of System or Configuration Setting"},
    {20, "Improper Input Validation"},
    {22, "Improper Limitation of a Pathname to a Restricted Directory ('Path Traversal')"},
    {59, "Improper Link Resolution Before File Access ('Link Following')"},
    {74,
     "Improper Neutralization of Special Elements in Output Used by a Downstream Component "
     "('Injection')"},
    {77, "Improper Neutralization of Special Elements used in a Command ('Command Injection')"},
    {78,
     "Improper Neutralization of Special Elements used in an OS Command ('OS Command Injection')"},
    {79, "Improper Neutralization of Input During Web Page Generation ('Cross-site Scripting')"},
    {89, "Improper Neutralization of Special Elements used in an SQL Command ('SQL Injection')"},
    {94, "Improper Control of Generation of Code ('Code Injection')"},
    {120, "Buffer Copy without Checking Size of Input ('Classic Buffer Overflow')"},
    {121, "Stack-based Buffer Overflow"},
    {122, "Heap-based Buffer Overflow"},
    {125, "Out-of-bounds Read"},
    {190, "Integer Overflow or Wraparound"},
    {200, "Exposure of Sensitive Information to an Unauthorized Actor"},
    {203, "Observable Discrepancy"},
    {209, "Generation of Error Message Containing Sensitive Information"},
    {269, "Improper Privilege Management"},
    {284, "Improper Access Control"},
    {285, "Improper Authorization"},
    {287, "Improper Authentication"},
    {288, "Authentication Bypass Using an Alternate Path or Channel"},
    {290, "Authentication Bypass by Spoofing"},
    {295, "Improper Certificate Validation"},
    {306, "Missing Authentication for Critical Function"},
    {311, "Missing Encryption of Sensitive Data"},
    {319, "Cleartext Transmission of Sensitive Information"},
    {327, "Use of a Broken or Risky Cryptographic Algorithm"},
    {330, "Use of Insufficiently Random Values"},
    {347, "Improper Verification of Cryptographic Signature"},
    {352, "Cross-Site Request Forgery (CSRF)"},
    {362,
     "Concurrent Execution using Shared Resource with Improper Synchronization ('Race Condition')"},
    {384, "Session Fixation"},
    {400, "Uncontrolled Resource Consumption"},
    {416, "Use After Free"},
    {426, "Untrusted Search Path"},
    {427, "Uncontrolled Search Path Element"},
    {428, "Unquoted Search Path or Element"},
    {434, "Unrestricted Upload of File with Dangerous Type"},
    {476, "NULL Pointer Dereference"},
    {502, "Deserialization of Untrusted Data"},
    {522, "Insufficiently Protected Credentials"},
    {532, "Insertion of Sensitive Information into Log File"},
    {565, "Reliance on Cookies without Validation and Integrity Checking"},
    {601, "URL Redirection to Untrusted Site ('Open Redirect')"},
    {611, "Improper Restriction of XML External Entity Reference"},
    {613, "Insufficient Session Expiration"},
    {639, "Authorization Bypass Through User-Controlled Key"},
    {732, "Incorrect Permission Assignment for Critical Resource"},
    {770, "Allocation of Resources Without Limits or Throttling"},
    {787, "Out-of-bounds Write"},
    {798, "Use of Hard-coded Credentials"},
    {862, "Missing Authorization"},
    {863, "Incorrect Authorization"},
    {918, "Server-Side Request Forgery (SSRF)"},
    {942, "Permissive Cross-domain Policy with Untrusted Domains"},
    {1021, "Improper Restriction of Rendered UI Layers or Frames"},
    {1236, "Improper Neutralization of Formula Elements in a CSV File"},
    {1321,
     "Improperly Controlled Modification of Object Prototype Attributes ('Prototype Pollution')"},
    {1390, "Weak Authentication"},
    {1392, "Use of Default Credentials"},
};

bool is_date(const std::string& text) {
    static const std::regex kDate("^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$");
    return std::regex_match(text, kDate);
}

bool is_url(const std::string& text) {
    static const std::regex kUrl("^https?://[^\\s/?#]+[^\\s]*$");
    return std::regex_match(text, kUrl);
}

struct Checker {
    std::vector<Problem> problems;
    void need(bool ok, const std::string& fact, const std::string& message) {
        if (!ok) problems.push_back({fact, message});
    }
    void text(const LocalText& value, Lang lang, const std::string& fact) {
        need(!value.in(lang).empty(), fact + "." + to_string(lang), "not set");
    }
};

// What may differ per CVE: description, CWE, CVSS. `scope` names the CVE ("" for the case).
void check_weakness(Checker& check, const AdvisoryFacts& facts, Output output, Lang lang,
                    const std::string& scope) {
    if (!facts.cvss31.empty()) {
        auto parsed = parse_cvss31(facts.cvss31);
        check.need(parsed.ok(), scope + "cvss", parsed.ok() ? "" : parsed.error().message);
    }
    if (!facts.cvss40.empty()) {
        auto checked = check_cvss40(facts.cvss40);
        check.need(checked.ok(), scope + "cvss4", checked.ok() ? "" : checked.error().message);
    }
    if (!facts.cwe.empty())
        check.need(std::regex_match(facts.cwe, std::regex("^CWE-[1-9][0-9]*$")), scope + "cwe",
                   "'" + facts.cwe + "' is not of the form CWE-79");
    if (output == Output::csaf) {
        check.text(facts.description, lang, scope + "description");
        if (!facts.cwe.empty())
            check.need(!facts.cwe_name.empty() || !known_cwe_name(facts.cwe).empty(), scope + "cwe",
                       facts.cwe +
                           " is not on the built-in list; give its official name: "
                           "cwe " +
                           facts.cwe + " NAME");
    }
    if (output == Output::cve) check.text(facts.description, Lang::en, scope + "description");
}

void check_common(Checker& check, const AdvisoryFacts& facts) {
    check.need(std::regex_match(facts.advisory_id, std::regex(facts.publisher.id_pattern)),
               "advisory-id",
               facts.advisory_id.empty()
                   ? "not set"
                   : "'" + facts.advisory_id + "' does not match " + facts.publisher.id_pattern);
    check.need(!facts.affected.empty(), "affected", "no affected product");
    for (const auto& product : facts.affected) {
        check.need(!product.vendor.empty() && !product.product.empty(), "affected",
                   "every affected product needs a vendor and a product name");
        check.need(!product.versions.to.empty(), "affected",
                   product.product + " has no version range");
    }
    static const std::regex kCve("^CVE-[0-9]{4}-[0-9]{4,19}$");
    std::set<std::string> seen;
    for (const auto& cve : facts.cve_ids) {
        check.need(std::regex_match(cve, kCve), "cve", "'" + cve + "' is not a CVE id");
        check.need(seen.insert(cve).second, "cve", cve + " is given twice");
    }
    for (const auto& reference : facts.references)
        check.need(is_url(reference.url), "reference", "'" + reference.url + "' is not a URL");
    check.need(is_date(facts.published), "published",
               facts.published.empty() ? "not set" : "'" + facts.published + "' is not YYYY-MM-DD");
    for (const auto& revision : facts.revisions)
        check.need(is_date(revision.date), "revision", "'" + revision.date + "' is not YYYY-MM-DD");
}

}  // namespace

std::string known_cwe_name(const std::string& cwe) {
    if (cwe.rfind("CWE-", 0) != 0) return {};
    int id = std::atoi(cwe.c_str() + 4);
    for (const auto& entry : kCweNames)
        if (entry.id == id) return entry.name;
    return {};
}

std::vector<Problem> validate(const AdvisoryFacts& facts, Output output, Lang lang) {
    Checker check;
    check_common(check, facts);
    // With facts of their own per CVE, each CVE is checked as it will be written.
    if (facts.per_cve.empty() || facts.cve_ids.empty())
        check_weakness(check, facts, output, lang, "");
    else
        for (const auto& cve : facts.cve_ids)
            check_weakness(check, facts_for_cve(facts, cve), output, lang, cve + " ");
    switch (output) {
        case Output::text:
            check.text(facts.title, lang, "title");
            check.text(facts.overview, lang, "overview");
            check.text(facts.solution, lang, "solution");
            break;
        case Output::csaf:
            check.text(facts.title, lang, "title");
            check.text(facts.overview, lang, "overview");
            break;
        case Output::cve:
            check.need(!facts.cve_ids.empty(), "cve", "no CVE id assigned");
            check.need(!facts.publisher.cna_org_id.empty(), "cna-org-id",
                       "the CNA's organisation UUID is not configured");
            check.need(!facts.references.empty() || !facts.advisory_id.empty(), "reference",
                       "a CVE record needs at least one reference");
            break;
    }
    return check.problems;
}

std::vector<Problem> validate(const AdvisoryFacts& facts) {
    std::vector<Problem> all;
    std::set<std::pair<std::string, std::string>> seen;
    for (auto output : {Output::text, Output::csaf, Output::cve})
        for (auto lang : {Lang::ja, Lang::en})
            for (auto& problem : validate(facts, output, lang))
                if (seen.emplace(problem.fact, problem.message).second) all.push_back(problem);
    return all;
}

std::string describe(const std::vector<Problem>& problems) {
    std::string out;
    for (const auto& problem : problems) {
        if (!out.empty()) out += "; ";
        out += problem.fact + ": " + problem.message;
    }
    return out;
}

}  // namespace cvd::advisory
