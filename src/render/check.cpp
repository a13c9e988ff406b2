// The administrator's check: every problem of a template set at once, each with FILE:LINE,
// so an edit is fixed in one pass instead of one start-up failure at a time.

#include "cvdbot/render/template_set.hpp"
#include "messages.hpp"

namespace cvd::render {

std::vector<std::string> check_templates(const TemplateSet& set,
                                         const std::vector<std::string>& required_names) {
    std::vector<std::string> problems = set.problems();
    auto file_of = [&](const std::string& name, const std::string& language) {
        return (set.dir() / language / (name + ".txt")).string();
    };
    for (const auto& name : required_names)
        if (!set.contains(name))
            problems.push_back(where(file_of(name, languages().front()), 1) +
                               "required template '" + name + "' is missing (in every language)");
    for (const auto& [name, variants] : set.templates()) {
        for (const auto& language : languages())
            if (!variants.count(language))
                problems.push_back(where(file_of(name, language), 1) + "the " + language +
                                   " variant of '" + name + "' is missing");
        const Template* first = nullptr;
        for (const auto& [language, t] : variants) {
            if (first && first->audience != t.audience)
                problems.push_back(where(t.file, 1) + "Audience (" + roles_text(t.audience) +
                                   ") differs from " + first->file + " (" +
                                   roles_text(first->audience) + ")");
            if (!first) first = &t;
            Roles leaking;
            for (const auto& [used, line] : t.used) {
                const auto& visible = variable_catalogue().at(used).visible_to;
                for (auto role : t.audience)
                    if (!visible.count(role)) {
                        problems.push_back(where(t.file, line) + "variable '" + used +
                                           "' may not be seen by " +
                                           std::string(domain::to_string(role)) +
                                           " (Audience: " + roles_text(t.audience) + ")");
                        leaking.insert(role);
                    }
            }
            for (auto role : t.audience) {
                if (leaking.count(role)) continue;  // already reported above
                auto vars = sample_variables();
                vars["recipient_role"] = std::string(domain::to_string(role));
                auto out = set.render(name, language, role, vars);
                if (!out)
                    problems.push_back(where(t.file, 1) + "rendering for " +
                                       std::string(domain::to_string(role)) +
                                       " failed: " + out.error().message);
                else if (out->body.find_first_not_of(" \r\n\t") == std::string::npos)
                    problems.push_back(where(t.file, 1) + "the body is empty");
            }
        }
    }
    return problems;
}

}  // namespace cvd::render
