#pragma once
// The pure workflow core: step(state, event, rules, now) -> new state + commands as data.
// No I/O happens here; the app carries out the commands in one store transaction.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "cvdbot/core/result.hpp"
#include "cvdbot/core/time.hpp"
#include "cvdbot/domain/types.hpp"
#include "cvdbot/rules/rule_set.hpp"
#include "cvdbot/workflow/commands.hpp"

namespace cvd::workflow {

// --- events -------------------------------------------------------------------------
// A message that belongs to no case: a new report.
struct ReportReceived {
    std::string sender;  // normalised address
    std::string display_name;
    bool automatic = false;  // auto-reply, bounce or bulk mail
    // What the app read from the report form: the track it looks like (a coordinator may
    // override), the required fields left empty (labels, one per entry), and whether no form
    // field was recognised at all (accepted, flagged for triage).
    std::optional<domain::Track> classified{};
    std::vector<std::string> missing_fields{};
    bool free_form = false;
};

// What the app read from a vendor's or operator's reply (report::parse_vendor_reply). Only
// clear statements are set; anything else is `unclear` and goes to a coordinator.
struct ReplyReading {
    std::optional<domain::VendorState> vendor_state{};  // verifying, fixing or not_affected
    bool operator_fixed = false;
    std::string wished_publication{};  // as they wrote it; a coordinator agrees the date
    std::string unclear{};             // why a person must read it; empty when clear
};

// A message threaded onto an existing case.
struct CorrespondenceReceived {
    std::string sender;
    std::optional<domain::Role> sender_role;  // nullopt: not a participant of the case
    bool automatic = false;
    // The vendor or operator participant that wrote, if any: a first reply stops reminders.
    std::optional<std::int64_t> participant{};
    std::optional<ReplyReading> reading{};  // vendors and operators
    // The discoverer asks how the case stands / asks to lift non-disclosure.
    bool asks_status = false;
    bool asks_lift = false;
    // Their own words (quotes and signature removed), passed on where relaying is on.
    std::string text{};
};

// One parsed command line. `from_coordinator` is true only when the app verified a good
// signature from a registered coordinator key; otherwise every command is refused.
struct CoordinatorCommandReceived {
    CoordinatorCommand command;
    bool from_coordinator = false;
};

// The discoverer asks to lift non-disclosure (allowed from one year after the start date).
struct NondisclosureLiftRequested {};

// A timer the app armed with SetTimer is due. Fired exactly once; the app clears it.
struct TimerFired {
    std::string name;
    std::optional<std::int64_t> participant{};
};

// The SMTP server refused mail to every contact address of this vendor for good (5xx).
// Counted toward "unreachable" when rules.outbox.permanent_failure_counts_as_unanswered.
struct DeliveryRefused {
    std::int64_t participant = 0;
};

using Event = std::variant<ReportReceived, CorrespondenceReceived, CoordinatorCommandReceived,
                           NondisclosureLiftRequested, TimerFired, DeliveryRefused>;

// --- commands -----------------------------------------------------------------------
struct OpenCase {
    std::string discoverer_address;
    std::string discoverer_name;
};

// Render template `template_name` for the participant with `role` (or exactly
// `participant` when set, e.g. one vendor of several) and queue it.
struct SendTemplate {
    std::string template_name;
    domain::Role recipient_role;
    std::optional<std::int64_t> participant{};
    // Facts the template needs beyond the case (e.g. "lift_date" = "2027-11-26").
    std::vector<std::pair<std::string, std::string>> variables{};
};

struct RecordAudit {
    std::string action;
    std::string detail;
};

struct SetTimer {
    std::string name;
    std::optional<std::int64_t> participant;
    core::Timestamp due;
};

struct ClearTimer {
    std::string name;
    std::optional<std::int64_t> participant{};
};

// Store domain::to_string(state) in participants.vendor_status.
struct SetVendorStatus {
    std::int64_t participant = 0;
    domain::VendorState state = domain::VendorState::pending;
};

// Something needs a person's judgement, or a request was refused: tell the coordinators.
struct NotifyCoordinator {
    std::string text;
};

struct SetStartDate {
    core::Timestamp date;
};

struct SetTrack {
    domain::Track track = domain::Track::undecided;
};

// nullopt clears the agreed date (publication cancelled).
struct SetPublicationDate {
    std::optional<core::Timestamp> when;
};

// Both sides agreed to exchange mail through the bot: relaying between the discoverer and
// this vendor is turned on (or off again).
struct SetDirectContact {
    std::int64_t participant = 0;
    bool on = true;
};

// A vendor answered for the first time: remember it (reminders no longer apply).
struct MarkReplied {
    std::int64_t participant = 0;
};

// The coordinator agreed that this vendor may notify its users before publication.
struct AllowPreNotice {
    std::int64_t participant = 0;
};

// A coordinator set a fact of the public advisory: recorded, no change of state.
struct RecordAdvisoryFact {
    AdvisoryFactCommand fact;
};

using Command =
    std::variant<OpenCase, SendTemplate, RecordAudit, SetTimer, ClearTimer, SetVendorStatus,
                 NotifyCoordinator, SetStartDate, SetTrack, SetPublicationDate, SetDirectContact,
                 MarkReplied, AllowPreNotice, RecordAdvisoryFact>;

// --- state --------------------------------------------------------------------------
struct VendorSnapshot {
    std::int64_t participant = 0;
    domain::VendorState state = domain::VendorState::pending;
    bool replied = false;  // has answered at least once (stops reminders)
    bool pre_notice_allowed = false;
    bool relay = false;  // mail between this vendor and the discoverer is passed on
};

struct ArmedTimer {
    std::string name;
    std::optional<std::int64_t> participant;
    core::Timestamp due;
};

// Everything step() needs to know about a case; the app loads it from the store.
struct CaseSnapshot {
    domain::CaseState state = domain::CaseState::received;
    domain::Track track = domain::Track::undecided;
    std::optional<core::Timestamp> start_date;        // 起算日
    std::optional<core::Timestamp> publication_date;  // agreed, UTC
    std::optional<core::Timestamp> details_sent_at;   // web track
    std::vector<VendorSnapshot> vendors;              // product track: one per vendor participant
    std::vector<ArmedTimer> timers;
};

struct StepOutcome {
    std::optional<domain::CaseState> state;  // nullopt: still no case (e.g. ignored mail)
    std::vector<Command> commands;
};

// `state` is nullopt when the event belongs to no case yet. An event that is not allowed
// in the state gives an error (ErrorKind::conflict) that explains why and what is allowed.
core::Result<StepOutcome> step(std::optional<domain::CaseState> state, const Event& event,
                               const rules::RuleSet& rules, core::Timestamp now);

// The full form, for cases whose vendors, dates and timers matter.
core::Result<StepOutcome> step(const CaseSnapshot& snapshot, const Event& event,
                               const rules::RuleSet& rules, core::Timestamp now);

// Every template name step() can ask for, so the app can check at start-up that all exist.
const std::vector<std::string>& template_names();

}  // namespace cvd::workflow
