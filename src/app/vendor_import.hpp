#pragma once
// Reading vendor directory files (CSV or TOML) into records, with every problem located by
// line. Pure: no database, so `cvdbot vendor import` can refuse a whole file before touching
// the directory, and tests need no store.
//
// CSV (RFC 4180; UTF-8, a BOM is tolerated; CRLF or LF; quoted fields may hold commas, quotes
// written twice, and line breaks). The first row names the columns, in any order, ASCII case
// ignored. Multi-valued columns separate their values with ';'.
//   name            required; unique in the file and (without --update) in the directory
//   to              required; one or more addresses the reports go to
//   cc              addresses copied on every message
//   keys            OpenPGP fingerprints (40 hex digits; spaces allowed)
//   languages       e.g. "ja;en" (',' also separates here), in order of preference
//   products        product names used to suggest this vendor for a report
//   keywords        further words that suggest this vendor
//   publishable     yes/no: may the vendor's name be published (empty: no)
//   accepts_direct  yes/no: does it take reports from discoverers directly (empty: no)
//   registration    general (default) or per_product
//   notes           free text
// See contrib/vendors.example.csv and contrib/vendors.example.toml.

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "cvdbot/store/vendor_directory.hpp"

namespace cvd::app {

struct ImportProblem {
    int line = 0;  // 1-based; 0 when the whole file is concerned
    std::string message;
    bool operator==(const ImportProblem&) const = default;
};

struct ImportedVendor {
    int line = 0;  // where its row or [[vendor]] table starts
    store::Vendor vendor;
};

struct VendorFile {
    std::vector<ImportedVendor> vendors;
    std::vector<ImportProblem> problems;  // in line order; the file is unusable unless empty
};

// One CSV record: its fields and the line it starts on.
struct CsvRecord {
    int line = 0;
    std::vector<std::string> fields;
};

struct CsvTable {
    std::vector<CsvRecord> records;
    std::vector<ImportProblem> problems;
};

// RFC 4180 records, blank lines skipped. Malformed quoting is reported and read leniently.
CsvTable parse_csv(std::string_view text);

VendorFile parse_vendor_csv(std::string_view text);
// `source` names the file in toml++'s messages only; problems carry the line.
VendorFile parse_vendor_toml(std::string_view text, const std::string& source);
// By extension: .csv or .toml (any case). An unreadable file or another extension is a
// problem at line 0.
VendorFile read_vendor_file(const std::filesystem::path& path);

// "vendors.csv:7: contact 'foo' is not an email address"
std::string format_problem(const std::string& source, const ImportProblem& problem);

}  // namespace cvd::app
