#pragma once
// Coordinator command mail: one command per line, parsed into data. The text comes from
// outside (even signed mail can be garbled), so parsing never throws and reports each bad
// line with its number. Whether the sender may command at all is decided by the app.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cvdbot/core/time.hpp"
#include "cvdbot/domain/types.hpp"

namespace cvd::workflow {

enum class Verb {
    triage,  // start triage of a received report
    accept,
    reject,                // reject REASON
    stop,                  // stop REASON (取扱い中止)
    track,                 // track product|web
    contact_vendor,        // contact vendor NAME|ADDRESS
    send_details,          // send details VENDOR   (product)   | send details (web)
    vendor_status,         // vendor-status VENDOR verifying|fixing|not-affected
    set_publication_date,  // set publication-date YYYY-MM-DD [HH:MM]   (JST)
    unreachable,           // unreachable VENDOR (product) | unreachable (web)
    no_agreement,          // no-agreement VENDOR
    committee_refer,
    committee_publish,
    committee_do_not_publish,
    publish,
    cancel_publication,  // cancel publication VENDOR
    lift_nondisclosure,
    allow_pre_notice,  // allow pre-notice VENDOR
    direct_contact,    // direct-contact VENDOR   (both sides agreed)
    contact_operator,  // contact operator [ADDRESS [SITE-URL]]   (web)
    operator_status,  // operator-status fixing|fixed|not-vulnerable
    close,
    note,            // note TEXT
    set_start_date,  // set start-date YYYY-MM-DD [HH:MM]   (JST) — corrects the 起算日
    extend,          // extend DAYS   — moves the 45-day publication target or the web fix target
    relay,           // relay on|off VENDOR   — pass mail between discoverer and vendor (both agreed)
    advisory_fact,  // a fact of the public advisory (cve, cvss, advisory title ja ...): advisory_commands.cpp
};

enum class OperatorStatus { fixing, fixed, not_vulnerable };

// One fact for the public advisory, parsed for shape only; the app checks the value (a CVE id,
// a CVSS vector, a version range) when it records it. Lists (cve, reference, affected) add or,
// with `remove`, take away; every other fact is replaced.
struct AdvisoryFactCommand {
    std::string name;   // advisory_id, title, cve, cvss31, affected, vendor_statement, revision, ...
    std::string lang;   // "ja", "en", or "" for facts without language
    std::string value;  // as written; list parts are separated by " | "
    bool remove = false;
    std::string cve{};  // a CVE of the case this fact is for (description, cwe, cvss); "" = the case
};

struct CoordinatorCommand {
    Verb verb = Verb::note;
    std::string text{};  // reason, note, or the vendor as written (name or address)
    std::optional<domain::Track> track{};
    std::optional<core::Timestamp> when{};  // publication date, converted from JST
    std::optional<domain::VendorState> vendor_state{};
    std::optional<OperatorStatus> operator_status{};
    std::optional<int> days{};  // extend
    std::optional<bool> flag{};  // relay on|off
    // The vendor participant the app resolved `text` to; vendor-level verbs need it.
    std::optional<std::int64_t> participant{};
    std::optional<AdvisoryFactCommand> fact{};  // Verb::advisory_fact
};

struct CommandLine {
    int line = 0;  // 1-based line in the body
    CoordinatorCommand command;
};

struct CommandLineError {
    int line = 0;
    std::string message;
};

struct ParsedCommands {
    std::vector<CommandLine> commands;
    std::vector<CommandLineError> errors;
};

// Blank lines, quoted lines ("> ...") and everything after a signature separator ("-- ")
// are skipped, so a coordinator can reply to a bot message with commands on top.
ParsedCommands parse_commands(std::string_view text);

// "2027-01-15" or "2027-01-15 10:00", Japan time (no DST); nullopt if not a real date.
std::optional<core::Timestamp> parse_jst_datetime(std::string_view date, std::string_view time);

std::string_view to_string(Verb verb);

}  // namespace cvd::workflow
