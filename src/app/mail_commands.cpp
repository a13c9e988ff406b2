// `cvdbot mail inspect FILE [--json]`: how cvdbot reads a message, for administrators.

#include <fstream>
#include <iostream>
#include <sstream>

#include "cli.hpp"
#include "cvdbot/mail/describe.hpp"
#include "cvdbot/mail/parser.hpp"

namespace cvd::app {

namespace {
core::Status inspect(Cli& cli, const std::string& path, bool json) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return core::make_error(core::ErrorKind::invalid_input, path + ": cannot read");
    std::ostringstream raw;
    raw << in.rdbuf();
    mail::DescribeOptions options;
    // The case prefix comes from the configuration when there is one; inspecting a file
    // must work without it.
    options.case_prefix = "CVD";
    if (auto config = cli.config(); config) options.case_prefix = (*config)->bot.case_prefix;
    const auto message = mail::parse_message(raw.str());
    std::cout << (json ? mail::message_to_json(message, options) : mail::describe_message(message, options));
    if (json) std::cout << "\n";
    return {};
}
}  // namespace

void add_mail_commands(Cli& cli) {
    auto* mail_cmd = cli.app.add_subcommand("mail", "look at mail the way cvdbot reads it");
    mail_cmd->require_subcommand(1);
    auto* inspect_cmd = mail_cmd->add_subcommand(
        "inspect", "decoded headers, threading keys, case tag, automatic-mail verdict, body, attachments, warnings");
    auto path = std::make_shared<std::string>();
    auto json = std::make_shared<bool>(false);
    inspect_cmd->add_option("FILE", *path, "a message file (RFC 5322)")->required();
    inspect_cmd->add_flag("--json", *json, "machine-readable output");
    inspect_cmd->callback([&cli, path, json] {
        if (auto s = inspect(cli, *path, *json); !s) cli.fail(s.error());
    });
}

}  // namespace cvd::app
