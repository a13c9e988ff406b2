#pragma once
// The command line: each command group registers its subcommands on the shared Cli and sets
// exit_code from its callback. Configuration and store are opened on first use.

#include <CLI/CLI.hpp>
#include <memory>
#include <optional>
#include <string>

#include "config.hpp"
#include "cvdbot/core/result.hpp"
#include "cvdbot/store/store.hpp"

namespace cvd::app {

struct Cli {
    CLI::App app{"cvdbot: coordinated vulnerability disclosure by email"};
    std::string config_path = "cvdbot.toml";
    std::string log_level = "info";
    int exit_code = 0;

    // Loaded once, on the first call; errors are returned every time.
    core::Result<Config*> config();
    core::Result<store::Store*> store();

    // Logs the error and sets the exit code: 78 for configuration problems, else 1.
    void fail(const core::Error& error);

private:
    std::optional<core::Result<Config>> config_;
    std::unique_ptr<store::Store> store_;
};

// The case an argument names ("CVD#2026-0001"), with a message a person can act on.
core::Result<domain::Case> case_argument(store::Store& store, const std::string& case_id);
// The --now option of commands tests drive: empty means the system clock.
core::Result<core::Timestamp> now_option(const std::string& iso);

void add_run_command(Cli& cli);
void add_case_commands(Cli& cli);
void add_case_do_command(Cli& cli, CLI::App& case_cmd);
void add_mail_commands(Cli& cli);
void add_vendor_commands(Cli& cli);
void add_key_commands(Cli& cli);
void add_template_commands(Cli& cli);
void add_advisory_commands(Cli& cli);

}  // namespace cvd::app
