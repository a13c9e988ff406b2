#pragma once
// `cvdbot templates check|vars|preview`: what administrators run after editing templates/.
// The work is done by the functions below, so tests need no CLI.

#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

#include "cvdbot/core/result.hpp"
#include "cvdbot/domain/types.hpp"
#include "cvdbot/render/template_set.hpp"

namespace cvd::app {

struct Cli;
void add_template_commands(Cli& cli);

// Every template the daemon may send: the workflow's, the app's own replies (decryption
// failure, contact changes, ...) and the acknowledgment named in rules/.
std::vector<std::string> required_templates(
    const std::string& acknowledgment_template = "acknowledgment");

// Prints every problem of the set in `dir`, one "FILE:LINE: message" a line, and returns
// how many there were.
std::size_t print_template_check(const std::filesystem::path& dir,
                                 const std::vector<std::string>& required, std::ostream& out);

// The variable reference: name, who may see it, description.
void print_variable_reference(std::ostream& out);

// The message `name` would be for a `role` reading `language`, rendered with the sample case.
core::Status print_template_preview(const render::TemplateSet& templates, const std::string& name,
                                    const std::string& language, domain::Role role,
                                    std::ostream& out);

// The exact message (headers and body, before signing and encryption) that template `name`
// would be for the participant in `role` on case `case_id`; `language` empty: theirs.
core::Status print_case_preview(Cli& cli, const render::TemplateSet& templates, const std::string& name,
                                const std::string& language, domain::Role role, const std::string& case_id,
                                std::ostream& out);

}  // namespace cvd::app
