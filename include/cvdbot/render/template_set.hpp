#pragma once
// Message templates that administrators own: templates/<lang>/<name>.txt, mustache text
// after a small header ("Subject:", "Audience:"). Each variable the renderer offers is tagged
// with the roles that may see it, so a template can never show a party what it may not know.

#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "cvdbot/core/result.hpp"
#include "cvdbot/domain/types.hpp"

namespace cvd::render {

using Variables = std::map<std::string, std::string, std::less<>>;
using Roles = std::set<domain::Role>;

struct RenderedMessage {
    std::string subject;
    std::string body;
};

struct VariableInfo {
    std::string description;  // one line, for `cvdbot templates vars`
    Roles visible_to;         // the recipients who may see the value
};

// Roles as an Audience line writes them: "discoverer, vendor".
std::string roles_text(const Roles& roles);

// Every variable the renderer offers.
const std::map<std::string, VariableInfo, std::less<>>& variable_catalogue();

// The languages every template must exist in, in the order they are checked.
const std::vector<std::string>& languages();

// A realistic case with a value for every variable in the catalogue: for the check and
// for previews.
const Variables& sample_variables();

struct Template {
    std::string name;      // the file name without ".txt"
    std::string language;  // "ja" or "en": the directory it came from
    std::string file;      // for messages: FILE:LINE
    std::string subject_source;
    std::string body_source;
    Roles audience;                                // who may receive it
    std::map<std::string, int, std::less<>> used;  // variable -> line of its first use
};

// Parses one template file's text. Every problem is reported, one "FILE:LINE: message" per
// line of the error.
core::Result<Template> parse_template(std::string_view name, std::string_view language,
                                      std::string_view text, const std::string& file);

class TemplateSet {
  public:
    // Reads DIR/ja/*.txt and DIR/en/*.txt. Files that do not parse are left out and listed
    // in problems(), so `templates check` can report all of them at once.
    static TemplateSet read(const std::filesystem::path& dir);
    // As read(), but any problem is an error (the daemon refuses a broken set).
    static core::Result<TemplateSet> load(const std::filesystem::path& dir);

    const std::filesystem::path& dir() const { return dir_; }
    const std::vector<std::string>& problems() const { return problems_; }

    bool contains(std::string_view name) const;
    bool contains(std::string_view name, std::string_view language) const;
    const Template* find(std::string_view name, std::string_view language) const;
    // name -> language -> template
    const std::map<std::string, std::map<std::string, Template>, std::less<>>& templates() const {
        return templates_;
    }

    // Errors, never an empty string: no such template in `language`, a recipient outside the
    // template's Audience, a variable the recipient may not see, a variable missing from
    // `variables`.
    core::Result<RenderedMessage> render(std::string_view name, std::string_view language,
                                         domain::Role recipient, const Variables& variables) const;

    void add(Template t);

  private:
    std::filesystem::path dir_;
    std::map<std::string, std::map<std::string, Template>, std::less<>> templates_;
    std::vector<std::string> problems_;
};

// Every problem with the set, one "FILE:LINE: message" each: files that did not parse,
// required templates or language variants that are missing, variables an Audience role may
// not see, and any failure to render the sample case for each Audience role and language.
std::vector<std::string> check_templates(const TemplateSet& set,
                                         const std::vector<std::string>& required_names);

}  // namespace cvd::render
