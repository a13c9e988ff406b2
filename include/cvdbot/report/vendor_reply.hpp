#pragma once
// Reading a developer's (or site operator's) reply: verification result, fix status and the
// publication date they wish. The reply form in our vendor_details template carries lines like
//   Verification result / 検証結果: affected | not affected   (影響あり / 影響なし / 該当 / 非該当)
//   Fix status / 修正状況: fixing | fixed | no fix planned    (修正中 / 修正済み / 修正予定なし)
//   Wished publication date / 公表希望日: 2027-01-15 10:00     (2027/01/15, 2027年1月15日)
// Plain sentences ("we are not affected", 「影響を受けません」) are read only where they are
// unambiguous. Quoted lines ("> ...", our own form quoted back) are ignored. Anything
// contradictory or unreadable is `unclear`, never guessed: the app hands it to a coordinator.
// Pure: no I/O, never throws, bounded against hostile input.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cvd::report {

enum class Verification { not_stated, affected, not_affected, unclear };
enum class FixStatus { not_stated, fixing, fixed, will_not_fix, unclear };

std::string_view to_string(Verification verification);
std::string_view to_string(FixStatus status);

// A wall-clock date (and time) in JST as the participant wrote it; always a real date.
struct WishedDate {
    int year = 0;
    int month = 0;
    int day = 0;
    std::optional<int> hour;  // with minute, when a time was given
    std::optional<int> minute;

    std::string to_iso() const;  // "2027-01-15" or "2027-01-15T10:00"
    bool operator==(const WishedDate&) const = default;
};

struct VendorReplyLimits {
    std::size_t max_input_bytes = 64 * 1024;
    std::size_t max_line_bytes = 2 * 1024;
};

struct VendorReply {
    Verification verification = Verification::not_stated;
    FixStatus fix = FixStatus::not_stated;
    std::optional<WishedDate> publication_date;
    bool publication_date_unclear = false;  // a date was asked for but cannot be read
    bool from_form = false;                 // at least one reply-form line was filled in
    // Why something is unclear, for the coordinator's notice.
    std::vector<std::string> notes;

    // Nothing readable, or something unclear: a coordinator must look.
    bool needs_coordinator() const;
};

VendorReply parse_vendor_reply(std::string_view text, const VendorReplyLimits& limits = {});

// "2027-01-15", "2027/1/15 10:00", "2027年1月15日 10時", with full-width digits; nullopt when
// the text holds no date, an impossible one (2027-02-30), or two different ones.
std::optional<WishedDate> parse_wished_date(std::string_view text);

}  // namespace cvd::report
