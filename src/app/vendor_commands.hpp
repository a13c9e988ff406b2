#pragma once
// `cvdbot vendor add|edit|show|list|import|changes|approve|reject`: the vendor directory from
// the command line. The work is done by the functions below, so tests need no CLI.

#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "cvdbot/store/store.hpp"
#include "cvdbot/store/vendor_directory.hpp"
#include "vendor_import.hpp"

namespace cvd::app {

struct Cli;
void add_vendor_commands(Cli& cli);

// What `vendor add` and `vendor edit` were told. Lists add to what is there; remove_* take away
// (a value that is not there is an error, so a typo does not pass silently).
struct VendorEdit {
    std::optional<std::string> rename;
    std::vector<std::string> add_to, add_cc, remove_contacts;
    std::vector<std::string> add_keys, remove_keys;
    std::optional<std::vector<std::string>> languages;  // replaces the list
    std::vector<std::string> add_products, remove_products;
    std::vector<std::string> add_keywords, remove_keywords;
    std::optional<bool> name_publishable, accepts_direct_reports;
    std::optional<store::Registration> registration;
    std::optional<std::string> notes;
};

// `vendor` with `edit` applied, normalized and checked (invalid_input naming every problem).
core::Result<store::Vendor> apply_vendor_edit(store::Vendor vendor, const VendorEdit& edit);

struct ImportOutcome {
    int added = 0;
    int updated = 0;
    std::vector<ImportProblem> problems;  // non-empty: nothing was imported
};

// Adds the file's vendors in one transaction, or none of them: a name already in the directory
// is a problem at its line unless `update` is set, when that vendor is replaced by the file's.
core::Result<ImportOutcome> import_vendors(store::Store& store, const VendorFile& file, bool update,
                                           core::Timestamp now);

// --- output ---
void print_vendor(const store::Vendor& vendor, std::ostream& out);
void print_vendor_list(const std::vector<store::Vendor>& vendors, std::ostream& out);
// Pending changes with what each would make of the vendor's contacts.
core::Status print_changes(store::VendorDirectory& directory, std::ostream& out);

// One object per vendor, every field; times in ISO 8601. vendor_from_json reads it back.
std::string vendor_to_json(const store::Vendor& vendor);
std::string vendors_to_json(const std::vector<store::Vendor>& vendors);
core::Result<store::Vendor> vendor_from_json(std::string_view text);

}  // namespace cvd::app
