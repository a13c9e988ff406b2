#include "case_commands.hpp"

#include <fmt/format.h>

#include <iostream>

#include "cvdbot/core/case_id.hpp"

namespace cvd::app {

core::Status print_case_list(store::Store& store, std::ostream& out) {
    auto cases = store.list_cases();
    if (!cases) return cases.error();
    if (cases->empty()) {
        out << "no cases\n";
        return {};
    }
    out << fmt::format("{:<16} {:<10} {:<20} {:>8}  {:<32} {}\n", "CASE", "STATE", "OPENED", "MESSAGES", "DISCOVERER",
                       "TITLE");
    for (const auto& c : *cases)
        out << fmt::format("{:<16} {:<10} {:<20} {:>8}  {:<32} {}\n", c.record.id.str(),
                           domain::to_string(c.record.state), core::format_iso8601(c.record.created_at),
                           c.message_count, c.discoverer, c.record.title);
    return {};
}

core::Status print_case(store::Store& store, const std::string& case_id, std::ostream& out) {
    const auto id = core::parse_case_id(case_id);
    if (!id)
        return core::make_error(core::ErrorKind::invalid_input,
                                "'" + case_id + "' is not a case id (expected e.g. CVD#2026-0001)");
    auto found = store.find_case(*id);
    if (!found) return found.error();
    if (!*found) return core::make_error(core::ErrorKind::not_found, "no case " + id->str());
    const auto& c = **found;
    out << fmt::format("Case:     {}\nState:    {}\nTitle:    {}\nOpened:   {}\nUpdated:  {}\n", c.id.str(),
                       domain::to_string(c.state), c.title, core::format_iso8601(c.created_at),
                       core::format_iso8601(c.updated_at));
    auto people = store.participants(c.row_id);
    if (!people) return people.error();
    out << "Participants:\n";
    for (const auto& p : *people)
        out << fmt::format("  {:<14} {} {}{}\n", domain::to_string(p.role), p.address,
                           p.display_name.empty() ? "" : "(" + p.display_name + ") ",
                           p.language.empty() ? "" : "language " + p.language + " (from their mail)");
    auto timeline = store.timeline(c.row_id);
    if (!timeline) return timeline.error();
    out << "Timeline:\n";
    for (const auto& e : *timeline)
        out << fmt::format("  {}  {:<8} {}\n", core::format_iso8601(e.at), e.kind, e.summary);
    return {};
}

}  // namespace cvd::app

#include "cli.hpp"

namespace cvd::app {

void add_case_commands(Cli& cli) {
    auto* case_cmd = cli.app.add_subcommand("case", "look at cases");
    case_cmd->require_subcommand(1);
    auto* list = case_cmd->add_subcommand("list", "list every case");
    list->callback([&cli] {
        auto store = cli.store();
        if (!store) return cli.fail(store.error());
        if (auto s = print_case_list(**store, std::cout); !s) cli.fail(s.error());
    });
    auto* show = case_cmd->add_subcommand("show", "a case's participants, messages and events in time order");
    auto case_id = std::make_shared<std::string>();
    show->add_option("ID", *case_id, "case id, e.g. CVD#2026-0001")->required();
    show->callback([&cli, case_id] {
        auto store = cli.store();
        if (!store) return cli.fail(store.error());
        if (auto s = print_case(**store, *case_id, std::cout); !s) cli.fail(s.error());
    });
}

}  // namespace cvd::app
