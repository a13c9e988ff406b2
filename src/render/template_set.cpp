#include "cvdbot/render/template_set.hpp"

#include <algorithm>
#include <fstream>
#include <mstch/mstch.hpp>
#include <mutex>
#include <sstream>

#include "cvdbot/core/text.hpp"
#include "messages.hpp"

namespace cvd::render {

using core::ErrorKind;
using core::make_error;
using core::Result;

namespace {

// Collects the variables of every mustache tag in `text` (which starts on `first_line` of
// `file`) and checks that tags close and sections balance.
void scan_tags(std::string_view text, const std::string& file, int first_line, Template& t,
               std::vector<std::string>& problems) {
    std::vector<std::pair<std::string, int>> open_sections;
    int line = first_line;
    std::size_t counted = 0;  // text before this offset is counted in `line`
    auto line_at = [&](std::size_t offset) {
        for (; counted < offset; ++counted)
            if (text[counted] == '\n') ++line;
        return line;
    };
    std::size_t pos = 0;
    while ((pos = text.find("{{", pos)) != std::string_view::npos) {
        const int at = line_at(pos);
        const bool triple = text.substr(pos, 3) == "{{{";
        const std::size_t open_len = triple ? 3 : 2;
        const auto close_marker = triple ? std::string_view("}}}") : std::string_view("}}");
        const auto end = text.find(close_marker, pos + open_len);
        const auto newline = text.find('\n', pos);
        if (end == std::string_view::npos || end > newline) {
            problems.push_back(where(file, at) + "a '{{' tag is not closed on its line");
            pos += open_len;
            continue;
        }
        std::string_view tag = core::trim(text.substr(pos + open_len, end - pos - open_len));
        pos = end + close_marker.size();
        const char kind = tag.empty() ? '\0' : tag.front();
        if (kind == '!') continue;  // comment
        if (kind == '=' || kind == '>') {
            problems.push_back(where(file, at) +
                               "delimiter changes and partials are not supported");
            continue;
        }
        if (kind == '#' || kind == '^' || kind == '/' || kind == '&')
            tag = core::trim(tag.substr(1));
        const std::string name(tag);
        if (name.empty()) {
            problems.push_back(where(file, at) + "empty tag");
            continue;
        }
        if (!variable_catalogue().count(name)) {
            problems.push_back(where(file, at) + "unknown variable '" + name + "'");
            continue;
        }
        if (kind == '#' || kind == '^') {
            open_sections.emplace_back(name, at);
        } else if (kind == '/') {
            if (open_sections.empty() || open_sections.back().first != name) {
                problems.push_back(where(file, at) + "section '" + name +
                                   "' closed without being opened");
                continue;
            }
            open_sections.pop_back();
        }
        t.used.emplace(name, at);  // keeps the first use
    }
    for (const auto& [name, at] : open_sections)
        problems.push_back(where(file, at) + "section '" + name + "' is never closed");
}

std::string join_lines(const std::vector<std::string>& lines) {
    std::string out;
    for (const auto& l : lines) out += (out.empty() ? "" : "\n") + l;
    return out;
}

std::string render_mustache(const std::string& source, const Variables& variables) {
    // Mail is plain text: mustache's HTML escaping would corrupt '&' and '<'.
    static std::once_flag once;
    std::call_once(once, [] { mstch::config::escape = [](const std::string& s) { return s; }; });
    mstch::map context;
    for (const auto& [key, value] : variables) context.emplace(key, value);
    return mstch::render(source, context);
}

}  // namespace

Result<Template> parse_template(std::string_view name, std::string_view language,
                                std::string_view text, const std::string& file) {
    if (!core::is_valid_utf8(text))
        return make_error(ErrorKind::config, where(file, 1) + "not valid UTF-8");
    Template t;
    t.name = std::string(name);
    t.language = std::string(language);
    t.file = file;
    std::vector<std::string> problems;
    int line = 0, subject_line = 0;
    bool has_audience = false;
    std::size_t pos = 0;
    // Header lines up to the first blank line, like a mail header.
    while (true) {
        if (pos >= text.size()) {
            problems.push_back(where(file, line + 1) +
                               "no blank line between the header and the body");
            break;
        }
        const auto end = text.find('\n', pos);
        std::string_view header =
            text.substr(pos, end == std::string_view::npos ? text.size() - pos : end - pos);
        pos = end == std::string_view::npos ? text.size() : end + 1;
        ++line;
        if (!header.empty() && header.back() == '\r') header.remove_suffix(1);
        if (header.empty()) break;
        const auto colon = header.find(':');
        const auto key = core::trim(header.substr(0, colon == std::string_view::npos ? 0 : colon));
        const auto value = colon == std::string_view::npos ? std::string_view{}
                                                           : core::trim(header.substr(colon + 1));
        if (core::iequals_ascii(key, "Subject")) {
            if (value.empty()) problems.push_back(where(file, line) + "the subject is empty");
            t.subject_source = std::string(value);
            subject_line = line;
        } else if (core::iequals_ascii(key, "Audience")) {
            has_audience = true;
            for (auto word : core::split(value, ',')) {
                const auto role = domain::parse_role(core::trim(word));
                if (!role || *role == domain::Role::observer)
                    problems.push_back(where(file, line) + "unknown role '" +
                                       std::string(core::trim(word)) +
                                       "' (use discoverer, vendor, site_operator, coordinator)");
                else
                    t.audience.insert(*role);
            }
        } else {
            problems.push_back(where(file, line) + "unknown header line '" + std::string(header) +
                               "' (expected 'Subject: ...' or 'Audience: ...', then a blank line)");
        }
    }
    if (subject_line == 0) problems.push_back(where(file, 1) + "no 'Subject: ...' line");
    if (!has_audience || t.audience.empty())
        problems.push_back(where(file, 1) + "no 'Audience: ...' line naming who may receive it");
    t.body_source = std::string(text.substr(pos));
    if (subject_line) scan_tags(t.subject_source, file, subject_line, t, problems);
    scan_tags(t.body_source, file, line + 1, t, problems);
    if (!problems.empty()) return make_error(ErrorKind::config, join_lines(problems));
    return t;
}

TemplateSet TemplateSet::read(const std::filesystem::path& dir) {
    TemplateSet set;
    set.dir_ = dir;
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec)) {
        set.problems_.push_back(where(dir.string(), 1) + "the templates directory does not exist");
        return set;
    }
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec))
        if (entry.is_regular_file() && entry.path().extension() == ".txt")
            set.problems_.push_back(where(entry.path().string(), 1) +
                                    "templates live in ja/ and en/ now; move this file into both");
    for (const auto& language : languages()) {
        const auto sub = dir / language;
        if (!std::filesystem::is_directory(sub, ec)) {
            set.problems_.push_back(where(sub.string(), 1) + "the " + language +
                                    " templates directory is missing");
            continue;
        }
        std::vector<std::filesystem::path> files;
        for (const auto& entry : std::filesystem::directory_iterator(sub, ec))
            if (entry.is_regular_file() && entry.path().extension() == ".txt")
                files.push_back(entry.path());
        std::sort(files.begin(), files.end());  // problems in a stable order
        for (const auto& path : files) {
            std::ifstream in(path, std::ios::binary);
            std::ostringstream text;
            text << in.rdbuf();
            if (!in) {
                set.problems_.push_back(where(path.string(), 1) + "cannot read");
                continue;
            }
            auto parsed = parse_template(path.stem().string(), language, text.str(), path.string());
            if (!parsed) {
                for (auto l : core::split(parsed.error().message, '\n'))
                    set.problems_.emplace_back(l);
                continue;
            }
            set.add(std::move(*parsed));
        }
    }
    if (ec) set.problems_.push_back(where(dir.string(), 1) + ec.message());
    return set;
}

Result<TemplateSet> TemplateSet::load(const std::filesystem::path& dir) {
    auto set = read(dir);
    if (!set.problems_.empty()) return make_error(ErrorKind::config, join_lines(set.problems_));
    return set;
}

bool TemplateSet::contains(std::string_view name) const {
    return templates_.find(name) != templates_.end();
}

bool TemplateSet::contains(std::string_view name, std::string_view language) const {
    return find(name, language) != nullptr;
}

const Template* TemplateSet::find(std::string_view name, std::string_view language) const {
    const auto it = templates_.find(name);
    if (it == templates_.end()) return nullptr;
    const auto lang = it->second.find(std::string(language));
    return lang == it->second.end() ? nullptr : &lang->second;
}

void TemplateSet::add(Template t) {
    auto name = t.name;
    auto language = t.language;
    templates_[name].insert_or_assign(std::move(language), std::move(t));
}

Result<RenderedMessage> TemplateSet::render(std::string_view name, std::string_view language,
                                            domain::Role recipient,
                                            const Variables& variables) const {
    const Template* t = find(name, language);
    if (!t)
        return make_error(ErrorKind::not_found, "no " + std::string(language) +
                                                    " template named '" + std::string(name) + "'");
    const std::string role(domain::to_string(recipient));
    if (!t->audience.count(recipient))
        return make_error(ErrorKind::invalid_input, t->file + ": may not be sent to a " + role +
                                                        " (Audience: " + roles_text(t->audience) +
                                                        ")");
    for (const auto& [used, line] : t->used) {
        if (!variable_catalogue().at(used).visible_to.count(recipient))
            return make_error(ErrorKind::invalid_input, where(t->file, line) + "a " + role +
                                                            " may not see variable '" + used + "'");
        if (!variables.count(used))
            return make_error(ErrorKind::invalid_input, where(t->file, line) + "needs variable '" +
                                                            used + "', which was not provided");
    }
    RenderedMessage out;
    out.subject = render_mustache(t->subject_source, variables);
    // A subject is one line whatever a variable contains.
    for (char& c : out.subject)
        if (c == '\r' || c == '\n') c = ' ';
    out.body = render_mustache(t->body_source, variables);
    return out;
}

}  // namespace cvd::render
