// `cvdbot run [--once]`: the daemon.

#include <spdlog/spdlog.h>

#include <atomic>
#include <csignal>

#include "cli.hpp"
#include "daemon.hpp"
#include "key_commands.hpp"
#include "template_commands.hpp"

namespace cvd::app {

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

int run(Cli& cli, bool once) {
    auto config = cli.config();
    if (!config) return cli.fail(config.error()), cli.exit_code;
    auto rules = rules::load_rules((*config)->rules_dir);
    if (!rules) return cli.fail(rules.error()), cli.exit_code;
    auto templates = render::TemplateSet::load((*config)->templates_dir);
    if (!templates) return cli.fail(templates.error()), cli.exit_code;
    // Every template the daemon may send must pass the check before the first mail arrives.
    if (const auto problems =
            render::check_templates(*templates, required_templates(rules->intake.acknowledgment_template));
        !problems.empty()) {
        std::string text;
        for (const auto& p : problems) text += (text.empty() ? "" : "\n") + p;
        return cli.fail(core::make_error(core::ErrorKind::config, text)), cli.exit_code;
    }
    auto store = store::Store::open((*config)->database.string());
    if (!store) return cli.fail(store.error()), cli.exit_code;
    auto keyring = crypto::Keyring::open(keyring_settings(**config));
    if (!keyring) return cli.fail(keyring.error()), cli.exit_code;
    // First start: the bot's own key pair is made here.
    auto bot_key = keyring->ensure_bot_key();
    if (!bot_key) return cli.fail(bot_key.error()), cli.exit_code;
    spdlog::info("signing with bot key {}", bot_key->fingerprint);

    install_signal_handlers();
    core::SystemClock clock;
    Daemon daemon(**config, std::move(*rules), std::move(*templates), std::move(*store), std::move(*keyring), clock,
                  g_stop_requested);
    if (!once) {
        auto status = daemon.run_forever();
        if (!status) cli.fail(status.error());
        return cli.exit_code;
    }
    auto report = daemon.cycle();
    if (!report) return cli.fail(report.error()), cli.exit_code;
    spdlog::info("fetched {} (duplicates {}), processed {}, sent {}, deferred {}, failed {}", report->fetched,
                 report->duplicates, report->processed, report->sent, report->send_deferred, report->send_failed);
    return report->imap_ok ? 0 : 75;  // 75: EX_TEMPFAIL
}

}  // namespace

void add_run_command(Cli& cli) {
    auto* run_cmd = cli.app.add_subcommand("run", "run the daemon until SIGINT or SIGTERM");
    auto once = std::make_shared<bool>(false);
    run_cmd->add_flag("--once", *once, "one fetch-process-send cycle, then exit (for tests and cron)");
    run_cmd->callback([&cli, once] { cli.exit_code = run(cli, *once); });
}

}  // namespace cvd::app
