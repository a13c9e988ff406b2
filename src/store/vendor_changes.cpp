// Contact changes vendors ask for: recorded as pending, applied only when a coordinator approves.
// The request is kept as JSON text so that a later change format can sit beside this one.

#include <nlohmann/json.hpp>

#include "cvdbot/domain/types.hpp"
#include "store_impl.hpp"
#include "vendor_internal.hpp"

namespace cvd::store {

using core::Result;
using core::Status;

namespace {

std::string request_to_json(const ContactChange& change) {
    nlohmann::ordered_json add = nlohmann::ordered_json::array();
    for (const auto& c : change.add)
        add.push_back({{"address", c.address}, {"kind", std::string(to_string(c.kind))}});
    nlohmann::ordered_json j{{"add", add}, {"remove", change.remove}};
    return j.dump();
}

// Strict: anything we would not have written is reported, not guessed at.
std::optional<ContactChange> request_from_json(const std::string& text) {
    const auto j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object() || j.size() != 2 || !j.contains("add") ||
        !j.contains("remove") || !j["add"].is_array() || !j["remove"].is_array())
        return std::nullopt;
    ContactChange change;
    for (const auto& item : j["add"]) {
        if (!item.is_object() || item.size() != 2 || !item.contains("address") ||
            !item.contains("kind") || !item["address"].is_string() || !item["kind"].is_string())
            return std::nullopt;
        const auto kind = parse_contact_kind(item["kind"].get<std::string>());
        const auto address = item["address"].get<std::string>();
        if (!kind || !is_contact_address(address) || address != domain::normalize_address(address))
            return std::nullopt;
        change.add.push_back(VendorContact{address, *kind});
    }
    for (const auto& item : j["remove"]) {
        if (!item.is_string()) return std::nullopt;
        const auto address = item.get<std::string>();
        if (!is_contact_address(address) || address != domain::normalize_address(address))
            return std::nullopt;
        change.remove.push_back(address);
    }
    if (change.empty()) return std::nullopt;
    return change;
}

constexpr const char* kChangeColumns =
    "c.id, c.vendor_id, v.name, c.requested_by, c.message_id, c.request, c.state, c.created_at, "
    "c.decided_at, "
    "c.decided_by";

Result<std::vector<VendorChange>> read_changes(sql::Statement& stmt) {
    std::vector<VendorChange> out;
    auto read = sql::read_all(stmt, [&](const sql::Statement& row) -> Status {
        VendorChange c;
        c.row_id = row.column_int(0);
        const std::string where = "vendor change " + std::to_string(c.row_id);
        c.vendor_row_id = row.column_int(1);
        c.vendor_name = row.column_text(2);
        c.requested_by = row.column_text(3);
        c.message_row_id = row.column_optional_int(4);
        auto request = request_from_json(row.column_text(5));
        if (!request) return corrupt(where + " has an unreadable request");
        c.request = std::move(*request);
        const auto state = parse_change_state(row.column_text(6));
        if (!state) return corrupt(where + " has an unknown state '" + row.column_text(6) + "'");
        c.state = *state;
        bool ok = true;
        c.created_at = read_time(row, 7, ok);
        if (!row.column_is_null(8)) c.decided_at = read_time(row, 8, ok);
        if (!ok) return corrupt(where + " has an impossible time");
        c.decided_by = row.column_text(9);
        // A decision has a time and a decider; a pending change has neither.
        if ((c.state == ChangeState::pending) != (!c.decided_at && c.decided_by.empty()))
            return corrupt(where + " is " + std::string(to_string(c.state)) +
                           " but its decision record disagrees");
        out.push_back(std::move(c));
        return {};
    });
    if (!read) return read.error();
    return out;
}

ContactChange normalized(const ContactChange& request) {
    ContactChange out;
    for (const auto& c : request.add)
        out.add.push_back(VendorContact{domain::normalize_address(c.address), c.kind});
    for (const auto& a : request.remove) out.remove.push_back(domain::normalize_address(a));
    return out;
}

core::Error invalid(const std::string& message) {
    return core::make_error(core::ErrorKind::invalid_input, message);
}

}  // namespace

Result<std::int64_t> VendorDirectory::request_change(std::int64_t vendor_row_id,
                                                     const std::string& requested_by,
                                                     std::optional<std::int64_t> message_row_id,
                                                     const ContactChange& request,
                                                     core::Timestamp now) {
    const auto change = normalized(request);
    if (change.empty()) return invalid("a contact change must add or remove at least one address");
    for (const auto& c : change.add)
        if (!is_contact_address(c.address))
            return invalid("'" + c.address + "' is not an email address");
    for (const auto& a : change.remove)
        if (!is_contact_address(a)) return invalid("'" + a + "' is not an email address");
    if (requested_by.empty())
        return invalid("a contact change needs the name or address of who asked for it");
    auto& db = store_.impl_->db;
    std::int64_t id = 0;
    auto status = store_.transaction([&]() -> Status {
        auto vendor = vendor_rows::load(db, vendor_row_id);
        if (!vendor) return vendor.error();
        if (!*vendor)
            return core::make_error(core::ErrorKind::not_found,
                                    "no vendor with row " + std::to_string(vendor_row_id));
        auto insert = db.prepare(
            "INSERT INTO vendor_changes (vendor_id, requested_by, message_id, request, state, "
            "created_at) "
            "VALUES (?, ?, ?, ?, 'pending', ?)");
        if (!insert) return insert.error();
        insert->bind(1, vendor_row_id).bind(2, requested_by).bind(3, message_row_id);
        insert->bind(4, request_to_json(change)).bind(5, core::to_unix(now));
        if (auto s = insert->run(); !s) return s;
        id = db.last_insert_id();
        return store_.audit(AuditEntry{0, std::nullopt, now, requested_by,
                                       "vendor_change_requested",
                                       "vendor '" + (*vendor)->name + "', change " +
                                           std::to_string(id) + ": " + request_to_json(change),
                                       message_row_id});
    });
    if (!status) return status.error();
    return id;
}

Result<std::vector<VendorChange>> VendorDirectory::pending_changes() {
    auto stmt =
        store_.impl_->db.prepare(std::string("SELECT ") + kChangeColumns +
                                 " FROM vendor_changes c JOIN vendors v ON v.id = c.vendor_id "
                                 "WHERE c.state = 'pending' ORDER BY c.id");
    if (!stmt) return stmt.error();
    return read_changes(*stmt);
}

Result<std::optional<VendorChange>> VendorDirectory::change(std::int64_t change_id) {
    auto stmt = store_.impl_->db.prepare(
        std::string("SELECT ") + kChangeColumns +
        " FROM vendor_changes c JOIN vendors v ON v.id = c.vendor_id WHERE c.id = ?");
    if (!stmt) return stmt.error();
    stmt->bind(1, change_id);
    auto changes = read_changes(*stmt);
    if (!changes) return changes.error();
    if (changes->empty()) return std::optional<VendorChange>{};
    return std::optional<VendorChange>(std::move(changes->front()));
}

namespace {

// The change, which must still be pending.
Result<VendorChange> pending(VendorDirectory& directory, std::int64_t change_id) {
    auto found = directory.change(change_id);
    if (!found) return found.error();
    if (!*found)
        return core::make_error(core::ErrorKind::not_found,
                                "no vendor change " + std::to_string(change_id));
    const auto& c = **found;
    if (c.state != ChangeState::pending)
        return core::make_error(core::ErrorKind::conflict,
                                "vendor change " + std::to_string(change_id) + " was already " +
                                    std::string(to_string(c.state)) + " by " + c.decided_by +
                                    " at " + core::format_iso8601(*c.decided_at));
    return c;
}

Status record_decision(sql::Connection& db, std::int64_t change_id, ChangeState state,
                       const std::string& by, core::Timestamp now) {
    // The state guard makes a concurrent second decision a no-op we can detect.
    auto stmt = db.prepare(
        "UPDATE vendor_changes SET state = ?, decided_at = ?, decided_by = ? WHERE id = ? AND "
        "state = 'pending'");
    if (!stmt) return stmt.error();
    stmt->bind(1, to_string(state)).bind(2, core::to_unix(now)).bind(3, by).bind(4, change_id);
    if (auto s = stmt->run(); !s) return s;
    if (db.changes() != 1)
        return core::make_error(
            core::ErrorKind::conflict,
            "vendor change " + std::to_string(change_id) + " is no longer pending");
    return {};
}

}  // namespace

Result<Vendor> VendorDirectory::approve(std::int64_t change_id, const std::string& by,
                                        core::Timestamp now) {
    if (by.empty()) return invalid("approving a change needs the name of who approves it");
    auto& db = store_.impl_->db;
    Vendor updated;
    auto status = store_.transaction([&]() -> Status {
        auto c = pending(*this, change_id);
        if (!c) return c.error();
        auto vendor = vendor_rows::load(db, c->vendor_row_id);
        if (!vendor) return vendor.error();
        if (!*vendor)
            return corrupt("vendor change " + std::to_string(change_id) +
                           " names a missing vendor");
        updated = **vendor;
        updated.contacts = apply_contact_change(updated.contacts, c->request);
        if (auto problems = vendor_problems(updated); !problems.empty())
            return invalid("approving vendor change " + std::to_string(change_id) +
                           " would leave vendor '" + updated.name + "' invalid: " +
                           problems.front() + "; reject it or edit the vendor instead");
        if (auto s = vendor_rows::write_contacts(db, updated.row_id, updated.contacts); !s)
            return s;
        if (auto s = vendor_rows::touch(db, updated.row_id, now); !s) return s;
        updated.updated_at = now;
        if (auto s = record_decision(db, change_id, ChangeState::approved, by, now); !s) return s;
        return store_.audit(
            AuditEntry{0, std::nullopt, now, by, "vendor_change_approved",
                       "vendor '" + updated.name + "', change " + std::to_string(change_id),
                       c->message_row_id});
    });
    if (!status) return status.error();
    return updated;
}

Status VendorDirectory::reject(std::int64_t change_id, const std::string& by, core::Timestamp now) {
    if (by.empty()) return invalid("rejecting a change needs the name of who rejects it");
    auto& db = store_.impl_->db;
    return store_.transaction([&]() -> Status {
        auto c = pending(*this, change_id);
        if (!c) return c.error();
        if (auto s = record_decision(db, change_id, ChangeState::rejected, by, now); !s) return s;
        return store_.audit(
            AuditEntry{0, std::nullopt, now, by, "vendor_change_rejected",
                       "vendor '" + c->vendor_name + "', change " + std::to_string(change_id),
                       c->message_row_id});
    });
}

}  // namespace cvd::store
