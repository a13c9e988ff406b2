#include "case_commands.hpp"

#include <fmt/format.h>

#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "case_view.hpp"
#include "cli.hpp"
#include "cvdbot/core/case_id.hpp"
#include "cvdbot/store/vendor_directory.hpp"
#include "directory_participant.hpp"
#include "threading.hpp"

namespace cvd::app {

namespace {

core::Result<core::CaseId> case_id_of(const std::string& text) {
    const auto id = core::parse_case_id(text);
    if (!id)
        return core::make_error(core::ErrorKind::invalid_input,
                                "'" + text + "' is not a case id (expected e.g. CVD#2026-0001)");
    return *id;
}

// mboxrd: "From " lines (and already-quoted ">From ") in bodies get one more '>'.
void write_mbox_message(std::ostream& out, const std::string& sender, core::Timestamp at, const std::string& raw) {
    const auto t = std::chrono::system_clock::to_time_t(at);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char date[64];
    std::strftime(date, sizeof date, "%a %b %e %H:%M:%S %Y", &tm);
    out << "From " << (sender.empty() ? "MAILER-DAEMON" : sender) << " " << date << "\n";
    std::size_t start = 0;
    while (start < raw.size()) {
        auto end = raw.find('\n', start);
        std::string_view line(raw.data() + start, (end == std::string::npos ? raw.size() : end) - start);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        const auto first = line.find_first_not_of('>');
        if (first != std::string_view::npos && line.substr(first, 5) == "From ") out << '>';
        out << line << "\n";
        if (end == std::string::npos) break;
        start = end + 1;
    }
    out << "\n";
}

}  // namespace

core::Status print_case_list(store::Store& store, const store::CaseFilter& filter, bool json, std::ostream& out) {
    auto cases = store.list_cases(filter);
    if (!cases) return cases.error();
    if (json) {
        nlohmann::json list = nlohmann::json::array();
        for (const auto& c : *cases)
            list.push_back({{"id", c.record.id.str()},
                            {"state", domain::to_string(c.record.state)},
                            {"track", domain::to_string(c.record.track)},
                            {"title", c.record.title},
                            {"created_at", core::format_iso8601(c.record.created_at)},
                            {"discoverer", c.discoverer},
                            {"vendors", c.vendors},
                            {"messages", c.message_count},
                            {"next_due", c.next_due ? nlohmann::json(core::format_iso8601(*c.next_due)) : nullptr}});
        out << list.dump(2) << "\n";
        return {};
    }
    if (cases->empty()) {
        out << "no cases\n";
        return {};
    }
    out << fmt::format("{:<16} {:<10} {:<9} {:<20} {:>8}  {:<28} {:<20} {}\n", "CASE", "STATE", "TRACK", "OPENED",
                       "MESSAGES", "DISCOVERER", "VENDORS", "TITLE");
    for (const auto& c : *cases) {
        std::string vendors;
        for (const auto& v : c.vendors) vendors += (vendors.empty() ? "" : ", ") + v;
        out << fmt::format("{:<16} {:<10} {:<9} {:<20} {:>8}  {:<28} {:<20} {}\n", c.record.id.str(),
                           domain::to_string(c.record.state), domain::to_string(c.record.track),
                           core::format_iso8601(c.record.created_at), c.message_count, c.discoverer,
                           vendors.empty() ? "-" : vendors, c.record.title);
    }
    return {};
}

core::Status print_case(store::Store& store, const std::string& case_id, bool json, std::ostream& out,
                        const std::string& default_language) {
    auto id = case_id_of(case_id);
    if (!id) return id.error();
    auto view = load_case_view(store, *id);
    if (!view) return view.error();
    out << (json ? to_json(*view).dump(2) + "\n" : format_case_view(*view, default_language));
    return {};
}

core::Status export_case_mbox(store::Store& store, const std::string& case_id, std::ostream& out) {
    auto id = case_id_of(case_id);
    if (!id) return id.error();
    auto view = load_case_view(store, *id);
    if (!view) return view.error();
    for (const auto& m : view->messages) {
        auto raw = store.raw_message(m.row_id);
        if (!raw) return raw.error();
        write_mbox_message(out, m.sender, m.stored_at, *raw);
    }
    return {};
}

namespace {

struct AddParticipantOptions {
    std::string case_id, role, address, name, organisation, language, vendor;
    std::vector<std::string> cc;
};

core::Status add_participant(Cli& cli, const AddParticipantOptions& o) {
    auto store = cli.store();
    if (!store) return store.error();
    auto config = cli.config();
    if (!config) return config.error();
    auto id = case_id_of(o.case_id);
    if (!id) return id.error();
    auto found = (*store)->find_case(*id);
    if (!found) return found.error();
    if (!*found) return core::make_error(core::ErrorKind::not_found, "no case " + id->str());
    const auto role = domain::parse_role(o.role.empty() && !o.vendor.empty() ? "vendor" : o.role);
    if (!role) return core::make_error(core::ErrorKind::invalid_input, "unknown role '" + o.role + "'");
    domain::Participant p;
    p.case_row_id = (*found)->row_id;
    p.role = *role;
    p.address = o.address;
    p.display_name = o.name;
    p.organisation = o.organisation;
    p.language = o.language;
    p.other_addresses = o.cc;
    std::optional<store::Vendor> listed;
    if (!o.vendor.empty()) {
        // From the directory: its contacts, name and language, unless given here.
        store::VendorDirectory directory(**store);
        auto vendor = directory.find_by_name(o.vendor);
        if (!vendor) return vendor.error();
        if (!*vendor) return core::make_error(core::ErrorKind::not_found, "no vendor '" + o.vendor + "' in the directory");
        p = vendor_participant(**vendor, p);
        listed = *vendor;
    }
    if (p.address.empty())
        return core::make_error(core::ErrorKind::invalid_input, "give --address, or --vendor NAME from the directory");
    const auto now = core::SystemClock().now();
    domain::Participant added;
    auto status = (*store)->transaction([&]() -> core::Status {
        auto result = (*store)->add_participant(p, now);
        if (!result) return result.error();
        added = *result;
        if (listed)
            if (auto s = register_directory_keys(**store, *listed, added, now); !s) return s;
        return (*store)->audit({0, p.case_row_id, now, "admin", "participant_added",
                                std::string(domain::to_string(*role)) + " " + added.address, std::nullopt});
    });
    if (!status) return status;
    std::cout << fmt::format("{} {} on {}; their thread address is {}\n", domain::to_string(added.role), added.address,
                             id->str(), reply_address((*config)->bot.address, added.reply_token));
    return {};
}

}  // namespace

void add_case_commands(Cli& cli) {
    auto* case_cmd = cli.app.add_subcommand("case", "look at and manage cases");
    case_cmd->require_subcommand(1);

    auto* list = case_cmd->add_subcommand("list", "list cases, optionally filtered");
    auto filter = std::make_shared<store::CaseFilter>();
    auto state = std::make_shared<std::string>();
    auto track = std::make_shared<std::string>();
    auto overdue = std::make_shared<bool>(false);
    auto list_json = std::make_shared<bool>(false);
    list->add_option("--state", *state, "only cases in this state");
    list->add_option("--track", *track, "only cases on this track: undecided, product or web");
    list->add_flag("--overdue", *overdue, "only cases with a timer that is due");
    list->add_option("--vendor", filter->vendor, "only cases with a vendor whose name or address contains this");
    list->add_option("--text", filter->text, "only cases whose title or mail contains this");
    list->add_flag("--json", *list_json, "machine-readable output");
    list->callback([&cli, filter, state, track, overdue, list_json] {
        if (!state->empty()) {
            filter->state = domain::parse_case_state(*state);
            if (!filter->state)
                return cli.fail(core::make_error(core::ErrorKind::invalid_input, "unknown state '" + *state + "'"));
        }
        if (!track->empty()) {
            filter->track = domain::parse_track(*track);
            if (!filter->track)
                return cli.fail(core::make_error(core::ErrorKind::invalid_input, "unknown track '" + *track + "'"));
        }
        if (*overdue) filter->overdue_at = core::SystemClock().now();
        auto store = cli.store();
        if (!store) return cli.fail(store.error());
        if (auto s = print_case_list(**store, *filter, *list_json, std::cout); !s) cli.fail(s.error());
    });

    auto* show = case_cmd->add_subcommand("show", "a case's participants, messages, events and timers in time order");
    auto case_id = std::make_shared<std::string>();
    auto show_json = std::make_shared<bool>(false);
    show->add_option("ID", *case_id, "case id, e.g. CVD#2026-0001")->required();
    show->add_flag("--json", *show_json, "machine-readable output (every field)");
    show->callback([&cli, case_id, show_json] {
        auto store = cli.store();
        if (!store) return cli.fail(store.error());
        auto config = cli.config();
        if (!config) return cli.fail(config.error());
        if (auto s = print_case(**store, *case_id, *show_json, std::cout, (*config)->bot.language); !s)
            cli.fail(s.error());
    });

    auto* export_cmd = case_cmd->add_subcommand("export", "write every message of a case as an mbox file");
    auto export_id = std::make_shared<std::string>();
    auto output = std::make_shared<std::string>();
    export_cmd->add_option("ID", *export_id, "case id")->required();
    export_cmd->add_option("-o,--output", *output, "file to write (default: standard output)");
    export_cmd->callback([&cli, export_id, output] {
        auto store = cli.store();
        if (!store) return cli.fail(store.error());
        if (output->empty()) {
            if (auto s = export_case_mbox(**store, *export_id, std::cout); !s) cli.fail(s.error());
            return;
        }
        std::ofstream file(*output, std::ios::binary);
        if (!file) return cli.fail(core::make_error(core::ErrorKind::io, *output + ": cannot write"));
        if (auto s = export_case_mbox(**store, *export_id, file); !s) return cli.fail(s.error());
        if (!file.flush()) cli.fail(core::make_error(core::ErrorKind::io, *output + ": write failed"));
    });

    auto* add = case_cmd->add_subcommand("add-participant", "add a vendor, site operator, coordinator or observer");
    auto options = std::make_shared<AddParticipantOptions>();
    add->add_option("ID", options->case_id, "case id")->required();
    add->add_option("--role", options->role, "discoverer, vendor, site_operator, coordinator or observer");
    add->add_option("--address", options->address, "their address");
    add->add_option("--vendor", options->vendor, "a vendor from the directory (role vendor, its contacts)");
    add->add_option("--name", options->name, "display name");
    add->add_option("--organisation", options->organisation, "organisation, e.g. the vendor's name");
    add->add_option("--language", options->language, "ja or en");
    add->add_option("--cc", options->cc, "further addresses that get a copy");
    add->callback([&cli, options] {
        if (auto s = add_participant(cli, *options); !s) cli.fail(s.error());
    });

    add_case_do_command(cli, *case_cmd);

    auto* quarantine = case_cmd->add_subcommand("quarantine", "messages held because their sender takes no part "
                                                              "in the case they name");
    quarantine->callback([&cli] {
        auto store = cli.store();
        if (!store) return cli.fail(store.error());
        auto held = (*store)->quarantined_messages();
        if (!held) return cli.fail(held.error());
        if (held->empty()) std::cout << "no quarantined messages\n";
        for (const auto& m : *held)
            std::cout << fmt::format("{:>6}  {}  {}  {}\n        {}\n", m.row_id, core::format_iso8601(m.stored_at),
                                     m.sender, m.subject, m.status_reason);
    });
}

}  // namespace cvd::app
