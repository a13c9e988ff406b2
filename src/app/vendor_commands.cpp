// Editing and importing the vendor directory; the CLI wiring is in vendor_cli.cpp.

#include "vendor_commands.hpp"

#include <algorithm>

#include "cvdbot/core/text.hpp"
#include "cvdbot/domain/types.hpp"

namespace cvd::app {

namespace {

bool same_term(std::string_view a, std::string_view b) {
    return core::iequals_ascii(core::trim(a), core::trim(b));
}

// Adds the items not yet present (ASCII case ignored): adding twice is harmless.
void add_terms(std::vector<std::string>& list, const std::vector<std::string>& items) {
    for (const auto& item : items)
        if (std::none_of(list.begin(), list.end(),
                         [&](const std::string& x) { return same_term(x, item); }))
            list.emplace_back(core::trim(item));
}

void remove_terms(std::vector<std::string>& list, const std::vector<std::string>& items,
                  const std::string& what, std::vector<std::string>& problems) {
    for (const auto& item : items) {
        const auto before = list.size();
        std::erase_if(list, [&](const std::string& x) { return same_term(x, item); });
        if (list.size() == before)
            problems.push_back("there is no " + what + " '" + item + "' to remove");
    }
}

std::string fingerprint_or_text(const std::string& text) {
    auto canonical = store::normalize_fingerprint(text);
    return canonical ? *canonical : std::string(core::trim(text));
}

}  // namespace

core::Result<store::Vendor> apply_vendor_edit(store::Vendor v, const VendorEdit& edit) {
    std::vector<std::string> problems;
    if (edit.rename) v.name = *edit.rename;

    store::ContactChange contacts;
    for (const auto& a : edit.remove_contacts) {
        const auto address = domain::normalize_address(a);
        if (std::none_of(v.contacts.begin(), v.contacts.end(),
                         [&](const auto& c) { return c.address == address; }))
            problems.push_back("there is no contact '" + address + "' to remove");
        contacts.remove.push_back(address);
    }
    for (const auto& a : edit.add_to) contacts.add.push_back({a, store::ContactKind::to});
    for (const auto& a : edit.add_cc) contacts.add.push_back({a, store::ContactKind::cc});
    v.contacts = store::apply_contact_change(std::move(v.contacts), contacts);

    for (const auto& key : edit.remove_keys) {
        const auto canonical = fingerprint_or_text(key);
        const auto before = v.key_fingerprints.size();
        std::erase(v.key_fingerprints, canonical);
        if (v.key_fingerprints.size() == before)
            problems.push_back("there is no key '" + canonical + "' to remove");
    }
    for (const auto& key : edit.add_keys) {
        const auto canonical = fingerprint_or_text(key);
        if (std::find(v.key_fingerprints.begin(), v.key_fingerprints.end(), canonical) ==
            v.key_fingerprints.end())
            v.key_fingerprints.push_back(canonical);
    }

    if (edit.languages) v.languages = *edit.languages;
    remove_terms(v.products, edit.remove_products, "product", problems);
    add_terms(v.products, edit.add_products);
    remove_terms(v.keywords, edit.remove_keywords, "keyword", problems);
    add_terms(v.keywords, edit.add_keywords);
    if (edit.name_publishable) v.name_publishable = *edit.name_publishable;
    if (edit.accepts_direct_reports) v.accepts_direct_reports = *edit.accepts_direct_reports;
    if (edit.registration) v.registration = *edit.registration;
    if (edit.notes) v.notes = *edit.notes;

    store::normalize_vendor(v);
    for (auto& p : store::vendor_problems(v)) problems.push_back(std::move(p));
    if (problems.empty()) return v;
    std::string message = "vendor '" + v.name + "': ";
    for (std::size_t i = 0; i < problems.size(); ++i) message += (i ? "; " : "") + problems[i];
    return core::make_error(core::ErrorKind::invalid_input, message);
}

core::Result<ImportOutcome> import_vendors(store::Store& store, const VendorFile& file, bool update,
                                           core::Timestamp now) {
    ImportOutcome outcome;
    outcome.problems = file.problems;
    if (!outcome.problems.empty()) return outcome;
    store::VendorDirectory directory(store);

    // Check every name first, so that all clashes are reported together.
    std::vector<std::optional<std::int64_t>> existing;
    for (const auto& entry : file.vendors) {
        auto found = directory.find_by_name(entry.vendor.name);
        if (!found) return found.error();
        existing.push_back(*found ? std::optional<std::int64_t>((*found)->row_id) : std::nullopt);
        if (*found && !update)
            outcome.problems.push_back(
                {entry.line, "vendor '" + entry.vendor.name +
                                 "' is already in the directory (give --update to replace it)"});
    }
    if (!outcome.problems.empty()) return outcome;

    auto status = store.transaction([&]() -> core::Status {
        for (std::size_t i = 0; i < file.vendors.size(); ++i) {
            const auto& entry = file.vendors[i];
            store::Vendor v = entry.vendor;
            core::Result<store::Vendor> stored =
                existing[i] ? (v.row_id = *existing[i], directory.update(v, now))
                            : directory.add(v, now);
            if (!stored)
                return core::make_error(stored.error().kind, "line " + std::to_string(entry.line) +
                                                                 ": " + stored.error().message);
            ++(existing[i] ? outcome.updated : outcome.added);
        }
        return {};
    });
    if (!status) return status.error();
    return outcome;
}

}  // namespace cvd::app
