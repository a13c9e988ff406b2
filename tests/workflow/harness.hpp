#pragma once
// Plays the app's part in tests: carries out the commands on a CaseSnapshot.

#include <algorithm>
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "cvdbot/workflow/step.hpp"

namespace cvd::workflow::test {

inline core::Timestamp at(const char* iso) {
    return *core::parse_iso8601(iso);
}

template <typename T>
std::vector<T> commands_of(const StepOutcome& outcome) {
    std::vector<T> found;
    for (const auto& c : outcome.commands)
        if (const auto* t = std::get_if<T>(&c)) found.push_back(*t);
    return found;
}

inline bool sends(const StepOutcome& o, const std::string& tmpl, domain::Role role,
                  std::optional<std::int64_t> participant = std::nullopt) {
    for (const auto& s : commands_of<SendTemplate>(o))
        if (s.template_name == tmpl && s.recipient_role == role &&
            (!participant || s.participant == participant))
            return true;
    return false;
}

inline void apply(CaseSnapshot& c, const StepOutcome& o) {
    if (o.state) c.state = *o.state;
    for (const auto& cmd : o.commands) {
        if (const auto* v = std::get_if<SetVendorStatus>(&cmd)) {
            auto it = std::find_if(c.vendors.begin(), c.vendors.end(),
                                   [&](const auto& x) { return x.participant == v->participant; });
            if (it == c.vendors.end())
                c.vendors.push_back({v->participant, v->state, false, false});
            else
                it->state = v->state;
        } else if (const auto* s = std::get_if<SetStartDate>(&cmd)) {
            c.start_date = s->date;
        } else if (const auto* t = std::get_if<SetTimer>(&cmd)) {
            // As the app does: arming again replaces the armed timer of that name.
            c.timers.erase(std::remove_if(c.timers.begin(), c.timers.end(),
                                          [&](const auto& x) {
                                              return x.name == t->name &&
                                                     x.participant == t->participant;
                                          }),
                           c.timers.end());
            c.timers.push_back({t->name, t->participant, t->due});
        } else if (const auto* t = std::get_if<ClearTimer>(&cmd)) {
            c.timers.erase(std::remove_if(c.timers.begin(), c.timers.end(),
                                          [&](const auto& x) {
                                              return x.name == t->name &&
                                                     x.participant == t->participant;
                                          }),
                           c.timers.end());
        } else if (const auto* p = std::get_if<SetPublicationDate>(&cmd)) {
            c.publication_date = p->when;
        } else if (const auto* tr = std::get_if<SetTrack>(&cmd)) {
            c.track = tr->track;
        } else if (const auto* r = std::get_if<MarkReplied>(&cmd)) {
            for (auto& v : c.vendors)
                if (v.participant == r->participant) v.replied = true;
        } else if (const auto* d = std::get_if<SetDirectContact>(&cmd)) {
            for (auto& v : c.vendors)
                if (v.participant == d->participant) v.relay = d->on;
        } else if (const auto* a = std::get_if<AllowPreNotice>(&cmd)) {
            for (auto& v : c.vendors)
                if (v.participant == a->participant) v.pre_notice_allowed = true;
        }
    }
}

inline const ArmedTimer* timer(const CaseSnapshot& c, const std::string& name,
                               std::optional<std::int64_t> participant = std::nullopt) {
    for (const auto& t : c.timers)
        if (t.name == name && t.participant == participant) return &t;
    return nullptr;
}

// A coordinator command, signed; `participant` is what the app resolved the vendor to.
inline Event order(const std::string& line,
                   std::optional<std::int64_t> participant = std::nullopt) {
    auto parsed = parse_commands(line);
    CoordinatorCommand c = parsed.commands.at(0).command;
    c.participant = participant;
    return CoordinatorCommandReceived{c, true};
}

// Runs one event, requires success, applies it.
inline StepOutcome run(CaseSnapshot& c, const Event& e, const rules::RuleSet& rules,
                       core::Timestamp now) {
    auto out = step(c, e, rules, now);
    if (!out) FAIL(out.error().message);
    const auto& names = template_names();
    for (const auto& s : commands_of<SendTemplate>(*out))
        CHECK(std::find(names.begin(), names.end(), s.template_name) != names.end());
    apply(c, *out);
    return *out;
}

// Fires a timer that is armed, as the app's tick would at its due time.
inline StepOutcome fire(CaseSnapshot& c, const std::string& name,
                        std::optional<std::int64_t> participant, const rules::RuleSet& rules) {
    const ArmedTimer* t = timer(c, name, participant);
    REQUIRE(t);
    const auto due = t->due;
    ClearTimer clear{name, participant};
    apply(c, StepOutcome{std::nullopt, {clear}});
    return run(c, TimerFired{name, participant}, rules, due);
}

}  // namespace cvd::workflow::test
