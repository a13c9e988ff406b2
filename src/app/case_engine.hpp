#pragma once
// Carries the workflow's decisions out. The workflow core decides (pure step()); the engine
// loads what step() needs from the store and applies the commands it returns: state, dates,
// vendors' status, timers, audit entries and outgoing mail. It never opens a transaction of
// its own except where it says so, so one event's effects commit or fail together.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config.hpp"
#include "cvdbot/core/result.hpp"
#include "cvdbot/render/template_set.hpp"
#include "cvdbot/rules/rule_set.hpp"
#include "cvdbot/store/store.hpp"
#include "cvdbot/workflow/step.hpp"
#include "outgoing.hpp"

namespace cvd::app {

// Who or what caused an event, for the audit log and for threading replies.
struct Cause {
    std::string actor = "bot";  // "bot", a coordinator's address, "cli:<user>"
    std::optional<std::int64_t> message_row_id;
    ReplyContext reply;  // the message being answered, when there is one
    // The mail's sender when the event is their mail: whatever the bot sends back to them
    // (acknowledgment, status reply) counts against the reply limits ([limits]).
    std::string limited_sender{};
};

// For OpenCase: what the new case is made of.
struct NewCaseFacts {
    std::string title;
    std::string language;  // of the report
};

// What applying an outcome did, one line each, for logs and transcripts.
struct Applied {
    std::optional<domain::Case> the_case;       // after the event (a new case for OpenCase)
    std::optional<domain::Participant> opened_by;  // the discoverer of a new case
    std::vector<std::string> effects;
};

// One command line of a coordinator's mail (or `case do`) and what became of it.
struct TranscriptLine {
    int line = 0;
    std::string command;  // as understood
    bool done = false;
    std::string result;  // what was done, or why it was refused
};

struct Transcript {
    std::vector<TranscriptLine> lines;
    std::string text() const;  // for the transcript mail and the terminal
    bool all_done() const;
};

class CaseEngine {
public:
    CaseEngine(store::Store& store, const render::TemplateSet& templates, const rules::RuleSet& rules,
               const Config& config, OutgoingCrypto crypto)
        : store_(store), templates_(templates), rules_(rules), config_(config), crypto_(crypto) {}

    core::Result<workflow::CaseSnapshot> snapshot(const domain::Case& the_case);

    // Applies a step outcome (inside the caller's transaction).
    core::Result<Applied> apply(std::optional<domain::Case> the_case, const workflow::StepOutcome& outcome,
                                const Cause& cause, core::Timestamp now, const NewCaseFacts& facts = {});

    // step() + apply() for an event on an existing case. A refusal (ErrorKind::conflict or
    // invalid_input) changes nothing.
    core::Result<Applied> run(const domain::Case& the_case, const workflow::Event& event, const Cause& cause,
                              core::Timestamp now);

    // Command lines from a coordinator, in one transaction: each line is stepped on its own;
    // a refused line changes nothing and the lines before it stay done. `authorised` is
    // true only for a verified registered coordinator signature (or the local CLI).
    core::Result<Transcript> run_commands(const domain::Case& the_case, std::string_view text, bool authorised,
                                          const Cause& cause, core::Timestamp now);

    // Fires every armed timer due by `now` through step(), each exactly once: the timer's
    // armed->fired change and its effects commit together. Returns how many fired.
    core::Result<int> fire_due_timers(core::Timestamp now);

    // Sends the confidential messages held for a key to every recipient who has one now.
    core::Result<int> release_held(core::Timestamp now);

    // The variables every template may use, for this case and recipient.
    core::Result<render::Variables> case_variables(const domain::Case& the_case, const domain::Participant& recipient,
                                                   const workflow::SendTemplate* send, core::Timestamp now);

    // A vendor's reply with the advisory_review correction form: the statement recorded, other
    // corrections kept for the coordinators, audited as advisory_correction, coordinators told.
    // Mail without the form changes nothing.
    core::Status record_advisory_correction(const domain::Case& the_case, const domain::Participant& vendor,
                                            std::string_view text, const Cause& cause, core::Timestamp now);

    // A message given up on (e.g. SMTP 5xx): every coordinator is told, in the case's thread.
    core::Status tell_coordinators(std::int64_t case_row_id, const std::string& text, core::Timestamp now);

    // Mail refused for good (SMTP 5xx) at `refused`: a vendor of the case refused at every
    // address it has becomes a DeliveryRefused event (inside the caller's transaction).
    core::Status delivery_refused(std::int64_t case_row_id, const std::vector<std::string>& refused,
                                  core::Timestamp now);

private:
    core::Result<std::vector<domain::Participant>> recipients(const domain::Case& the_case,
                                                              const workflow::SendTemplate& send);
    // The vendor a command names (organisation, address or participant number); for
    // `contact vendor` a vendor from the directory (or a plain address) joins the case.
    core::Result<std::optional<std::int64_t>> resolve_vendor(const domain::Case& the_case, const std::string& text,
                                                             bool may_add, core::Timestamp now);
    core::Result<bool> has_encryption_key(const domain::Participant& recipient);
    // Renders `send` for `recipient` in their language and queues it.
    core::Status queue_template(const domain::Case& the_case, const domain::Participant& recipient,
                                const workflow::SendTemplate& send, const ReplyContext& reply, core::Timestamp now,
                                bool attach_bot_key);
    // Queues the message, or, for a confidential template to someone without a key, holds it
    // and asks them for a key. Returns what it did.
    core::Result<std::string> send_or_hold(const domain::Case& the_case, const domain::Participant& recipient,
                                           const workflow::SendTemplate& send, const ReplyContext& reply,
                                           core::Timestamp now);
    core::Status add_site_operator(const domain::Case& the_case, const std::string& text, core::Timestamp now);
    // Renders `send` for every configured coordinator and queues it (encrypted to their keys).
    core::Status send_to_coordinators(const domain::Case& the_case, const workflow::SendTemplate& send,
                                      core::Timestamp now);
    // The credit name the templates use for the case's discoverer ("" without one).
    core::Result<std::string> discoverer_credit(const domain::Case& the_case, core::Timestamp now);
    // An advisory command: a fact recorded, the draft to the coordinators or the vendors'
    // review; returns what was done for the transcript.
    core::Result<std::string> apply_advisory(const domain::Case& the_case, const workflow::AdvisoryFactCommand& fact,
                                             const Cause& cause, core::Timestamp now);
    // `advisory review [VENDOR]`: each vendor (or the one named) gets its own section.
    core::Result<std::string> send_reviews(const domain::Case& the_case, const std::string& vendor,
                                           const Cause& cause, core::Timestamp now);
    core::Status notify_coordinators(const domain::Case& the_case, const std::string& text, const Cause& cause,
                                     core::Timestamp now);

    store::Store& store_;
    const render::TemplateSet& templates_;
    const rules::RuleSet& rules_;
    const Config& config_;
    OutgoingCrypto crypto_;
};

}  // namespace cvd::app
