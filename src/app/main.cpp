// cvdbot: coordinated vulnerability disclosure by email.

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <csignal>
#include <iostream>

#include "case_commands.hpp"
#include "config.hpp"
#include "cvdbot/core/version.hpp"
#include "daemon.hpp"

namespace {

std::atomic<bool> g_stop_requested{false};

extern "C" void on_stop_signal(int) { g_stop_requested = true; }

void install_signal_handlers() {
    struct sigaction action {};
    action.sa_handler = on_stop_signal;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
    std::signal(SIGPIPE, SIG_IGN);
}

int fail(const cvd::core::Error& error) {
    spdlog::error("{}", error.message);
    return error.kind == cvd::core::ErrorKind::config ? 78 : 1;  // 78: EX_CONFIG
}

cvd::core::Result<cvd::store::Store> open_store(const cvd::app::Config& config) {
    return cvd::store::Store::open(config.database.string());
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App cli{"cvdbot: coordinated vulnerability disclosure by email"};
    cli.set_version_flag("--version", std::string("cvdbot ") + cvd::core::kVersion);
    std::string config_path = "cvdbot.toml";
    std::string log_level = "info";
    cli.add_option("-c,--config", config_path, "configuration file (TOML)")->capture_default_str();
    cli.add_option("--log-level", log_level, "trace, debug, info, warn, error or off")
        ->capture_default_str()
        ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "critical", "off"}));
    cli.require_subcommand(1);

    auto* run = cli.add_subcommand("run", "run the daemon until SIGINT or SIGTERM");
    bool once = false;
    run->add_flag("--once", once, "one fetch-process-send cycle, then exit (for tests and cron)");

    auto* case_cmd = cli.add_subcommand("case", "look at cases");
    case_cmd->require_subcommand(1);
    case_cmd->add_subcommand("list", "list every case");
    auto* show = case_cmd->add_subcommand("show", "a case's participants, messages and events in time order");
    std::string case_id;
    show->add_option("ID", case_id, "case id, e.g. CVD#2026-0001")->required();

    CLI11_PARSE(cli, argc, argv);

    auto logger = spdlog::stderr_color_mt("cvdbot");
    spdlog::set_default_logger(logger);
    spdlog::set_level(spdlog::level::from_str(log_level));
    spdlog::set_pattern("%Y-%m-%dT%H:%M:%S%z %^%l%$ %v");

    try {
        auto config = cvd::app::load_config(config_path);
        if (!config) return fail(config.error());

        if (case_cmd->parsed()) {
            auto store = open_store(*config);
            if (!store) return fail(store.error());
            auto status = show->parsed() ? cvd::app::print_case(*store, case_id, std::cout)
                                         : cvd::app::print_case_list(*store, std::cout);
            return status ? 0 : fail(status.error());
        }

        auto rules = cvd::rules::load_rules(config->rules_dir);
        if (!rules) return fail(rules.error());
        auto templates = cvd::render::TemplateSet::load(config->templates_dir);
        if (!templates) return fail(templates.error());
        if (!templates->contains(rules->intake.acknowledgment_template))
            return fail(cvd::core::make_error(cvd::core::ErrorKind::config,
                                              config->templates_dir.string() + ": the rules name template '" +
                                                  rules->intake.acknowledgment_template + "', which does not exist"));
        auto store = open_store(*config);
        if (!store) return fail(store.error());

        install_signal_handlers();
        cvd::core::SystemClock clock;
        cvd::app::Daemon daemon(std::move(*config), std::move(*rules), std::move(*templates), std::move(*store), clock,
                                g_stop_requested);
        if (once) {
            auto report = daemon.cycle();
            if (!report) return fail(report.error());
            spdlog::info("fetched {} (duplicates {}), processed {}, sent {}, deferred {}, failed {}", report->fetched,
                         report->duplicates, report->processed, report->sent, report->send_deferred,
                         report->send_failed);
            return report->imap_ok ? 0 : 75;  // 75: EX_TEMPFAIL
        }
        auto status = daemon.run_forever();
        return status ? 0 : fail(status.error());
    } catch (const std::exception& e) {
        // Only bugs and start-up problems arrive here.
        spdlog::critical("internal error: {}", e.what());
        return 70;  // EX_SOFTWARE
    }
}
