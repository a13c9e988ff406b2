// `cvdbot run [--once]`: the daemon.

#include <spdlog/spdlog.h>

#include <atomic>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <cstring>
#include <string_view>
#include <fstream>

#include "cli.hpp"
#include "daemon.hpp"
#include "key_commands.hpp"
#include "template_commands.hpp"

namespace cvd::app {

namespace {

std::atomic<bool> g_stop_requested{false};
std::atomic<bool> g_reload_requested{false};

extern "C" void on_stop_signal(int) { g_stop_requested = true; }
extern "C" void on_reload_signal(int) { g_reload_requested = true; }

void install_signal_handlers() {
    struct sigaction action {};
    action.sa_handler = on_stop_signal;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
    struct sigaction reload {};
    reload.sa_handler = on_reload_signal;
    sigemptyset(&reload.sa_mask);
    sigaction(SIGHUP, &reload, nullptr);
    std::signal(SIGPIPE, SIG_IGN);
}

// A daemon that reads mail from strangers must not hold root's powers by accident: an
// administrator (or a test running as root) says so explicitly.
bool root_allowed(bool flag) {
    if (flag) return true;
    const char* env = std::getenv("CVDBOT_ALLOW_ROOT");
    return env && std::string_view(env) == "1";
}

int run(Cli& cli, bool once, const std::string& now_text, bool allow_root) {
    if (::geteuid() == 0 && !root_allowed(allow_root)) {
        cli.fail(core::make_error(core::ErrorKind::config,
                                  "refusing to run as root: run cvdbot as an unprivileged user (see "
                                  "contrib/cvdbot.service), or pass --allow-root (or CVDBOT_ALLOW_ROOT=1)"));
        return cli.exit_code;
    }
    auto config = cli.config();
    if (!config) return cli.fail(config.error()), cli.exit_code;
    // Every template the daemon may send must exist before the first mail arrives.
    auto live = load_live_set(**config);
    if (!live) return cli.fail(live.error()), cli.exit_code;
    auto store = store::Store::open((*config)->database.string());
    if (!store) return cli.fail(store.error()), cli.exit_code;
    auto keyring = crypto::Keyring::open(keyring_settings(**config));
    if (!keyring) return cli.fail(keyring.error()), cli.exit_code;
    // First start: the bot's own key pair is made here.
    auto bot_key = keyring->ensure_bot_key();
    if (!bot_key) return cli.fail(bot_key.error()), cli.exit_code;
    spdlog::info("signing with bot key {}", bot_key->fingerprint);

    install_signal_handlers();
    core::SystemClock system_clock;
    std::optional<core::ManualClock> fixed_clock;
    if (!now_text.empty()) {
        // Tests move time forward: reminders and deadlines fire as if it were `now`.
        const auto now = core::parse_iso8601(now_text);
        if (!now) {
            cli.fail(core::make_error(core::ErrorKind::invalid_input,
                                      "--now '" + now_text + "' is not an ISO 8601 time (e.g. 2027-01-15T01:00:00Z)"));
            return cli.exit_code;
        }
        fixed_clock.emplace(*now);
        spdlog::warn("running with the clock set to {}", core::format_iso8601(*now));
    }
    const core::Clock& clock = fixed_clock ? static_cast<const core::Clock&>(*fixed_clock) : system_clock;
    Daemon daemon(**config, std::move(live->rules), std::move(live->templates), std::move(*store), std::move(*keyring), clock,
                  g_stop_requested);
    if (!once) {
        daemon.watch_reload_flag(&g_reload_requested);
        const auto pid_file = pid_file_path(**config);
        if (std::ofstream out(pid_file); out) out << ::getpid() << "\n";
        auto status = daemon.run_forever();
        std::error_code ignored;
        std::filesystem::remove(pid_file, ignored);
        if (!status) cli.fail(status.error());
        return cli.exit_code;
    }
    auto report = daemon.cycle();
    if (!report) return cli.fail(report.error()), cli.exit_code;
    spdlog::info("fetched {} (duplicates {}), processed {}, sent {}, deferred {}, failed {}", report->fetched,
                 report->duplicates, report->processed, report->sent, report->send_deferred, report->send_failed);
    return report->imap_ok ? 0 : 75;  // 75: EX_TEMPFAIL
}

// `cvdbot reload`: checks the edited set first, so the administrator sees a broken edit at
// once; then signals the running daemon, which checks again and keeps its old set on error.
int reload(Cli& cli) {
    auto config = cli.config();
    if (!config) return cli.fail(config.error()), cli.exit_code;
    auto live = load_live_set(**config);
    if (!live) {
        cli.fail(live.error());
        spdlog::error("not reloading: the daemon keeps its current rules and templates");
        return cli.exit_code;
    }
    const auto pid_file = pid_file_path(**config);
    std::ifstream in(pid_file);
    long pid = 0;
    if (!(in >> pid) || pid <= 1) {
        cli.fail(core::make_error(core::ErrorKind::not_found,
                                  pid_file.string() + ": no running daemon (no process id file); the set is valid"));
        return cli.exit_code;
    }
    if (::kill(static_cast<pid_t>(pid), SIGHUP) != 0) {
        cli.fail(core::make_error(core::ErrorKind::not_found, "cannot signal process " + std::to_string(pid) + " from " +
                                                                  pid_file.string() + ": " + std::strerror(errno)));
        return cli.exit_code;
    }
    spdlog::info("rules and templates check out; asked cvdbot (pid {}) to reload", pid);
    return 0;
}

}  // namespace

void add_run_command(Cli& cli) {
    auto* reload_cmd = cli.app.add_subcommand("reload", "check rules/ and templates/, then make the running daemon "
                                                        "re-read them (SIGHUP)");
    reload_cmd->callback([&cli] { cli.exit_code = reload(cli); });

    auto* run_cmd = cli.app.add_subcommand("run", "run the daemon until SIGINT or SIGTERM");
    auto once = std::make_shared<bool>(false);
    auto now = std::make_shared<std::string>();
    auto allow_root = std::make_shared<bool>(false);
    run_cmd->add_flag("--once", *once, "one fetch-process-send cycle, then exit (for tests and cron)");
    run_cmd->add_flag("--allow-root", *allow_root, "run even as root (refused otherwise; also CVDBOT_ALLOW_ROOT=1)");
    run_cmd->add_option("--now", *now, "pretend the time is this ISO 8601 instant (for tests of timers)");
    run_cmd->callback([&cli, once, now, allow_root] { cli.exit_code = run(cli, *once, *now, *allow_root); });
}

}  // namespace cvd::app
