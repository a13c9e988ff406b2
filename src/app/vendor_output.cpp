// How vendors and their pending changes are shown: text for people, JSON for scripts.

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "vendor_commands.hpp"

namespace cvd::app {

using nlohmann::ordered_json;

namespace {

std::string joined(const std::vector<std::string>& items, const char* separator = ", ") {
    std::string out;
    for (const auto& item : items) out += (out.empty() ? "" : separator) + item;
    return out.empty() ? "-" : out;
}

std::string contact_list(const std::vector<store::VendorContact>& contacts) {
    std::string out;
    for (const auto& c : contacts)
        out += (out.empty() ? "" : ", ") + std::string(store::to_string(c.kind)) + " " + c.address;
    return out.empty() ? "-" : out;
}

ordered_json to_json(const store::Vendor& v) {
    ordered_json contacts = ordered_json::array();
    for (const auto& c : v.contacts)
        contacts.push_back({{"address", c.address}, {"kind", store::to_string(c.kind)}});
    return ordered_json{
        {"id", v.row_id},
        {"name", v.name},
        {"languages", v.languages},
        {"name_publishable", v.name_publishable},
        {"accepts_direct_reports", v.accepts_direct_reports},
        {"registration", store::to_string(v.registration)},
        {"contacts", contacts},
        {"keys", v.key_fingerprints},
        {"products", v.products},
        {"keywords", v.keywords},
        {"notes", v.notes},
        {"created_at", core::format_iso8601(v.created_at)},
        {"updated_at", core::format_iso8601(v.updated_at)},
    };
}

core::Error bad_json(const std::string& what) {
    return core::make_error(core::ErrorKind::invalid_input, "vendor JSON: " + what);
}

}  // namespace

void print_vendor(const store::Vendor& v, std::ostream& out) {
    out << fmt::format("Vendor:        {}\n", v.name);
    for (const auto& c : v.contacts)
        out << fmt::format("  {:<3}          {}\n", store::to_string(c.kind), c.address);
    out << fmt::format("Keys:          {}\n", joined(v.key_fingerprints));
    out << fmt::format("Languages:     {}\n", joined(v.languages));
    out << fmt::format("Name public:   {}\n", v.name_publishable ? "yes" : "no");
    out << fmt::format("Direct report: {}\n",
                       v.accepts_direct_reports ? "accepted" : "not accepted");
    out << fmt::format("Registration:  {}\n", store::to_string(v.registration));
    out << fmt::format("Products:      {}\n", joined(v.products));
    out << fmt::format("Keywords:      {}\n", joined(v.keywords));
    if (!v.notes.empty()) out << "Notes:\n  " << fmt::format("{}", v.notes) << "\n";
    out << fmt::format("Added:         {}\nUpdated:       {}\n", core::format_iso8601(v.created_at),
                       core::format_iso8601(v.updated_at));
}

void print_vendor_list(const std::vector<store::Vendor>& vendors, std::ostream& out) {
    if (vendors.empty()) {
        out << "no vendors\n";
        return;
    }
    out << fmt::format("{:<32} {:<40} {:<6} {:>4}  {}\n", "NAME", "TO", "LANG", "KEYS", "PRODUCTS");
    for (const auto& v : vendors) {
        std::vector<std::string> to;
        for (const auto& c : v.contacts)
            if (c.kind == store::ContactKind::to) to.push_back(c.address);
        out << fmt::format("{:<32} {:<40} {:<6} {:>4}  {}\n", v.name, joined(to),
                           joined(v.languages, ","), v.key_fingerprints.size(), joined(v.products));
    }
}

core::Status print_changes(store::VendorDirectory& directory, std::ostream& out) {
    auto changes = directory.pending_changes();
    if (!changes) return changes.error();
    if (changes->empty()) {
        out << "no pending contact changes\n";
        return {};
    }
    for (const auto& c : *changes) {
        auto vendor = directory.find_by_row(c.vendor_row_id);
        if (!vendor) return vendor.error();
        const auto& current = (*vendor)->contacts;
        out << fmt::format("Change {}  vendor '{}'  asked by {} at {}{}\n", c.row_id, c.vendor_name,
                           c.requested_by, core::format_iso8601(c.created_at),
                           c.message_row_id ? fmt::format(" (message {})", *c.message_row_id) : "");
        for (const auto& a : c.request.add)
            out << fmt::format("  add     {} {}\n", store::to_string(a.kind), a.address);
        for (const auto& r : c.request.remove) out << fmt::format("  remove  {}\n", r);
        out << "  now:    " << contact_list(current) << "\n";
        out << "  after:  " << contact_list(store::apply_contact_change(current, c.request))
            << "\n";
    }
    out << "Approve with `cvdbot vendor approve ID`, or `cvdbot vendor reject ID`.\n";
    return {};
}

std::string vendor_to_json(const store::Vendor& vendor) {
    return to_json(vendor).dump(2);
}

std::string vendors_to_json(const std::vector<store::Vendor>& vendors) {
    ordered_json list = ordered_json::array();
    for (const auto& v : vendors) list.push_back(to_json(v));
    return list.dump(2);
}

core::Result<store::Vendor> vendor_from_json(std::string_view text) {
    const auto j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return bad_json("not a JSON object");
    try {
        store::Vendor v;
        v.row_id = j.at("id").get<std::int64_t>();
        v.name = j.at("name").get<std::string>();
        v.languages = j.at("languages").get<std::vector<std::string>>();
        v.name_publishable = j.at("name_publishable").get<bool>();
        v.accepts_direct_reports = j.at("accepts_direct_reports").get<bool>();
        const auto registration =
            store::parse_registration(j.at("registration").get<std::string>());
        if (!registration) return bad_json("unknown registration");
        v.registration = *registration;
        for (const auto& c : j.at("contacts")) {
            const auto kind = store::parse_contact_kind(c.at("kind").get<std::string>());
            if (!kind) return bad_json("unknown contact kind");
            v.contacts.push_back({c.at("address").get<std::string>(), *kind});
        }
        v.key_fingerprints = j.at("keys").get<std::vector<std::string>>();
        v.products = j.at("products").get<std::vector<std::string>>();
        v.keywords = j.at("keywords").get<std::vector<std::string>>();
        v.notes = j.at("notes").get<std::string>();
        const auto created = core::parse_iso8601(j.at("created_at").get<std::string>());
        const auto updated = core::parse_iso8601(j.at("updated_at").get<std::string>());
        if (!created || !updated) return bad_json("a time is not ISO 8601");
        v.created_at = *created;
        v.updated_at = *updated;
        return v;
    } catch (const nlohmann::json::exception& e) {
        // Missing keys and wrong types: the library's message names which.
        return bad_json(e.what());
    }
}

}  // namespace cvd::app
