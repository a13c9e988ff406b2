#pragma once
// Shared by the vendor directory's source files; not part of the public interface.

#include <optional>

#include "cvdbot/store/vendor_directory.hpp"
#include "sqlite.hpp"

namespace cvd::store::vendor_rows {

// The vendor with this row and its lists, validated as it is read back.
core::Result<std::optional<Vendor>> load(sql::Connection& db, std::int64_t row_id);
// Replaces the vendor's contacts only (an approved change touches nothing else).
core::Status write_contacts(sql::Connection& db, std::int64_t vendor_row_id,
                            const std::vector<VendorContact>& contacts);
core::Status touch(sql::Connection& db, std::int64_t vendor_row_id, core::Timestamp now);

}  // namespace cvd::store::vendor_rows
