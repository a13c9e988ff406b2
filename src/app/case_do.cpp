// `cvdbot case do ID COMMAND...`: a coordinator at the server gives the same commands a
// signed coordinator mail can carry. Mail it causes is queued for the daemon to send.

#include <unistd.h>

#include <iostream>

#include "case_engine.hpp"
#include "cli.hpp"
#include "cvdbot/crypto/keyring.hpp"
#include "key_commands.hpp"
#include "store_key_bindings.hpp"

namespace cvd::app {

namespace {

struct CaseDoOptions {
    std::string case_id;
    std::vector<std::string> words;
    std::string now;
};

std::string local_user() {
    const char* user = std::getenv("SUDO_USER");
    if (!user || !*user) user = std::getenv("USER");
    return user && *user ? user : std::to_string(::getuid());
}

core::Status case_do(Cli& cli, const CaseDoOptions& options) {
    auto config = cli.config();
    if (!config) return config.error();
    auto rules = rules::load_rules((*config)->rules_dir);
    if (!rules) return rules.error();
    auto templates = render::TemplateSet::load((*config)->templates_dir);
    if (!templates) return templates.error();
    auto store = cli.store();
    if (!store) return store.error();
    auto keyring = crypto::Keyring::open(keyring_settings(**config));
    if (!keyring) return keyring.error();
    if (auto key = keyring->ensure_bot_key(); !key) return key.error();
    auto the_case = case_argument(**store, options.case_id);
    if (!the_case) return the_case.error();
    auto now = now_option(options.now);
    if (!now) return now.error();
    // Several commands may be given at once, separated by ';'.
    std::string text;
    for (const auto& word : options.words) {
        if (word == ";") {
            text += '\n';
            continue;
        }
        if (!text.empty() && text.back() != '\n') text += ' ';
        text += word;
    }
    StoreKeyBindings bindings(**store);
    CaseEngine engine(**store, *templates, *rules, **config, OutgoingCrypto{&*keyring, &bindings, false});
    auto transcript = engine.run_commands(*the_case, text, true, Cause{"cli:" + local_user(), std::nullopt, {}}, *now);
    if (!transcript) return transcript.error();
    std::cout << transcript->text();
    if (!transcript->all_done())
        return core::make_error(core::ErrorKind::conflict, "not every command was carried out (see above)");
    return {};
}

}  // namespace

void add_case_do_command(Cli& cli, CLI::App& case_cmd) {
    auto* do_cmd = case_cmd.add_subcommand("do", "carry out coordinator commands on a case, e.g. "
                                                 "`case do CVD#2026-0001 contact vendor Example ; send details Example`");
    auto options = std::make_shared<CaseDoOptions>();
    do_cmd->add_option("ID", options->case_id, "case id")->required();
    do_cmd->add_option("COMMAND", options->words, "the command words (as in a coordinator's mail)")->required();
    do_cmd->add_option("--now", options->now, "pretend the time is this ISO 8601 instant (for tests)");
    do_cmd->callback([&cli, options] {
        if (auto s = case_do(cli, *options); !s) cli.fail(s.error());
    });
}

}  // namespace cvd::app
