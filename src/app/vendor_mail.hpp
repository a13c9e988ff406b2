#pragma once
// Mail in which a vendor asks to change its contact point. It becomes a pending change for a
// coordinator (`cvdbot vendor changes` / `approve`); it is never applied on the sender's word,
// because a From address is easy to forge.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cvdbot/core/result.hpp"
#include "cvdbot/core/time.hpp"
#include "cvdbot/mail/message.hpp"
#include "cvdbot/store/store.hpp"
#include "cvdbot/store/vendor_directory.hpp"

namespace cvd::app {

enum class ContactChangeVerdict {
    not_a_request,  // not from a registered vendor contact, automatic mail, or about something else
    recorded,       // one pending change per vendor the sender is a contact of
    unreadable,     // a contact asked for a change but the new addresses could not be read: nothing
                    // recorded
};

struct ContactChangeMail {
    ContactChangeVerdict verdict = ContactChangeVerdict::not_a_request;
    std::string sender;                     // lower-cased From address
    std::vector<std::int64_t> change_ids;   // recorded: the pending changes, for the acknowledgment
    std::vector<std::string> vendor_names;  // recorded or unreadable: the sender's vendors
    store::ContactChange request;           // what was read from the body
    std::vector<std::string> problems;      // unreadable: why, in plain words (for the reply)

    // true when the intake should not treat the mail as anything else (e.g. a new report).
    bool handled() const { return verdict != ContactChangeVerdict::not_a_request; }
};

// For mail that belongs to no case. Looks at the subject and the first lines of the body for
// "contact change", "change of contact", "窓口変更", "連絡先変更", "連絡窓口の変更" (and a few
// close variants); if the sender is a registered contact of a vendor, reads lines such as
// `To: a@x`, `Cc: b@x`, `宛先: ...`, `CC: ...`, `Remove: c@x`, `削除: ...` and records the change
// as pending (in one transaction, with audit entries). The acknowledgment is the caller's.
core::Result<ContactChangeMail> handle_contact_change_mail(store::Store& store,
                                                           const mail::Message& parsed,
                                                           std::int64_t message_row_id,
                                                           core::Timestamp now);

// The pure parts, for tests.
bool mentions_contact_change(const mail::Message& parsed);
struct ContactChangeText {
    store::ContactChange change;
    std::vector<std::string> problems;
};
// Reads the labelled lines of a body; quoted lines ('>') are skipped and reading stops at a
// signature ("-- ") or a quoted original (a "-----" separator, "... wrote:", an Outlook-style
// "From:"/"Sent:" header block), so the addresses of old mail are never taken as new ones.
ContactChangeText read_contact_change(std::string_view body);

}  // namespace cvd::app
