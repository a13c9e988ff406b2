#include "cvdbot/workflow/commands.hpp"

#include <array>
#include <chrono>
#include <cstring>
#include <utility>

#include "advisory_commands.hpp"
#include "cvdbot/core/text.hpp"

namespace cvd::workflow {

namespace {

// Bounds against a garbled or hostile body: a coordinator never needs more.
constexpr std::size_t kMaxLineBytes = 2000;
constexpr int kMaxCommands = 100;

struct Spelling {
    Verb verb;
    std::string_view words;  // how the command starts, lower case, single spaces
};

// Longest spellings first so "committee publish" is not read as "committee" + junk.
constexpr std::array<Spelling, 32> kSpellings{{
    {Verb::committee_do_not_publish, "committee do-not-publish"},
    {Verb::committee_publish, "committee publish"},
    // The first spelling of a verb is its name; these are accepted too.
    {Verb::committee_do_not_publish, "committee decide do-not-publish"},
    {Verb::committee_publish, "committee decide publish"},
    {Verb::set_publication_date, "set-publication-date"},
    {Verb::set_start_date, "set start-date"},
    {Verb::set_start_date, "set-start-date"},
    {Verb::committee_refer, "committee refer"},
    {Verb::set_publication_date, "set publication-date"},
    {Verb::cancel_publication, "cancel publication"},
    {Verb::lift_nondisclosure, "lift nondisclosure"},
    {Verb::contact_vendor, "contact vendor"},
    {Verb::contact_vendor, "contact-vendor"},
    {Verb::contact_operator, "contact operator"},
    {Verb::contact_operator, "contact-operator"},
    {Verb::send_details, "send details"},
    {Verb::send_details, "send-details"},
    {Verb::allow_pre_notice, "allow pre-notice"},
    {Verb::vendor_status, "vendor-status"},
    {Verb::operator_status, "operator-status"},
    {Verb::direct_contact, "direct-contact"},
    {Verb::no_agreement, "no-agreement"},
    {Verb::unreachable, "unreachable"},
    {Verb::triage, "triage"},
    {Verb::accept, "accept"},
    {Verb::reject, "reject"},
    {Verb::stop, "stop"},
    {Verb::track, "track"},
    {Verb::publish, "publish"},
    {Verb::close, "close"},
    {Verb::extend, "extend"},
    {Verb::relay, "relay"},
}};

std::string collapse_spaces(std::string_view text) {
    std::string out;
    for (char c : text) {
        const bool space = c == ' ' || c == '\t';
        if (space && (out.empty() || out.back() == ' ')) continue;
        out += space ? ' ' : c;
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
}

std::optional<domain::VendorState> vendor_state_word(std::string_view word) {
    if (word == "verifying") return domain::VendorState::verifying;
    if (word == "fixing") return domain::VendorState::fixing;
    if (word == "not-affected") return domain::VendorState::not_affected;
    if (word == "details-sent") return domain::VendorState::details_sent;
    return std::nullopt;
}

struct LineResult {
    std::optional<CoordinatorCommand> command;
    std::string error;
};

LineResult parse_line(const std::string& line) {
    const std::string lower = core::to_lower_ascii(line);
    std::string advisory_error;
    if (auto fact = detail::parse_advisory_fact(line, advisory_error)) {
        const std::string shown = (fact->cve.empty() ? "" : "cve " + fact->cve + " ") + fact->name + (fact->remove ? " remove" : "") +
                                  (fact->lang.empty() ? "" : " " + fact->lang) + " " + fact->value;
        return {CoordinatorCommand{.verb = Verb::advisory_fact, .text = shown, .fact = std::move(*fact)}, ""};
    }
    if (!advisory_error.empty()) return {std::nullopt, advisory_error};
    if (lower == "note" || lower.rfind("note ", 0) == 0)
        return {CoordinatorCommand{Verb::note, std::string(core::trim(line.substr(4)))}, ""};
    for (const auto& s : kSpellings) {
        const std::string words(s.words);
        if (lower != words && lower.rfind(words + " ", 0) != 0) continue;
        const std::string rest = line.size() > words.size() ? line.substr(words.size() + 1) : "";
        CoordinatorCommand c{s.verb, rest};
        const auto need = [&](const char* what) -> LineResult {
            return {std::nullopt, std::string(s.words) + " needs " + what};
        };
        const auto nothing_more = [&]() -> LineResult {
            if (!rest.empty()) return {std::nullopt, std::string(s.words) + " takes no argument"};
            c.text.clear();
            return {c, ""};
        };
        switch (s.verb) {
            case Verb::reject:
            case Verb::stop:
                if (rest.empty()) return need("a reason");
                return {c, ""};
            case Verb::note:
                return {c, ""};
            case Verb::unreachable:
                return {c, ""};  // a vendor on the product track, none on the web track
            case Verb::contact_vendor:
            case Verb::no_agreement:
            case Verb::cancel_publication:
            case Verb::allow_pre_notice:
            case Verb::direct_contact:
                if (rest.empty()) return need("a vendor (name or address)");
                return {c, ""};
            case Verb::send_details:
                return {c, ""};  // with a vendor on the product track, without on the web track
            case Verb::contact_operator:
                return {c, ""};  // optionally the operator's address and site URL, to add them
            case Verb::track: {
                const std::string t = core::to_lower_ascii(rest);
                if (t == "product")
                    c.track = domain::Track::product;
                else if (t == "web")
                    c.track = domain::Track::web;
                else
                    return need("product or web");
                c.text.clear();
                return {c, ""};
            }
            case Verb::vendor_status: {
                const auto space = rest.rfind(' ');
                if (space == std::string::npos)
                    return need("a vendor and verifying|fixing|not-affected");
                c.vendor_state = vendor_state_word(core::to_lower_ascii(rest.substr(space + 1)));
                if (!c.vendor_state)
                    return {std::nullopt, "vendor-status: unknown status \"" +
                                              rest.substr(space + 1) +
                                              "\" (use verifying, fixing or not-affected)"};
                c.text = rest.substr(0, space);
                return {c, ""};
            }
            case Verb::operator_status: {
                const std::string t = core::to_lower_ascii(rest);
                if (t == "fixing")
                    c.operator_status = OperatorStatus::fixing;
                else if (t == "fixed")
                    c.operator_status = OperatorStatus::fixed;
                else if (t == "not-vulnerable")
                    c.operator_status = OperatorStatus::not_vulnerable;
                else
                    return need("fixing, fixed or not-vulnerable");
                c.text.clear();
                return {c, ""};
            }
            case Verb::set_publication_date:
            case Verb::set_start_date: {
                const auto space = rest.find(' ');
                const std::string date = rest.substr(0, space);
                const std::string time = space == std::string::npos ? "" : rest.substr(space + 1);
                c.when = parse_jst_datetime(date, time);
                if (!c.when)
                    return {std::nullopt,
                            std::string(s.words) + " needs a date YYYY-MM-DD and optionally a "
                            "time HH:MM (Japan time), got \"" +
                                rest + "\""};
                c.text.clear();
                return {c, ""};
            }
            case Verb::relay: {
                const std::string lower_rest = core::to_lower_ascii(rest);
                for (const auto& [word, on] : {std::pair{"on ", true}, std::pair{"off ", false}})
                    if (lower_rest.rfind(word, 0) == 0 && rest.size() > std::strlen(word)) {
                        c.flag = on;
                        c.text = std::string(core::trim(rest.substr(std::strlen(word))));
                        return {c, ""};
                    }
                return need("on or off and a vendor, e.g. relay on psirt@example.com");
            }
            case Verb::extend: {
                const bool digits = !rest.empty() && rest.size() <= 3 &&
                                    rest.find_first_not_of("0123456789") == std::string::npos;
                const int n = digits ? std::stoi(rest) : 0;
                if (n < 1 || n > 365) return need("a number of days from 1 to 365");
                c.days = n;
                c.text.clear();
                return {c, ""};
            }
            default:
                return nothing_more();
        }
    }
    return {std::nullopt, "unknown command \"" + line.substr(0, line.find(' ')) + "\""};
}

}  // namespace

std::optional<core::Timestamp> parse_jst_datetime(std::string_view date, std::string_view time) {
    using namespace std::chrono;
    const auto digits = [](std::string_view s) {
        for (char c : s)
            if (c < '0' || c > '9') return false;
        return !s.empty();
    };
    if (date.size() != 10 || date[4] != '-' || date[7] != '-' || !digits(date.substr(0, 4)) ||
        !digits(date.substr(5, 2)) || !digits(date.substr(8, 2)))
        return std::nullopt;
    const year_month_day ymd{
        year{std::stoi(std::string(date.substr(0, 4)))},
        month{static_cast<unsigned>(std::stoi(std::string(date.substr(5, 2))))},
        day{static_cast<unsigned>(std::stoi(std::string(date.substr(8, 2))))}};
    if (!ymd.ok()) return std::nullopt;
    int hh = 0, mm = 0;
    if (!time.empty()) {
        if (time.size() != 5 || time[2] != ':' || !digits(time.substr(0, 2)) ||
            !digits(time.substr(3, 2)))
            return std::nullopt;
        hh = std::stoi(std::string(time.substr(0, 2)));
        mm = std::stoi(std::string(time.substr(3, 2)));
        if (hh > 23 || mm > 59) return std::nullopt;
    }
    return core::Timestamp{sys_days{ymd}.time_since_epoch() + hours{hh} + minutes{mm} - hours{9}};
}

ParsedCommands parse_commands(std::string_view text) {
    ParsedCommands out;
    int number = 0;
    std::size_t pos = 0;
    while (pos <= text.size()) {
        auto end = text.find('\n', pos);
        if (end == std::string_view::npos) end = text.size();
        std::string_view raw = text.substr(pos, end - pos);
        pos = end + 1;
        ++number;
        if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
        if (raw == "-- ") break;  // signature: what follows is not ours
        if (raw.size() > kMaxLineBytes) {
            out.errors.push_back(
                {number, "line too long (over " + std::to_string(kMaxLineBytes) + " bytes)"});
            continue;
        }
        const std::string line = collapse_spaces(core::trim(raw));
        if (line.empty() || line[0] == '>') continue;
        if (static_cast<int>(out.commands.size()) >= kMaxCommands) {
            out.errors.push_back({number, "too many commands in one mail (at most " +
                                              std::to_string(kMaxCommands) + ")"});
            break;
        }
        auto parsed = parse_line(line);
        if (parsed.command)
            out.commands.push_back({number, std::move(*parsed.command)});
        else
            out.errors.push_back({number, std::move(parsed.error)});
        if (end == text.size()) break;
    }
    return out;
}

std::string_view to_string(Verb verb) {
    if (verb == Verb::advisory_fact) return "advisory";
    for (const auto& s : kSpellings)
        if (s.verb == verb) return s.words;
    return "note";
}

}  // namespace cvd::workflow
