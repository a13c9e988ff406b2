// Coordinator commands on a case: naming the vendor or operator they concern, stepping each
// line on its own, and the transcript of what was done and refused.

#include <algorithm>

#include "case_engine.hpp"
#include "cvdbot/core/text.hpp"
#include "cvdbot/store/vendor_directory.hpp"
#include "cvdbot/workflow/commands.hpp"
#include "directory_participant.hpp"

namespace cvd::app {

using core::Result;
using core::Status;
using domain::Role;

namespace {

bool needs_vendor(workflow::Verb verb, domain::Track track) {
    using workflow::Verb;
    switch (verb) {
        case Verb::contact_vendor:
        case Verb::vendor_status:
        case Verb::no_agreement:
        case Verb::cancel_publication:
        case Verb::allow_pre_notice:
        case Verb::direct_contact:
        case Verb::relay:
            return true;
        case Verb::send_details:
        case Verb::unreachable:
            return track != domain::Track::web;
        default:
            return false;
    }
}

std::string describe(const workflow::CoordinatorCommand& c) {
    std::string out(workflow::to_string(c.verb));
    if (!c.text.empty()) out += " " + c.text;
    return out;
}

}  // namespace

std::string Transcript::text() const {
    std::string out;
    for (const auto& l : lines) {
        out += "line " + std::to_string(l.line) + ": " + l.command + "\n";
        out += std::string(l.done ? "  done: " : "  REFUSED: ") + l.result + "\n";
    }
    if (lines.empty()) out = "(no command lines found)\n";
    return out;
}

bool Transcript::all_done() const {
    return std::all_of(lines.begin(), lines.end(), [](const auto& l) { return l.done; });
}

Result<std::optional<std::int64_t>> CaseEngine::resolve_vendor(const domain::Case& the_case,
                                                               const std::string& text,
                                                               bool may_add, core::Timestamp now) {
    using R = std::optional<std::int64_t>;
    if (text.empty()) return R{};
    auto people = store_.participants(the_case.row_id);
    if (!people) return people.error();
    const std::string wanted(core::trim(text));
    const std::string as_address = domain::normalize_address(wanted);
    for (const auto& p : *people) {
        if (p.role != Role::vendor) continue;
        if (wanted == "#" + std::to_string(p.row_id) ||
            core::iequals_ascii(p.organisation, wanted) || p.address == as_address ||
            std::find(p.other_addresses.begin(), p.other_addresses.end(), as_address) !=
                p.other_addresses.end())
            return R{p.row_id};
    }
    if (!may_add) return R{};
    store::VendorDirectory directory(store_);
    auto listed = directory.find_by_name(wanted);
    if (!listed) return listed.error();
    domain::Participant vendor;
    vendor.case_row_id = the_case.row_id;
    vendor.role = Role::vendor;
    if (*listed) {
        vendor = vendor_participant(**listed, vendor);
    } else if (core::is_plausible_addr_spec(wanted)) {
        vendor.address = as_address;
        vendor.organisation = std::string(core::address_domain(as_address));
    } else {
        return R{};
    }
    if (vendor.address.empty()) return R{};
    auto added = store_.add_participant(vendor, now);
    if (!added) return added.error();
    if (*listed)
        if (auto s = register_directory_keys(store_, **listed, *added, now); !s) return s.error();
    return R{added->row_id};
}

Status CaseEngine::add_site_operator(const domain::Case& the_case, const std::string& text,
                                     core::Timestamp now) {
    // "contact operator ADDRESS [SITE-URL]"
    std::vector<std::string> words;
    for (const auto part : core::split(core::trim(text), ' '))
        if (!part.empty()) words.emplace_back(part);
    if (words.empty() || !core::is_plausible_addr_spec(words.front()))
        return core::make_error(core::ErrorKind::invalid_input,
                                "contact operator: give the operator's address first, e.g. "
                                "`contact operator security@shop.example https://shop.example/`");
    domain::Participant op;
    op.case_row_id = the_case.row_id;
    op.role = Role::site_operator;
    op.address = domain::normalize_address(words.front());
    if (words.size() > 1) op.organisation = core::sanitize_utf8(words[1]);
    auto added = store_.add_participant(op, now);
    if (!added) return added.error();
    return {};
}

Result<Transcript> CaseEngine::run_commands(const domain::Case& the_case, std::string_view text,
                                            bool authorised, const Cause& cause,
                                            core::Timestamp now) {
    Transcript transcript;
    const auto parsed = workflow::parse_commands(text);
    auto status = store_.transaction([&]() -> Status {
        for (const auto& line : parsed.commands) {
            TranscriptLine t{line.line, describe(line.command), false, ""};
            // Each line in a savepoint: a refused line undoes only itself.
            auto done = store_.savepoint([&]() -> Status {
                auto current = store_.case_by_row(the_case.row_id);
                if (!current) return current.error();
                if (!*current)
                    return core::make_error(core::ErrorKind::internal, "the case vanished");
                auto command = line.command;
                if (authorised && needs_vendor(command.verb, (*current)->track)) {
                    auto vendor =
                        resolve_vendor(**current, command.text,
                                       command.verb == workflow::Verb::contact_vendor, now);
                    if (!vendor) return vendor.error();
                    command.participant = *vendor;
                }
                if (authorised && command.verb == workflow::Verb::contact_operator &&
                    !command.text.empty())
                    if (auto s = add_site_operator(**current, command.text, now); !s) return s;
                auto snap = snapshot(**current);
                if (!snap) return snap.error();
                auto outcome = workflow::step(
                    *snap, workflow::CoordinatorCommandReceived{command, authorised}, rules_, now);
                if (!outcome) return outcome.error();
                auto applied = apply(**current, *outcome, cause, now);
                if (!applied) return applied.error();
                for (const auto& e : applied->effects)
                    t.result += (t.result.empty() ? "" : "; ") + e;
                if (t.result.empty()) t.result = "recorded";
                return {};
            });
            if (!done) {
                // Our own failures (disk, database) stop everything: the mail is retried.
                if (done.error().kind == core::ErrorKind::io ||
                    done.error().kind == core::ErrorKind::internal)
                    return done;
                t.result = done.error().message;
            }
            t.done = done.ok();
            transcript.lines.push_back(std::move(t));
        }
        for (const auto& e : parsed.errors)
            transcript.lines.push_back({e.line, "(unreadable)", false, e.message});
        std::sort(transcript.lines.begin(), transcript.lines.end(),
                  [](const auto& a, const auto& b) { return a.line < b.line; });
        return {};
    });
    if (!status) return status.error();
    return transcript;
}

}  // namespace cvd::app
