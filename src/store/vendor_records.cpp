// The vendor directory's plain-data side: enum spellings, normalization and validation.
// No database here, so the importers can report exactly what add() would refuse.

#include <algorithm>
#include <set>

#include "cvdbot/core/text.hpp"
#include "cvdbot/domain/types.hpp"
#include "cvdbot/store/vendor_directory.hpp"

namespace cvd::store {

std::string_view to_string(ContactKind kind) {
    return kind == ContactKind::to ? "to" : "cc";
}

std::string_view to_string(Registration registration) {
    return registration == Registration::general ? "general" : "per_product";
}

std::string_view to_string(ChangeState state) {
    switch (state) {
        case ChangeState::pending:
            return "pending";
        case ChangeState::approved:
            return "approved";
        case ChangeState::rejected:
            return "rejected";
    }
    return "pending";
}

std::optional<ContactKind> parse_contact_kind(std::string_view text) {
    if (text == "to") return ContactKind::to;
    if (text == "cc") return ContactKind::cc;
    return std::nullopt;
}

std::optional<Registration> parse_registration(std::string_view text) {
    if (text == "general") return Registration::general;
    if (text == "per_product" || text == "per-product") return Registration::per_product;
    return std::nullopt;
}

std::optional<ChangeState> parse_change_state(std::string_view text) {
    for (auto state : {ChangeState::pending, ChangeState::approved, ChangeState::rejected})
        if (text == to_string(state)) return state;
    return std::nullopt;
}

namespace {

bool is_ascii_alnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool is_host_name(std::string_view s) {
    if (s.empty() || s.size() > 253) return false;
    for (auto label : core::split(s, '.')) {
        if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-')
            return false;
        for (char c : label)
            if (!is_ascii_alnum(c) && c != '-') return false;
    }
    return true;
}

bool has_control(std::string_view s, bool allow_newlines) {
    return std::any_of(s.begin(), s.end(), [&](char c) {
        const auto u = static_cast<unsigned char>(c);
        if (allow_newlines && (c == '\n' || c == '\t')) return false;
        return u < 0x20 || u == 0x7F;
    });
}

std::string trimmed(std::string_view s) {
    return std::string(core::trim(s));
}

// Problems of one free-text list item (a product or keyword); `what` names the list.
void check_term(std::string_view what, const std::string& term,
                std::vector<std::string>& problems) {
    if (term.empty())
        problems.push_back(std::string(what) + " is empty");
    else if (!core::is_valid_utf8(term))
        problems.push_back(std::string(what) + " is not valid UTF-8");
    else if (has_control(term, false))
        problems.push_back(std::string(what) + " '" + term + "' contains a control character");
    else if (term.size() > 200)
        problems.push_back(std::string(what) + " '" + term.substr(0, 40) +
                           "...' is longer than 200 bytes");
}

void check_unique(std::string_view what, const std::vector<std::string>& items,
                  std::vector<std::string>& problems) {
    std::set<std::string> seen;
    for (const auto& item : items)
        if (!seen.insert(core::to_lower_ascii(item)).second)
            problems.push_back(std::string(what) + " '" + item + "' is listed twice");
}

}  // namespace

bool is_contact_address(std::string_view address) {
    // Stricter than a plausible addr-spec: a vendor's published address has a plain local
    // part and a real host name, so quoted local parts and [literals] are refused.
    return core::is_plausible_addr_spec(address) && address.front() != '"' &&
           is_host_name(core::address_domain(address));
}

std::optional<std::string> normalize_fingerprint(std::string_view text) {
    std::string out;
    for (char c : text) {
        if (c == ' ' || c == '\t') continue;
        if (c >= 'a' && c <= 'f') c = static_cast<char>(c - 'a' + 'A');
        if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'))) return std::nullopt;
        out += c;
    }
    if (out.size() != 40) return std::nullopt;
    return out;
}

bool is_language_tag(std::string_view tag) {
    const auto parts = core::split(tag, '-');
    const auto primary = parts.front();
    if (primary.size() < 2 || primary.size() > 3) return false;
    if (!std::all_of(primary.begin(), primary.end(), [](char c) { return c >= 'a' && c <= 'z'; }))
        return false;
    for (std::size_t i = 1; i < parts.size(); ++i) {
        if (parts[i].empty() || parts[i].size() > 8) return false;
        if (!std::all_of(parts[i].begin(), parts[i].end(),
                         [](char c) { return is_ascii_alnum(c); }))
            return false;
    }
    return true;
}

void normalize_vendor(Vendor& vendor) {
    vendor.name = trimmed(vendor.name);
    for (auto& c : vendor.contacts) c.address = domain::normalize_address(c.address);
    for (auto& key : vendor.key_fingerprints) {
        if (auto canonical = normalize_fingerprint(key))
            key = *canonical;
        else
            key = trimmed(key);
    }
    for (auto& language : vendor.languages) language = core::to_lower_ascii(core::trim(language));
    for (auto& product : vendor.products) product = trimmed(product);
    for (auto& keyword : vendor.keywords) keyword = trimmed(keyword);
}

std::vector<std::string> vendor_problems(const Vendor& vendor) {
    std::vector<std::string> problems;
    if (vendor.name.empty())
        problems.push_back("the vendor name is empty");
    else if (!core::is_valid_utf8(vendor.name))
        problems.push_back("the vendor name is not valid UTF-8");
    else if (has_control(vendor.name, false))
        problems.push_back("the vendor name '" + vendor.name + "' contains a control character");
    else if (vendor.name.size() > 200)
        problems.push_back("the vendor name is longer than 200 bytes");

    std::set<std::string> seen_addresses;
    bool has_to = false;
    for (const auto& contact : vendor.contacts) {
        if (!is_contact_address(contact.address))
            problems.push_back("contact '" + contact.address + "' is not an email address");
        else if (!seen_addresses.insert(contact.address).second)
            problems.push_back("contact '" + contact.address + "' is listed twice");
        has_to = has_to || contact.kind == ContactKind::to;
    }
    if (!has_to) problems.push_back("there is no 'to' contact address");

    std::set<std::string> seen_keys;
    for (const auto& key : vendor.key_fingerprints) {
        if (!normalize_fingerprint(key) || *normalize_fingerprint(key) != key)
            problems.push_back("key '" + key + "' is not a fingerprint of 40 hex digits");
        else if (!seen_keys.insert(key).second)
            problems.push_back("key '" + key + "' is listed twice");
    }

    for (const auto& language : vendor.languages)
        if (!is_language_tag(language))
            problems.push_back("language '" + language + "' is not a language tag like ja or en");
    check_unique("language", vendor.languages, problems);

    for (const auto& product : vendor.products) check_term("product", product, problems);
    check_unique("product", vendor.products, problems);
    for (const auto& keyword : vendor.keywords) check_term("keyword", keyword, problems);
    check_unique("keyword", vendor.keywords, problems);

    if (!core::is_valid_utf8(vendor.notes))
        problems.push_back("the notes are not valid UTF-8");
    else if (has_control(vendor.notes, true))
        problems.push_back("the notes contain a control character");
    return problems;
}

std::vector<VendorContact> apply_contact_change(std::vector<VendorContact> contacts,
                                                const ContactChange& change) {
    for (const auto& address : change.remove) {
        const auto normalized = domain::normalize_address(address);
        std::erase_if(contacts, [&](const VendorContact& c) { return c.address == normalized; });
    }
    for (const auto& added : change.add) {
        const auto normalized = domain::normalize_address(added.address);
        auto it = std::find_if(contacts.begin(), contacts.end(),
                               [&](const VendorContact& c) { return c.address == normalized; });
        if (it != contacts.end())
            it->kind = added.kind;
        else
            contacts.push_back(VendorContact{normalized, added.kind});
    }
    return contacts;
}

}  // namespace cvd::store
