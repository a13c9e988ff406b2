#pragma once
// The vendor directory: product developers, their contact points and keys, and the contact
// changes they ask for by mail. A requested change is only ever applied by a coordinator's
// approve(); nothing here changes contacts on a vendor's say-so.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cvdbot/core/result.hpp"
#include "cvdbot/core/time.hpp"

namespace cvd::store {

class Store;

enum class ContactKind { to, cc };
enum class Registration { general, per_product };
enum class ChangeState { pending, approved, rejected };

std::string_view to_string(ContactKind kind);
std::string_view to_string(Registration registration);
std::string_view to_string(ChangeState state);
// Exact spellings as written by to_string ("per-product" is accepted too); nullopt otherwise.
std::optional<ContactKind> parse_contact_kind(std::string_view text);
std::optional<Registration> parse_registration(std::string_view text);
std::optional<ChangeState> parse_change_state(std::string_view text);

struct VendorContact {
    std::string address;  // lower-cased addr-spec
    ContactKind kind = ContactKind::to;
    bool operator==(const VendorContact&) const = default;
};

struct Vendor {
    std::int64_t row_id = 0;
    std::string name;                    // unique, compared ASCII case-insensitively
    std::vector<std::string> languages;  // "ja", "en", ... in order of preference
    bool name_publishable = false;
    bool accepts_direct_reports = false;
    Registration registration = Registration::general;
    std::vector<VendorContact> contacts;        // at least one `to`; order kept
    std::vector<std::string> key_fingerprints;  // 40 upper-case hex digits each
    std::vector<std::string> products;
    std::vector<std::string> keywords;
    std::string notes;
    core::Timestamp created_at{};
    core::Timestamp updated_at{};
    bool operator==(const Vendor&) const = default;
};

// What a vendor asks for: contacts to add (or whose kind changes) and addresses to drop.
// A delta rather than a full list, because a mail saying "add b@x" must not silently drop a@x.
struct ContactChange {
    std::vector<VendorContact> add;
    std::vector<std::string> remove;
    bool empty() const { return add.empty() && remove.empty(); }
    bool operator==(const ContactChange&) const = default;
};

struct VendorChange {
    std::int64_t row_id = 0;
    std::int64_t vendor_row_id = 0;
    std::string vendor_name;
    std::string requested_by;                    // the sender's address, or who typed it in
    std::optional<std::int64_t> message_row_id;  // the mail that asked for it
    ContactChange request;
    ChangeState state = ChangeState::pending;
    core::Timestamp created_at{};
    std::optional<core::Timestamp> decided_at;
    std::string decided_by;
};

struct VendorMatch {
    Vendor vendor;
    std::vector<std::string> terms;  // the names, products and keywords found in the text
};

// --- validation, shared with the importers so that they report what add() would refuse ---

// ASCII local@domain: a dot-atom local part (no quoted forms) and a host name. Deliberately
// narrower than RFC 5322: a directory entry is typed by a person and must be usable as-is.
bool is_contact_address(std::string_view address);
// "1234 ABCD ..." or lower case → 40 upper-case hex digits; nullopt if it is not a v4 fingerprint.
std::optional<std::string> normalize_fingerprint(std::string_view text);
// "ja", "en", "pt-br": 2-3 letters, optional subtags.
bool is_language_tag(std::string_view tag);

// Trims names and list items, lower-cases addresses and languages, canonicalises fingerprints
// (unreadable ones are left as written, for vendor_problems to name).
void normalize_vendor(Vendor& vendor);
// Every reason `vendor` (normalized) cannot be stored, each a sentence fragment naming the value,
// e.g. "contact 'foo' is not an email address". Empty when it is fine.
std::vector<std::string> vendor_problems(const Vendor& vendor);

// `contacts` with `change` applied: removals first, then additions (an address already present
// takes the new kind). Removing an absent address is a no-op.
std::vector<VendorContact> apply_contact_change(std::vector<VendorContact> contacts,
                                                const ContactChange& change);

class VendorDirectory {
  public:
    explicit VendorDirectory(Store& store) : store_(store) {}

    // Stores a new vendor (normalized first); invalid_input listing every problem, conflict if
    // the name exists. Returns it as stored.
    core::Result<Vendor> add(const Vendor& vendor, core::Timestamp now);
    // Replaces everything of the vendor with `vendor.row_id` (name, flags, contacts, keys,
    // products, keywords, notes) in one transaction; created_at is kept.
    core::Result<Vendor> update(const Vendor& vendor, core::Timestamp now);

    core::Result<std::optional<Vendor>> find_by_name(std::string_view name);
    core::Result<std::optional<Vendor>> find_by_row(std::int64_t row_id);
    // Every vendor that lists `address` as a contact (a shared PSIRT may serve several).
    core::Result<std::vector<Vendor>> find_by_contact(std::string_view address);
    core::Result<std::vector<Vendor>> list();  // by name

    // Vendors whose name, products or keywords occur in `text` (ASCII case-insensitive; ASCII
    // terms only at word boundaries, so "IE" does not match "client"). Most terms first.
    core::Result<std::vector<VendorMatch>> match(std::string_view text);

    // Records a pending change; never applies it. Returns its id.
    core::Result<std::int64_t> request_change(std::int64_t vendor_row_id,
                                              const std::string& requested_by,
                                              std::optional<std::int64_t> message_row_id,
                                              const ContactChange& request, core::Timestamp now);
    core::Result<std::vector<VendorChange>> pending_changes();
    core::Result<std::optional<VendorChange>> change(std::int64_t change_id);
    // Applies a pending change to the vendor's contacts and records who decided when, in one
    // transaction (with an audit entry). Fails, changing nothing, if the change is not pending
    // or would leave the vendor without a `to` contact. Returns the updated vendor.
    core::Result<Vendor> approve(std::int64_t change_id, const std::string& by,
                                 core::Timestamp now);
    core::Status reject(std::int64_t change_id, const std::string& by, core::Timestamp now);

  private:
    Store& store_;
};

}  // namespace cvd::store
