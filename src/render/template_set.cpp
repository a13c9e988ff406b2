#include "cvdbot/render/template_set.hpp"

#include <mstch/mstch.hpp>

#include <fstream>
#include <mutex>
#include <sstream>
#include <vector>

#include "cvdbot/core/text.hpp"

namespace cvd::render {

using core::ErrorKind;
using core::make_error;
using core::Result;

const std::map<std::string, std::string, std::less<>>& known_variables() {
    static const std::map<std::string, std::string, std::less<>> kVariables{
        {"case_id", "the case id, e.g. CVD#2026-0001"},
        {"case_tag", "the case tag for subjects, e.g. [CVD#2026-0001]"},
        {"recipient_name", "the recipient's display name, or their address when they gave none"},
        {"recipient_address", "the recipient's address"},
        {"report_subject", "the subject of the message being answered"},
        {"report_date", "when the message being answered arrived (UTC, ISO 8601)"},
        {"bot_name", "the bot's display name"},
        {"bot_address", "the bot's address"},
        {"reply_address", "the address replies should go to (the recipient's own thread on a case)"},
        {"vendor_names", "the vendors a contact-change request concerns"},
        {"change_details", "the addresses a contact-change request adds or removes, one per line"},
        {"problems", "what could not be read in the sender's message, one per line"},
        {"problem", "what went wrong with the sender's encrypted or signed message, in plain words"},
        {"bot_fingerprint", "the fingerprint of the bot's signing key"},
    };
    return kVariables;
}

namespace {

// Collects the variable names of every mustache tag and checks that sections balance.
core::Status scan_tags(std::string_view text, const std::string& source,
                       std::set<std::string, std::less<>>& variables) {
    std::vector<std::string> open_sections;
    std::size_t pos = 0;
    while ((pos = text.find("{{", pos)) != std::string_view::npos) {
        const bool triple = text.substr(pos, 3) == "{{{";
        const auto close_marker = triple ? std::string_view("}}}") : std::string_view("}}");
        const auto end = text.find(close_marker, pos + (triple ? 3 : 2));
        if (end == std::string_view::npos)
            return make_error(ErrorKind::config, source + ": a '{{' tag is never closed");
        std::string_view tag = core::trim(text.substr(pos + (triple ? 3 : 2), end - pos - (triple ? 3 : 2)));
        pos = end + close_marker.size();
        char kind = tag.empty() ? '\0' : tag.front();
        if (kind == '!') continue;  // comment
        if (kind == '=' || kind == '>')
            return make_error(ErrorKind::config, source + ": delimiter changes and partials are not supported");
        if (kind == '#' || kind == '^' || kind == '/' || kind == '&') tag = core::trim(tag.substr(1));
        const std::string name(tag);
        if (name.empty()) return make_error(ErrorKind::config, source + ": empty tag");
        if (!known_variables().count(name))
            return make_error(ErrorKind::config, source + ": unknown variable '" + name + "'");
        if (kind == '#' || kind == '^') {
            open_sections.push_back(name);
        } else if (kind == '/') {
            if (open_sections.empty() || open_sections.back() != name)
                return make_error(ErrorKind::config, source + ": section '" + name + "' closed without being opened");
            open_sections.pop_back();
        }
        variables.insert(name);
    }
    if (!open_sections.empty())
        return make_error(ErrorKind::config, source + ": section '" + open_sections.back() + "' is never closed");
    return {};
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

Result<Template> parse_template(std::string_view name, std::string_view text, const std::string& source) {
    if (!core::is_valid_utf8(text)) return make_error(ErrorKind::config, source + ": not valid UTF-8");
    const auto first_end = text.find('\n');
    std::string_view first = text.substr(0, first_end);
    if (!first.empty() && first.back() == '\r') first.remove_suffix(1);
    if (!core::starts_with_icase(first, "Subject:"))
        return make_error(ErrorKind::config, source + ":1: the first line must be 'Subject: ...'");
    Template t;
    t.name = std::string(name);
    t.subject_source = std::string(core::trim(first.substr(8)));
    if (t.subject_source.empty()) return make_error(ErrorKind::config, source + ":1: the subject is empty");
    std::string_view body = first_end == std::string_view::npos ? std::string_view{} : text.substr(first_end + 1);
    // One blank line separates subject and body, like a mail header.
    if (!body.empty() && (body.front() == '\n' || body.substr(0, 2) == "\r\n"))
        body.remove_prefix(body.front() == '\n' ? 1 : 2);
    t.body_source = std::string(body);
    if (auto s = scan_tags(t.subject_source, source + ":1", t.variables); !s) return s.error();
    if (auto s = scan_tags(t.body_source, source, t.variables); !s) return s.error();
    return t;
}

Result<TemplateSet> TemplateSet::load(const std::filesystem::path& dir) {
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec))
        return make_error(ErrorKind::config, dir.string() + ": the templates directory does not exist");
    TemplateSet set;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
        if (!entry.is_regular_file() || entry.path().extension() != ".txt") continue;
        std::ifstream in(entry.path(), std::ios::binary);
        std::ostringstream text;
        text << in.rdbuf();
        if (!in) return make_error(ErrorKind::config, entry.path().string() + ": cannot read");
        auto parsed = parse_template(entry.path().stem().string(), text.str(), entry.path().string());
        if (!parsed) return parsed.error();
        set.add(std::move(*parsed));
    }
    if (ec) return make_error(ErrorKind::config, dir.string() + ": " + ec.message());
    return set;
}

bool TemplateSet::contains(std::string_view name) const { return templates_.find(name) != templates_.end(); }

void TemplateSet::add(Template t) {
    auto name = t.name;
    templates_.insert_or_assign(std::move(name), std::move(t));
}

Result<RenderedMessage> TemplateSet::render(std::string_view name, const Variables& variables) const {
    const auto it = templates_.find(name);
    if (it == templates_.end())
        return make_error(ErrorKind::not_found, "no template named '" + std::string(name) + "'");
    for (const auto& used : it->second.variables)
        if (!variables.count(used))
            return make_error(ErrorKind::invalid_input, "template '" + std::string(name) + "' needs variable '" +
                                                            used + "', which was not provided");
    RenderedMessage out;
    out.subject = render_mustache(it->second.subject_source, variables);
    // A subject is one line whatever a variable contains.
    for (char& c : out.subject)
        if (c == '\r' || c == '\n') c = ' ';
    out.body = render_mustache(it->second.body_source, variables);
    return out;
}

}  // namespace cvd::render
