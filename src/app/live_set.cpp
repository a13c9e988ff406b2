#include "live_set.hpp"

#include "cvdbot/workflow/step.hpp"

namespace cvd::app {

const std::vector<std::string>& daemon_template_names() {
    static const std::vector<std::string> names{"contact_change_received", "contact_change_unreadable",
                                                "decryption_failed", "coordinator_notice"};
    return names;
}

core::Result<LiveSet> load_live_set(const Config& config) {
    auto rules = rules::load_rules(config.rules_dir);
    if (!rules) return rules.error();
    auto templates = render::TemplateSet::load(config.templates_dir);
    if (!templates) return templates.error();
    std::vector<std::string> needed = workflow::template_names();
    needed.insert(needed.end(), daemon_template_names().begin(), daemon_template_names().end());
    needed.push_back(rules->intake.acknowledgment_template);
    std::string missing;
    for (const auto& name : needed)
        if (!templates->contains(name) && missing.find(" " + name + ",") == std::string::npos)
            missing += " " + name + ",";
    if (!missing.empty()) {
        missing.pop_back();
        return core::make_error(core::ErrorKind::config,
                                config.templates_dir.string() + ": templates needed but missing:" + missing);
    }
    return LiveSet{std::move(*rules), std::move(*templates)};
}

std::filesystem::path pid_file_path(const Config& config) {
    auto path = config.database;
    path += ".pid";
    return path;
}

}  // namespace cvd::app
