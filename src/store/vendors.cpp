// The vendor directory's tables: vendors and their contacts, keys, products and keywords.

#include <algorithm>

#include "cvdbot/core/text.hpp"
#include "cvdbot/domain/types.hpp"
#include "store_impl.hpp"
#include "vendor_internal.hpp"

namespace cvd::store {

using core::Result;
using core::Status;

namespace vendor_rows {

namespace {

std::string join(const std::vector<std::string>& items, char separator) {
    std::string out;
    for (const auto& item : items) {
        if (!out.empty()) out += separator;
        out += item;
    }
    return out;
}

// Values of one child table (products, keywords, keys), in insertion order.
Result<std::vector<std::string>> load_list(sql::Connection& db, const char* table,
                                           const char* column, std::int64_t vendor_row_id) {
    auto stmt = db.prepare(std::string("SELECT ") + column + " FROM " + table +
                           " WHERE vendor_id = ? ORDER BY id");
    if (!stmt) return stmt.error();
    stmt->bind(1, vendor_row_id);
    std::vector<std::string> out;
    auto read = sql::read_all(*stmt, [&](const sql::Statement& row) {
        out.push_back(row.column_text(0));
    });
    if (!read) return read.error();
    return out;
}

Status write_list(sql::Connection& db, const char* table, const char* column,
                  std::int64_t vendor_row_id, const std::vector<std::string>& values) {
    auto clear = db.prepare(std::string("DELETE FROM ") + table + " WHERE vendor_id = ?");
    if (!clear) return clear.error();
    clear->bind(1, vendor_row_id);
    if (auto s = clear->run(); !s) return s;
    for (const auto& value : values) {
        auto insert = db.prepare(std::string("INSERT INTO ") + table + " (vendor_id, " + column +
                                 ") VALUES (?, ?)");
        if (!insert) return insert.error();
        insert->bind(1, vendor_row_id).bind(2, value);
        if (auto s = insert->run(); !s) return s;
    }
    return {};
}

}  // namespace

Result<std::optional<Vendor>> load(sql::Connection& db, std::int64_t row_id) {
    auto stmt = db.prepare(
        "SELECT id, name, languages, name_publishable, accepts_direct_reports, registration, "
        "notes, created_at, "
        "updated_at FROM vendors WHERE id = ?");
    if (!stmt) return stmt.error();
    stmt->bind(1, row_id);
    auto row = stmt->step();
    if (!row) return row.error();
    if (!*row) return std::optional<Vendor>{};
    const std::string where = "vendor " + std::to_string(row_id);
    Vendor v;
    v.row_id = stmt->column_int(0);
    v.name = stmt->column_text(1);
    if (const auto languages = stmt->column_text(2); !languages.empty())
        for (auto language : core::split(languages, ',')) v.languages.emplace_back(language);
    const auto publishable = stmt->column_int(3), direct = stmt->column_int(4);
    if ((publishable != 0 && publishable != 1) || (direct != 0 && direct != 1))
        return corrupt(where + " has a flag that is neither 0 nor 1");
    v.name_publishable = publishable == 1;
    v.accepts_direct_reports = direct == 1;
    const auto registration = stmt->column_text(5);
    // Only the spelling we write: "per-product" is input syntax, not a stored value.
    if (registration != "general" && registration != "per_product")
        return corrupt(where + " has an unknown registration '" + registration + "'");
    v.registration = *parse_registration(registration);
    v.notes = stmt->column_text(6);
    bool ok = true;
    v.created_at = read_time(*stmt, 7, ok);
    v.updated_at = read_time(*stmt, 8, ok);
    if (!ok) return corrupt(where + " has an impossible time");

    auto contacts =
        db.prepare("SELECT address, kind FROM vendor_contacts WHERE vendor_id = ? ORDER BY id");
    if (!contacts) return contacts.error();
    contacts->bind(1, row_id);
    auto read = sql::read_all(*contacts, [&](const sql::Statement& row) -> Status {
        const auto kind = parse_contact_kind(row.column_text(1));
        if (!kind)
            return corrupt(where + " has a contact of unknown kind '" + row.column_text(1) +
                           "'");
        v.contacts.push_back(VendorContact{row.column_text(0), *kind});
        return {};
    });
    if (!read) return read.error();
    auto keys = load_list(db, "vendor_keys", "fingerprint", row_id);
    auto products = load_list(db, "vendor_products", "product", row_id);
    auto keywords = load_list(db, "vendor_keywords", "keyword", row_id);
    if (!keys) return keys.error();
    if (!products) return products.error();
    if (!keywords) return keywords.error();
    v.key_fingerprints = std::move(*keys);
    v.products = std::move(*products);
    v.keywords = std::move(*keywords);

    // What we wrote was valid and normalized; anything else was changed behind our back.
    Vendor normalized = v;
    normalize_vendor(normalized);
    if (const auto problems = vendor_problems(v); !problems.empty())
        return corrupt(where + ": " + problems.front());
    if (!(normalized == v))
        return corrupt(where + " holds values that are not in their normal form");
    return std::optional<Vendor>(std::move(v));
}

Status write_contacts(sql::Connection& db, std::int64_t vendor_row_id,
                      const std::vector<VendorContact>& contacts) {
    auto clear = db.prepare("DELETE FROM vendor_contacts WHERE vendor_id = ?");
    if (!clear) return clear.error();
    clear->bind(1, vendor_row_id);
    if (auto s = clear->run(); !s) return s;
    for (const auto& contact : contacts) {
        auto insert =
            db.prepare("INSERT INTO vendor_contacts (vendor_id, address, kind) VALUES (?, ?, ?)");
        if (!insert) return insert.error();
        insert->bind(1, vendor_row_id).bind(2, contact.address).bind(3, to_string(contact.kind));
        if (auto s = insert->run(); !s) return s;
    }
    return {};
}

Status touch(sql::Connection& db, std::int64_t vendor_row_id, core::Timestamp now) {
    auto stmt = db.prepare("UPDATE vendors SET updated_at = ? WHERE id = ?");
    if (!stmt) return stmt.error();
    stmt->bind(1, core::to_unix(now)).bind(2, vendor_row_id);
    return stmt->run();
}

namespace {

Status write_lists(sql::Connection& db, const Vendor& v) {
    if (auto s = write_contacts(db, v.row_id, v.contacts); !s) return s;
    if (auto s = write_list(db, "vendor_keys", "fingerprint", v.row_id, v.key_fingerprints); !s)
        return s;
    if (auto s = write_list(db, "vendor_products", "product", v.row_id, v.products); !s) return s;
    return write_list(db, "vendor_keywords", "keyword", v.row_id, v.keywords);
}

void bind_fields(sql::Statement& stmt, const Vendor& v) {
    stmt.bind(1, v.name).bind(2, join(v.languages, ','));
    stmt.bind(3, std::int64_t{v.name_publishable}).bind(4, std::int64_t{v.accepts_direct_reports});
    stmt.bind(5, to_string(v.registration)).bind(6, v.notes);
}

}  // namespace
}  // namespace vendor_rows

namespace {

Result<Vendor> checked(const Vendor& input) {
    Vendor v = input;
    normalize_vendor(v);
    const auto problems = vendor_problems(v);
    if (problems.empty()) return v;
    std::string message = "vendor '" + v.name + "': ";
    for (std::size_t i = 0; i < problems.size(); ++i) message += (i ? "; " : "") + problems[i];
    return core::make_error(core::ErrorKind::invalid_input, message);
}

// Another vendor (not `except`) already has this name, ignoring ASCII case.
Result<bool> name_taken(sql::Connection& db, const std::string& name, std::int64_t except) {
    auto stmt = db.prepare("SELECT 1 FROM vendors WHERE name = ? AND id <> ?");
    if (!stmt) return stmt.error();
    stmt->bind(1, name).bind(2, except);
    return stmt->step();
}

Result<std::vector<Vendor>> load_all(sql::Connection& db, sql::Statement& ids) {
    std::vector<std::int64_t> rows;
    auto read = sql::read_all(ids, [&](const sql::Statement& row) {
        rows.push_back(row.column_int(0));
    });
    if (!read) return read.error();
    std::vector<Vendor> out;
    for (auto id : rows) {
        auto v = vendor_rows::load(db, id);
        if (!v) return v.error();
        if (*v) out.push_back(std::move(**v));
    }
    return out;
}

bool is_word_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// `term` (lower-cased) occurs in `text` (lower-cased); where the term begins or ends with an
// ASCII word character, the text must not continue the word there.
bool contains_term(std::string_view text, std::string_view term) {
    if (term.empty()) return false;
    for (auto pos = text.find(term); pos != std::string_view::npos;
         pos = text.find(term, pos + 1)) {
        const bool left_ok =
            !is_word_char(term.front()) || pos == 0 || !is_word_char(text[pos - 1]);
        const auto end = pos + term.size();
        const bool right_ok =
            !is_word_char(term.back()) || end == text.size() || !is_word_char(text[end]);
        if (left_ok && right_ok) return true;
    }
    return false;
}

}  // namespace

Result<Vendor> VendorDirectory::add(const Vendor& input, core::Timestamp now) {
    auto v = checked(input);
    if (!v) return v.error();
    auto& db = store_.impl_->db;
    auto status = store_.transaction([&]() -> Status {
        auto taken = name_taken(db, v->name, 0);
        if (!taken) return taken.error();
        if (*taken)
            return core::make_error(core::ErrorKind::conflict,
                                    "a vendor named '" + v->name + "' already exists");
        auto insert = db.prepare(
            "INSERT INTO vendors (name, languages, name_publishable, accepts_direct_reports, "
            "registration, notes, "
            "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
        if (!insert) return insert.error();
        vendor_rows::bind_fields(*insert, *v);
        insert->bind(7, core::to_unix(now)).bind(8, core::to_unix(now));
        if (auto s = insert->run(); !s) return s;
        v->row_id = db.last_insert_id();
        v->created_at = v->updated_at = now;
        return vendor_rows::write_lists(db, *v);
    });
    if (!status) return status.error();
    return v;
}

Result<Vendor> VendorDirectory::update(const Vendor& input, core::Timestamp now) {
    auto v = checked(input);
    if (!v) return v.error();
    auto& db = store_.impl_->db;
    auto status = store_.transaction([&]() -> Status {
        auto existing = vendor_rows::load(db, v->row_id);
        if (!existing) return existing.error();
        if (!*existing)
            return core::make_error(core::ErrorKind::not_found,
                                    "no vendor with row " + std::to_string(v->row_id));
        auto taken = name_taken(db, v->name, v->row_id);
        if (!taken) return taken.error();
        if (*taken)
            return core::make_error(core::ErrorKind::conflict,
                                    "a vendor named '" + v->name + "' already exists");
        auto stmt = db.prepare(
            "UPDATE vendors SET name = ?, languages = ?, name_publishable = ?, "
            "accepts_direct_reports = ?, "
            "registration = ?, notes = ?, updated_at = ? WHERE id = ?");
        if (!stmt) return stmt.error();
        vendor_rows::bind_fields(*stmt, *v);
        stmt->bind(7, core::to_unix(now)).bind(8, v->row_id);
        if (auto s = stmt->run(); !s) return s;
        v->created_at = (*existing)->created_at;
        v->updated_at = now;
        return vendor_rows::write_lists(db, *v);
    });
    if (!status) return status.error();
    return v;
}

Result<std::optional<Vendor>> VendorDirectory::find_by_name(std::string_view name) {
    auto stmt = store_.impl_->db.prepare("SELECT id FROM vendors WHERE name = ?");
    if (!stmt) return stmt.error();
    stmt->bind(1, core::trim(name));
    auto row = stmt->step();
    if (!row) return row.error();
    if (!*row) return std::optional<Vendor>{};
    return vendor_rows::load(store_.impl_->db, stmt->column_int(0));
}

Result<std::optional<Vendor>> VendorDirectory::find_by_row(std::int64_t row_id) {
    return vendor_rows::load(store_.impl_->db, row_id);
}

Result<std::vector<Vendor>> VendorDirectory::find_by_contact(std::string_view address) {
    auto stmt = store_.impl_->db.prepare(
        "SELECT DISTINCT v.id FROM vendor_contacts c JOIN vendors v ON v.id = c.vendor_id WHERE "
        "c.address = ? "
        "ORDER BY v.name");
    if (!stmt) return stmt.error();
    stmt->bind(1, domain::normalize_address(address));
    return load_all(store_.impl_->db, *stmt);
}

Result<std::vector<Vendor>> VendorDirectory::list() {
    auto stmt = store_.impl_->db.prepare("SELECT id FROM vendors ORDER BY name");
    if (!stmt) return stmt.error();
    return load_all(store_.impl_->db, *stmt);
}

Result<std::vector<VendorMatch>> VendorDirectory::match(std::string_view text) {
    auto vendors = list();
    if (!vendors) return vendors.error();
    const auto haystack = core::to_lower_ascii(text);
    std::vector<VendorMatch> out;
    for (auto& v : *vendors) {
        VendorMatch m;
        auto consider = [&](const std::string& term) {
            if (contains_term(haystack, core::to_lower_ascii(term)) &&
                std::find(m.terms.begin(), m.terms.end(), term) == m.terms.end())
                m.terms.push_back(term);
        };
        consider(v.name);
        for (const auto& product : v.products) consider(product);
        for (const auto& keyword : v.keywords) consider(keyword);
        if (m.terms.empty()) continue;
        m.vendor = std::move(v);
        out.push_back(std::move(m));
    }
    // Stable: equally good matches stay in name order.
    std::stable_sort(out.begin(), out.end(), [](const VendorMatch& a, const VendorMatch& b) {
        return a.terms.size() > b.terms.size();
    });
    return out;
}

}  // namespace cvd::store
