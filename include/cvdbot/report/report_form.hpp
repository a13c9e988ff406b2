#pragma once
// Reading the report forms discoverers send: the IPA-style software-product and
// web-application forms, in Japanese (`【項目】` on its own line, `項目：値`) and English
// (`Field: value`). Pure: no I/O, never throws, bounded against hostile input.

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cvd::report {

enum class Field {
    discoverer_name,
    organisation,
    contact,      // email and/or phone, as written
    credit_wish,  // whether the discoverer wants to be credited (see ReportForm::wants_credit)
    credit_name,  // the name to credit, if different from discoverer_name
    contact_to_vendor_ok,  // whether contact details may go to the developer
    product_name,
    product_version,
    developer,  // the product's developer (vendor); on the web form, the site operator
    site_url,
    vulnerability_type,  // e.g. "XSS (CWE-79)"; the CWE id is also in ReportForm::cwe
    reproduction_steps,
    impact,
    proof_of_concept,
    others_informed,  // other parties already told
};
inline constexpr std::size_t kFieldCount = 15;

enum class ReportKind { unknown, product, web };

std::string_view to_string(Field field);  // "product_name"
std::string_view to_string(ReportKind kind);

// The labels a reply uses when it lists a field, e.g. {"Product name", "製品名"}.
struct FieldLabel {
    std::string_view en;
    std::string_view ja;
};
FieldLabel field_label(Field field);

// What parse_report looks at, at most. Input beyond these is ignored with a warning.
struct ReportLimits {
    std::size_t max_input_bytes = 256 * 1024;
    std::size_t max_line_bytes = 4 * 1024;    // a longer line is cut
    std::size_t max_value_bytes = 32 * 1024;  // per field
    std::size_t max_warnings = 32;
};

struct ReportForm {
    ReportKind kind = ReportKind::unknown;
    // No recognised field at all: accepted as it is and flagged for triage; `missing` is empty.
    bool free_form = false;
    // Field values, trimmed, lines joined with '\n'; empty when not given.
    std::array<std::string, kFieldCount> values;
    std::optional<bool> wants_credit;  // from credit_wish; nullopt: not said or unclear
    std::optional<bool> contact_to_vendor_allowed;  // from contact_to_vendor_ok, likewise
    std::string cwe;                    // "CWE-79" when the vulnerability type names one
    std::string contact_email;          // the first plausible address in `contact`, if any
    std::vector<Field> missing;         // required for `kind` (see required_fields) but empty
    std::vector<std::string> warnings;  // cut input, repeated fields, unclear yes/no answers

    const std::string& value(Field field) const { return values[static_cast<std::size_t>(field)]; }
    bool has(Field field) const { return !value(field).empty(); }
};

// The fields a report of `kind` must fill for the case to proceed:
//   product: product_name, developer, vulnerability_type, reproduction_steps
//   web:     site_url, vulnerability_type, reproduction_steps
//   unknown: product_name, site_url, vulnerability_type, reproduction_steps (one of the first
//            two says what is affected, and then the kind is known)
// Who reported and how to reach them come from the mail itself, so they are never required.
std::vector<Field> required_fields(ReportKind kind);

// The required fields of `kind` that `form` leaves empty; for a coordinator's track override.
std::vector<Field> missing_fields(const ReportForm& form, ReportKind kind);

// product if a product name is given, or a developer without a site URL; web if a site URL is
// given without a product name; unknown otherwise.
ReportKind classify(const ReportForm& form);

ReportForm parse_report(std::string_view text, const ReportLimits& limits = {});

}  // namespace cvd::report
