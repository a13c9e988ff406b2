#pragma once
// What an administrator edits while the daemon runs: the rules and the message templates.
// Both are loaded and checked together, so a broken edit never replaces a working set.

#include <filesystem>
#include <string>
#include <vector>

#include "config.hpp"
#include "cvdbot/core/result.hpp"
#include "cvdbot/render/template_set.hpp"
#include "cvdbot/rules/rule_set.hpp"

namespace cvd::app {

struct LiveSet {
    rules::RuleSet rules;
    render::TemplateSet templates;
};

// Loads rules/ and templates/ and runs the template check on them; any problem is an error
// naming the file and line.
core::Result<LiveSet> load_live_set(const Config& config);

// Where `cvdbot run` writes its process id, for `cvdbot reload`.
std::filesystem::path pid_file_path(const Config& config);

}  // namespace cvd::app
