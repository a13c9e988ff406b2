#pragma once
// The workflow rules from rules/*.toml, validated once and immutable afterwards.

#include <chrono>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "cvdbot/core/result.hpp"

namespace cvd::rules {

struct IntakeRules {
    bool acknowledge_reports = true;
    std::string acknowledgment_template = "acknowledgment";
};

struct OutboxRules {
    std::chrono::seconds retry_initial{60};
    std::chrono::seconds retry_max{3600};
    int max_attempts = 72;
    // A vendor whose every contact address refuses mail for good (5xx) skips its reminders
    // and becomes unreachable after timers.vendor_unreachable_after_days.
    bool permanent_failure_counts_as_unanswered = false;
};

// Bounds on the replies the bot sends on its own (acknowledgments, "could not decrypt",
// contact-change answers), so an auto-responder that does not say it is one, or a flood from
// one address, gets a few replies rather than one per message.
struct LimitRules {
    int replies_per_sender = 10;  // to one address within the window
    int replies_per_case = 20;    // within one case within the window
    std::chrono::seconds window{3600};
};

// Timer lengths of the partnership process (DESIGN.md "Timers"). Calendar days/months
// unless named business days (Mon-Fri except the holidays in rules/holidays.toml).
struct TimerRules {
    std::vector<int> vendor_reminder_days{7, 14,
                                          30};  // after first contact; unreachable after the last
    int vendor_unreachable_after_days = 14;     // after the last reminder
    int publication_target_days = 45;           // after the start date (起算日)
    int operator_first_reply_business_days = 5;
    int operator_reminders = 1;          // reminders before the operator counts as unreachable
    int web_fix_target_months = 3;       // after details sent
    int nondisclosure_lift_months = 12;  // after the start date
    int product_listing_months = 3;      // after the name listing
    // The name listing happens at the start of the next calendar quarter after unreachable.
};

// Templates that carry vulnerability details are never sent in plaintext: without a key for
// the recipient the bot asks for one and holds the message until it arrives.
struct ConfidentialityRules {
    std::vector<std::string> templates{"vendor_details", "web_details"};
    // Roles ("discoverer", "vendor", "site_operator", "coordinator") that may receive the
    // confidential templates unencrypted when they have no key. None by default.
    std::vector<std::string> plaintext_roles;

    bool is_confidential(std::string_view template_name) const;
    bool plaintext_allowed(std::string_view role) const;
};

// Days that are not business days (Japan time): national holidays and closing days.
using Holidays = std::map<std::chrono::sys_days, std::string>;  // date -> name

struct RuleSet {
    IntakeRules intake;
    OutboxRules outbox;
    LimitRules limits;
    TimerRules timers;
    ConfidentialityRules confidentiality;
    Holidays holidays;
};

// Reads <dir>/workflow.toml and, when present, <dir>/holidays.toml. Errors name the file,
// the line and the key.
core::Result<RuleSet> load_rules(const std::filesystem::path& dir);
core::Result<RuleSet> parse_rules(std::string_view toml_text, const std::string& source_name);
// holidays.toml: a [holidays] table of `YYYY-MM-DD = "name"` lines.
core::Result<Holidays> parse_holidays(std::string_view toml_text, const std::string& source_name);

// Delay before retry number `attempt` (1 = first retry): initial * 2^(attempt-1), capped.
std::chrono::seconds retry_delay(const OutboxRules& rules, int attempt);

}  // namespace cvd::rules
