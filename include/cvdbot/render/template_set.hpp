#pragma once
// Message templates from templates/: mustache text with a "Subject:" first line.
// Templates are checked when loaded (unknown variables, unbalanced sections), so a typo
// stops start-up instead of reaching a vendor.

#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <string_view>

#include "cvdbot/core/result.hpp"

namespace cvd::render {

using Variables = std::map<std::string, std::string, std::less<>>;

struct RenderedMessage {
    std::string subject;
    std::string body;
};

struct Template {
    std::string name;
    std::string subject_source;
    std::string body_source;
    std::set<std::string, std::less<>> variables;  // every variable the template uses
};

// The variables the renderer offers, with a line of documentation each.
const std::map<std::string, std::string, std::less<>>& known_variables();

// Parses one template file's text. `source` names it in error messages.
core::Result<Template> parse_template(std::string_view name, std::string_view text, const std::string& source);

class TemplateSet {
public:
    // Loads every <name>.txt in `dir`.
    static core::Result<TemplateSet> load(const std::filesystem::path& dir);

    bool contains(std::string_view name) const;
    const std::map<std::string, Template, std::less<>>& templates() const { return templates_; }

    // A variable the template uses but `variables` lacks is an error, never an empty string.
    core::Result<RenderedMessage> render(std::string_view name, const Variables& variables) const;

    void add(Template t);

private:
    std::map<std::string, Template, std::less<>> templates_;
};

}  // namespace cvd::render
