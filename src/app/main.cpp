// cvdbot: coordinated vulnerability disclosure by email.

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "cli.hpp"
#include "cvdbot/core/version.hpp"

int main(int argc, char** argv) {
    cvd::app::Cli cli;
    cli.app.set_version_flag("--version", std::string("cvdbot ") + cvd::core::kVersion);
    cli.app.add_option("-c,--config", cli.config_path, "configuration file (TOML)")->capture_default_str();
    cli.app.add_option("--log-level", cli.log_level, "trace, debug, info, warn, error or off")
        ->capture_default_str()
        ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "critical", "off"}));
    cli.app.require_subcommand(1);
    // Logging is set up before any command's callback runs.
    cli.app.parse_complete_callback([&cli] {
        auto logger = spdlog::stderr_color_mt("cvdbot");
        spdlog::set_default_logger(logger);
        spdlog::set_level(spdlog::level::from_str(cli.log_level));
        spdlog::set_pattern("%Y-%m-%dT%H:%M:%S%z %^%l%$ %v");
    });

    cvd::app::add_run_command(cli);
    cvd::app::add_case_commands(cli);
    cvd::app::add_mail_commands(cli);
    cvd::app::add_vendor_commands(cli);
    cvd::app::add_key_commands(cli);
    cvd::app::add_template_commands(cli);
    cvd::app::add_advisory_commands(cli);

    try {
        CLI11_PARSE(cli.app, argc, argv);
    } catch (const std::exception& e) {
        // Only bugs and start-up problems arrive here.
        spdlog::critical("internal error: {}", e.what());
        return 70;  // EX_SOFTWARE
    }
    return cli.exit_code;
}
