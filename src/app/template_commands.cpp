#include "template_commands.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <iostream>
#include <memory>

#include "case_engine.hpp"
#include "cli.hpp"
#include "language.hpp"
#include "outgoing.hpp"
#include "cvdbot/rules/rule_set.hpp"
#include "cvdbot/workflow/step.hpp"

namespace cvd::app {

using core::ErrorKind;
using core::make_error;

std::vector<std::string> required_templates(const std::string& acknowledgment_template) {
    auto names = workflow::template_names();
    // Sent by the app itself rather than by the workflow.
    for (const char* own :
         {"decryption_failed", "signature_problem", "contact_change_received", "contact_change_unreadable",
          "key_request", "missing_fields", "status_reply", "coordinator_notice", "relay_notice", "advisory_draft", "advisory_review"})
        names.emplace_back(own);
    names.push_back(acknowledgment_template);
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    return names;
}

std::size_t print_template_check(const std::filesystem::path& dir,
                                 const std::vector<std::string>& required, std::ostream& out) {
    const auto problems = render::check_templates(render::TemplateSet::read(dir), required);
    for (const auto& p : problems) out << p << '\n';
    return problems.size();
}

void print_variable_reference(std::ostream& out) {
    for (const auto& [name, info] : render::variable_catalogue())
        out << fmt::format("{:<22} {:<46} {}\n", name, render::roles_text(info.visible_to),
                           info.description);
}

core::Status print_template_preview(const render::TemplateSet& templates, const std::string& name,
                                    const std::string& language, domain::Role role,
                                    std::ostream& out) {
    auto vars = render::sample_variables();
    vars["recipient_role"] = std::string(domain::to_string(role));
    auto rendered = templates.render(name, language, role, vars);
    if (!rendered) return rendered.error();
    out << "From: " << vars["bot_name"] << " <" << vars["bot_address"] << ">\n"
        << "To: " << vars["recipient_name"] << " <" << vars["recipient_address"] << ">\n"
        << "Subject: " << rendered->subject << "\n\n"
        << rendered->body;
    return {};
}

core::Status print_case_preview(Cli& cli, const render::TemplateSet& templates, const std::string& name,
                                const std::string& language, domain::Role role, const std::string& case_id,
                                std::ostream& out) {
    auto config = cli.config();
    if (!config) return config.error();
    auto rules = rules::load_rules((*config)->rules_dir);
    if (!rules) return rules.error();
    auto store = cli.store();
    if (!store) return store.error();
    const auto id = core::parse_case_id(case_id);
    if (!id) return make_error(ErrorKind::invalid_input, "'" + case_id + "' is not a case id");
    auto the_case = (*store)->find_case(*id);
    if (!the_case) return the_case.error();
    if (!*the_case) return make_error(ErrorKind::not_found, "no case " + id->str());
    auto people = (*store)->participants((*the_case)->row_id);
    if (!people) return people.error();
    const auto recipient = std::find_if(people->begin(), people->end(), [&](const auto& p) { return p.role == role; });
    if (recipient == people->end())
        return make_error(ErrorKind::not_found,
                          id->str() + " has no " + std::string(domain::to_string(role)) + " to preview for");
    auto messages = (*store)->case_messages((*the_case)->row_id);
    if (!messages) return messages.error();
    const auto chosen = choose_language(*recipient, *messages, (*config)->bot.language);
    const std::string lang = language.empty() ? chosen.language : language;
    const auto now = core::SystemClock().now();
    // The same engine and composer the daemon uses, without signing: the exact text.
    CaseEngine engine(**store, templates, *rules, **config, OutgoingCrypto{});
    auto vars = engine.case_variables(**the_case, *recipient, nullptr, now);
    if (!vars) return vars.error();
    auto mail = build_outgoing(name, **the_case, *recipient, lang, ReplyContext{}, **config, templates, now,
                               OutgoingCrypto{}, *vars);
    if (!mail) return mail.error();
    if (language.empty())
        out << "# language " << lang << " (" << chosen.source << ")\n";
    // The header block as it will be sent; the body as the recipient will read it (the
    // transfer encoding, base64 for Japanese, would make it unreadable here).
    auto end = mail->raw.find("\r\n\r\n");
    if (end == std::string::npos) end = mail->raw.find("\n\n");
    std::string headers = mail->raw.substr(0, end);
    headers.erase(std::remove(headers.begin(), headers.end(), '\r'), headers.end());
    std::string body = mail->text_body;
    body.erase(std::remove(body.begin(), body.end(), '\r'), body.end());
    out << headers << "\n\n" << body;
    if (!body.empty() && body.back() != '\n') out << "\n";
    return {};
}

namespace {

// The templates directory from --dir, else from the configuration, else ./templates.
std::filesystem::path templates_dir(Cli& cli, const std::string& dir) {
    if (!dir.empty()) return dir;
    auto config = cli.config();
    return config ? (*config)->templates_dir : std::filesystem::path("templates");
}

// The acknowledgment template rules/ names, when the configuration and rules load.
std::string acknowledgment_template(Cli& cli) {
    auto config = cli.config();
    if (!config) return "acknowledgment";
    auto rules = rules::load_rules((*config)->rules_dir);
    if (!rules) {
        spdlog::warn("rules not checked: {}", rules.error().message);
        return "acknowledgment";
    }
    return rules->intake.acknowledgment_template;
}

}  // namespace

void add_template_commands(Cli& cli) {
    auto* cmd =
        cli.app.add_subcommand("templates", "check, document and preview the message templates");
    cmd->require_subcommand(1);
    // Accepted before or after the subcommand: `templates check --dir DIR` reads naturally.
    auto dir = std::make_shared<std::string>();
    const auto add_dir = [dir](CLI::App* app) {
        app->add_option("--dir", *dir, "templates directory (default: from the configuration)");
    };
    add_dir(cmd);

    auto* check = cmd->add_subcommand(
        "check", "every problem as FILE:LINE: message; exits 1 if there is any");
    add_dir(check);
    check->callback([&cli, dir] {
        const auto count = print_template_check(
            templates_dir(cli, *dir), required_templates(acknowledgment_template(cli)), std::cout);
        if (count) {
            spdlog::error("{} problem{} in the templates", count, count == 1 ? "" : "s");
            cli.exit_code = 1;
        }
    });

    cmd->add_subcommand("vars",
                        "the variables templates may use: name, who may see it, description")
        ->callback([] { print_variable_reference(std::cout); });

    auto* preview = cmd->add_subcommand("preview", "a template rendered with the sample case");
    auto name = std::make_shared<std::string>();
    auto language = std::make_shared<std::string>();
    auto to = std::make_shared<std::string>();
    auto case_id = std::make_shared<std::string>();
    preview->add_option("NAME", *name, "template name, e.g. reminder_first")->required();
    preview->add_option("--lang", *language, "ja or en (default: ja; with --case, the recipient's language)")
        ->check(CLI::IsMember({"ja", "en"}));
    preview->add_option("--case", *case_id,
                        "render for this case's participant in that role: the exact message the daemon would "
                        "send (headers and body, before signing and encryption)");
    preview
        ->add_option("--to", *to,
                     "recipient role: discoverer, vendor, site_operator or coordinator")
        ->required();
    add_dir(preview);
    preview->callback([&cli, dir, name, language, to, case_id] {
        const auto role = domain::parse_role(*to);
        if (!role || *role == domain::Role::observer)
            return cli.fail(make_error(ErrorKind::invalid_input, "unknown role '" + *to + "'"));
        auto templates = render::TemplateSet::load(templates_dir(cli, *dir));
        if (!templates) return cli.fail(templates.error());
        if (!case_id->empty()) {
            if (auto s = print_case_preview(cli, *templates, *name, *language, *role, *case_id, std::cout); !s)
                cli.fail(s.error());
            return;
        }
        if (auto s = print_template_preview(*templates, *name, language->empty() ? "ja" : *language, *role,
                                            std::cout);
            !s)
            cli.fail(s.error());
    });
}

}  // namespace cvd::app
