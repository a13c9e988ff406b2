#include "live_set.hpp"

#include "template_commands.hpp"

namespace cvd::app {

core::Result<LiveSet> load_live_set(const Config& config) {
    auto rules = rules::load_rules(config.rules_dir);
    if (!rules) return rules.error();
    auto templates = render::TemplateSet::load(config.templates_dir);
    if (!templates) return templates.error();
    // The same check an administrator runs (`cvdbot templates check`): every template the
    // daemon may send, in every language, rendering for every role that receives it.
    if (const auto problems =
            render::check_templates(*templates, required_templates(rules->intake.acknowledgment_template));
        !problems.empty()) {
        std::string text;
        for (const auto& p : problems) text += (text.empty() ? "" : "\n") + p;
        return core::make_error(core::ErrorKind::config, text);
    }
    for (const auto& name : rules->confidentiality.templates)
        if (!templates->contains(name))
            return core::make_error(core::ErrorKind::config,
                                    (config.rules_dir / "workflow.toml").string() +
                                        ": confidentiality.templates names '" + name + "', which is not a template");
    return LiveSet{std::move(*rules), std::move(*templates)};
}

std::filesystem::path pid_file_path(const Config& config) {
    auto path = config.database;
    path += ".pid";
    return path;
}

}  // namespace cvd::app
