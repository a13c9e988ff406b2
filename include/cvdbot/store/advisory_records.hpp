#pragma once
// The advisory facts of a case as the store keeps them: named values and lists, in the
// store's own terms (the advisory module turns them into its AdvisoryFacts).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace cvd::store {

// One value; lang is "ja", "en" or "" for a fact without language (cwe, cvss31, ...).
struct AdvisoryFactRecord {
    std::string name;
    std::string lang;
    std::string value;
};

// One entry of a list: kind "cve", "reference", "affected", in the order they were added.
struct AdvisoryItemRecord {
    std::string kind;
    std::string value;
};

struct VendorStatementRecord {
    std::string vendor;
    std::string status;  // affected, not_affected, fixed, under_investigation
    std::string statement_ja;
    std::string statement_en;
    std::int64_t stated_at = 0;  // unix seconds
    std::optional<std::int64_t> participant_row_id;  // the vendor who sent it by reply
};

struct AdvisoryRevisionRecord {
    int number = 0;
    std::string date;  // YYYY-MM-DD
    std::string summary_ja;
    std::string summary_en;
};

struct AdvisoryRecord {
    std::vector<AdvisoryFactRecord> facts;
    std::vector<AdvisoryItemRecord> items;
    std::vector<VendorStatementRecord> statements;
    std::vector<AdvisoryRevisionRecord> revisions;
};

}  // namespace cvd::store
