#pragma once
// The facts of a public advisory, as a coordinator records them on a case: plain data.
// Every output (text, CSAF 2.0, CVE JSON 5.1) is made from these and nothing else, so what
// the draft shows is what the records say.

#include <optional>
#include <string>
#include <vector>

namespace cvd::advisory {

enum class Lang { ja, en };
const char* to_string(Lang lang);

// A text a reader sees in their language; either may be empty until a coordinator sets it.
struct LocalText {
    std::string ja;
    std::string en;
    const std::string& in(Lang lang) const { return lang == Lang::ja ? ja : en; }
    std::string& in(Lang lang) { return lang == Lang::ja ? ja : en; }
};

// A range of versions as written on JVN: "2.3.1" (one version), "<= 2.3.1", "< 2.4.0",
// "2.0 - 2.3.1" (both ends included). Parsed so CSAF and CVE can carry it structurally.
struct VersionRange {
    std::string from;        // first affected version, "" = from the beginning
    std::string to;          // last affected (inclusive) or first fixed (exclusive)
    bool to_inclusive = true;
    bool single() const { return from == to && to_inclusive && !from.empty(); }
};

// "2.0 - 2.3.1" and the other forms above; nullopt when the text is none of them.
std::optional<VersionRange> parse_version_range(const std::string& text);
std::string format_version_range(const VersionRange& range);

struct AffectedProduct {
    std::string vendor;
    std::string product;
    VersionRange versions;
    std::string fixed_in;  // first fixed version, "" when there is none (yet)
};

enum class VendorStatus { affected, not_affected, fixed, under_investigation };
const char* to_string(VendorStatus status);

// A vendor's own statement for the advisory's vendor-status section.
struct VendorStatement {
    std::string vendor;
    VendorStatus status = VendorStatus::under_investigation;
    LocalText statement;
    std::string date;  // YYYY-MM-DD
};

struct Reference {
    std::string url;
    std::string title;
};

// Who found it, shown only when the discoverer agreed (the report form's credit wish).
struct Credit {
    bool consented = false;
    LocalText name;
};

struct Revision {
    std::string date;  // YYYY-MM-DD
    LocalText summary;
};

struct Publisher {
    std::string name = "JPCERT/CC";
    std::string namespace_url = "https://www.jpcert.or.jp/";
    std::string cna_org_id;          // the CNA's UUID at the CVE Program; required for CVE records
    std::string cna_short_name = "jpcert";
    std::string id_pattern = "^JVN(VU)?#[0-9]{8}$";  // the advisory id scheme
    std::string advisory_url_base = "https://jvn.jp/";
};

// What one CVE of a case has of its own when its CVEs differ (two weaknesses in one product):
// each empty field falls back to the case-level fact.
struct CveFacts {
    std::string cve_id;
    LocalText description;
    std::string cwe;
    std::string cwe_name;
    std::string cvss31;
    std::string cvss40;
};

struct AdvisoryFacts {
    std::string advisory_id;  // JVN#12345678
    LocalText title;
    LocalText overview;
    LocalText description;
    LocalText impact;
    LocalText solution;
    LocalText workaround;
    std::vector<std::string> cve_ids;
    std::string cwe;       // CWE-79
    std::string cwe_name;  // empty: taken from the known list
    std::string cvss31;    // CVSS:3.1/AV:N/...
    std::string cvss40;    // CVSS:4.0/AV:N/...
    std::vector<AffectedProduct> affected;
    std::vector<VendorStatement> vendor_statements;
    std::vector<Reference> references;
    Credit credit;
    std::vector<Revision> revisions;  // oldest first; revision 1 is the first publication
    std::string published;            // YYYY-MM-DD (JST)
    Publisher publisher;
    std::vector<CveFacts> per_cve;  // only the CVEs with facts of their own
};

// The facts as they apply to one CVE: its own description, CWE and CVSS over the case-level
// ones; everything else is the case's. Unknown ids get the case-level facts.
AdvisoryFacts facts_for_cve(const AdvisoryFacts& facts, const std::string& cve_id);

}  // namespace cvd::advisory
