#include "cvdbot/rules/rule_set.hpp"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <optional>
#include <sstream>

#include "cvdbot/core/toml_check.hpp"

namespace cvd::rules {

using core::Error;
using core::Result;
using core::toml_error;

namespace {

template <typename T>
Result<T> read_value(const std::string& source, const toml::table& table,
                     const std::string& section, const std::string& key, T fallback) {
    const toml::node* node = table.get(key);
    if (!node) return fallback;
    // value_exact: no conversions (a float read as an integer is unchecked in toml++).
    if (auto value = node->value_exact<T>()) return *value;
    return toml_error(source, node, section + "." + key, "has the wrong type");
}

Result<std::chrono::seconds> read_seconds(const std::string& source, const toml::table& table,
                                          const std::string& section, const std::string& key,
                                          std::chrono::seconds fallback, std::int64_t max) {
    auto value = read_value<std::int64_t>(source, table, section, key, fallback.count());
    if (!value) return value.error();
    if (*value < 1 || *value > max)
        return toml_error(source, table.get(key), section + "." + key,
                          "must be between 1 and " + std::to_string(max) + " seconds");
    return std::chrono::seconds(*value);
}

Result<int> read_count(const std::string& source, const toml::table& table, const std::string& key,
                       int fallback, int min, int max, const std::string& section = "timers") {
    auto value = read_value<std::int64_t>(source, table, section, key, fallback);
    if (!value) return value.error();
    if (*value < min || *value > max)
        return toml_error(source, table.get(key), section + "." + key,
                          "must be between " + std::to_string(min) + " and " + std::to_string(max));
    return static_cast<int>(*value);
}

// A list of plain names; `allowed` (when not empty) limits the values.
Result<std::vector<std::string>> read_names(const std::string& source, const toml::table& table,
                                            const std::string& section, const std::string& name,
                                            const std::vector<std::string>& allowed) {
    const std::string key = section + "." + name;
    std::vector<std::string> out;
    const toml::node* node = table.get(name);
    const auto* list = node ? node->as_array() : nullptr;
    if (node && !list) return toml_error(source, node, key, "must be a list of names");
    if (!list) return out;
    for (const auto& item : *list) {
        const auto value = item.value_exact<std::string>();
        if (!item.is_string() || value->empty() || value->find_first_of("/\\. ") != std::string::npos)
            return toml_error(source, &item, key, "each entry must be a plain name");
        if (!allowed.empty() && std::find(allowed.begin(), allowed.end(), *value) == allowed.end()) {
            std::string names;
            for (const auto& a : allowed) names += (names.empty() ? "" : ", ") + a;
            return toml_error(source, &item, key, "unknown name '" + *value + "' (one of: " + names + ")");
        }
        out.push_back(*value);
    }
    return out;
}

core::Status read_confidentiality(const std::string& source, const toml::table& table, ConfidentialityRules& out) {
    if (auto s = core::toml_only_known_keys(source, table, "confidentiality.", {"templates", "plaintext_roles"}); !s)
        return s;
    if (table.get("templates")) {
        auto templates = read_names(source, table, "confidentiality", "templates", {});
        if (!templates) return templates.error();
        out.templates = std::move(*templates);
    }
    auto roles = read_names(source, table, "confidentiality", "plaintext_roles",
                            {"discoverer", "vendor", "site_operator", "coordinator"});
    if (!roles) return roles.error();
    out.plaintext_roles = std::move(*roles);
    return {};
}

core::Status read_timers(const std::string& source, const toml::table& table, TimerRules& timers) {
    if (auto s = core::toml_only_known_keys(
            source, table, "timers.",
            {"vendor_reminder_days", "vendor_unreachable_after_days", "publication_target_days",
             "operator_first_reply_business_days", "operator_reminders", "web_fix_target_months",
             "nondisclosure_lift_months", "product_listing_months"});
        !s)
        return s.error();
    if (const toml::node* node = table.get("vendor_reminder_days")) {
        const auto* list = node->as_array();
        if (!list || list->empty() || list->size() > 10)
            return toml_error(source, node, "timers.vendor_reminder_days",
                              "must be a list of 1 to 10 day counts, e.g. [7, 14, 30]");
        std::vector<int> days;
        for (const auto& item : *list) {
            const auto day = item.value_exact<std::int64_t>();
            if (!item.is_integer() || !day || *day < 1 || *day > 365)
                return toml_error(source, &item, "timers.vendor_reminder_days",
                                  "each entry must be a whole number of days between 1 and 365");
            // Reminders go out in order; an unsorted list would make "the last" ambiguous.
            if (!days.empty() && *day <= days.back())
                return toml_error(source, &item, "timers.vendor_reminder_days",
                                  "must be strictly increasing");
            days.push_back(static_cast<int>(*day));
        }
        timers.vendor_reminder_days = days;
    }
    struct Field {
        const char* key;
        int* target;
        int min, max;
    };
    for (const Field& f :
         {Field{"vendor_unreachable_after_days", &timers.vendor_unreachable_after_days, 1, 365},
          Field{"publication_target_days", &timers.publication_target_days, 1, 365},
          Field{"operator_first_reply_business_days", &timers.operator_first_reply_business_days, 1,
                60},
          Field{"operator_reminders", &timers.operator_reminders, 0, 10},
          Field{"web_fix_target_months", &timers.web_fix_target_months, 1, 24},
          Field{"nondisclosure_lift_months", &timers.nondisclosure_lift_months, 1, 60},
          Field{"product_listing_months", &timers.product_listing_months, 1, 24}}) {
        auto value = read_count(source, table, f.key, *f.target, f.min, f.max);
        if (!value) return value.error();
        *f.target = *value;
    }
    return {};
}

core::Status read_limits(const std::string& source, const toml::table& table, LimitRules& limits) {
    if (auto s = core::toml_only_known_keys(source, table, "limits.",
                                            {"replies_per_sender", "replies_per_case", "window_seconds"});
        !s)
        return s.error();
    auto window = read_seconds(source, table, "limits", "window_seconds", limits.window, 7 * 86400);
    if (!window) return window.error();
    limits.window = *window;
    for (auto [key, target] : {std::pair{"replies_per_sender", &limits.replies_per_sender},
                               std::pair{"replies_per_case", &limits.replies_per_case}}) {
        auto value = read_count(source, table, key, *target, 1, 1000, "limits");
        if (!value) return value.error();
        *target = *value;
    }
    return {};
}

}  // namespace

Result<RuleSet> parse_rules(std::string_view toml_text, const std::string& source) {
    auto parsed = core::toml_parse(toml_text, source);
    if (!parsed) return parsed.error();
    const toml::table& root = *parsed;
    if (auto s = core::toml_only_known_keys(source, root, "", {"intake", "outbox", "limits", "timers", "confidentiality"});
        !s)
        return s.error();

    RuleSet rules;
    if (const auto* conf = root.get_as<toml::table>("confidentiality")) {
        if (auto s = read_confidentiality(source, *conf, rules.confidentiality); !s) return s.error();
    } else if (root.get("confidentiality")) {
        return toml_error(source, root.get("confidentiality"), "confidentiality", "must be a table");
    }
    if (const auto* intake = root.get_as<toml::table>("intake")) {
        if (auto s = core::toml_only_known_keys(source, *intake, "intake.",
                                                {"acknowledge_reports", "acknowledgment_template"});
            !s)
            return s.error();
        auto ack = read_value<bool>(source, *intake, "intake", "acknowledge_reports", true);
        if (!ack) return ack.error();
        rules.intake.acknowledge_reports = *ack;
        auto tmpl = read_value<std::string>(source, *intake, "intake", "acknowledgment_template",
                                            rules.intake.acknowledgment_template);
        if (!tmpl) return tmpl.error();
        if (tmpl->empty() || tmpl->find_first_of("/\\.") != std::string::npos)
            return toml_error(source, intake->get("acknowledgment_template"),
                              "intake.acknowledgment_template", "must be a plain template name");
        rules.intake.acknowledgment_template = *tmpl;
    } else if (root.get("intake")) {
        return toml_error(source, root.get("intake"), "intake", "must be a table");
    }

    if (const auto* outbox = root.get_as<toml::table>("outbox")) {
        if (auto s = core::toml_only_known_keys(
                source, *outbox, "outbox.",
                {"retry_initial_seconds", "retry_max_seconds", "max_attempts",
                 "permanent_failure_counts_as_unanswered"});
            !s)
            return s.error();
        auto initial = read_seconds(source, *outbox, "outbox", "retry_initial_seconds",
                                    rules.outbox.retry_initial, 86400);
        if (!initial) return initial.error();
        auto max = read_seconds(source, *outbox, "outbox", "retry_max_seconds",
                                rules.outbox.retry_max, 7 * 86400);
        if (!max) return max.error();
        if (*max < *initial)
            return toml_error(source, outbox->get("retry_max_seconds"), "outbox.retry_max_seconds",
                              "must not be smaller than retry_initial_seconds");
        auto attempts = read_value<std::int64_t>(source, *outbox, "outbox", "max_attempts",
                                                 rules.outbox.max_attempts);
        if (!attempts) return attempts.error();
        if (*attempts < 1 || *attempts > 1000)
            return toml_error(source, outbox->get("max_attempts"), "outbox.max_attempts",
                              "must be between 1 and 1000");
        auto refusals =
            read_value<bool>(source, *outbox, "outbox", "permanent_failure_counts_as_unanswered",
                             rules.outbox.permanent_failure_counts_as_unanswered);
        if (!refusals) return refusals.error();
        rules.outbox = OutboxRules{*initial, *max, static_cast<int>(*attempts), *refusals};
    } else if (root.get("outbox")) {
        return toml_error(source, root.get("outbox"), "outbox", "must be a table");
    }

    if (const auto* limits = root.get_as<toml::table>("limits")) {
        if (auto s = read_limits(source, *limits, rules.limits); !s) return s.error();
    } else if (root.get("limits")) {
        return toml_error(source, root.get("limits"), "limits", "must be a table");
    }

    if (const auto* timers = root.get_as<toml::table>("timers")) {
        if (auto s = read_timers(source, *timers, rules.timers); !s) return s.error();
    } else if (root.get("timers")) {
        return toml_error(source, root.get("timers"), "timers", "must be a table");
    }
    return rules;
}

Result<Holidays> parse_holidays(std::string_view toml_text, const std::string& source_name) {
    auto root = core::toml_parse(toml_text, source_name);
    if (!root) return root.error();
    if (auto s = core::toml_only_known_keys(source_name, *root, "", {"holidays"}); !s) return s.error();
    Holidays out;
    const toml::node* node = root->get("holidays");
    if (!node) return out;
    const auto* table = node->as_table();
    if (!table) return toml_error(source_name, node, "holidays", "must be a table of YYYY-MM-DD = \"name\"");
    for (const auto& [key, value] : *table) {
        const std::string text(key.str());
        int y = 0;
        unsigned m = 0, d = 0;
        char tail = 0;
        if (text.size() != 10 || std::sscanf(text.c_str(), "%4d-%2u-%2u%c", &y, &m, &d, &tail) != 3)
            return toml_error(source_name, &value, "holidays." + text, "is not a date (YYYY-MM-DD)");
        const std::chrono::year_month_day parsed{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
        if (!parsed.ok() || y < 2000 || y > 2200)
            return toml_error(source_name, &value, "holidays." + text, "is not a real date");
        const auto name = value.value_exact<std::string>();
        if (!value.is_string() || name->empty())
            return toml_error(source_name, &value, "holidays." + text, "needs a name, e.g. \"元日\"");
        out.emplace(std::chrono::sys_days{parsed}, *name);
    }
    return out;
}

namespace {

// nullopt when the file does not exist.
Result<std::optional<std::string>> read_file(const std::filesystem::path& path) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) return std::optional<std::string>{};
    std::ifstream in(path, std::ios::binary);
    if (!in) return core::make_error(core::ErrorKind::config, path.string() + ": cannot read");
    std::ostringstream text;
    text << in.rdbuf();
    return std::optional<std::string>(text.str());
}

}  // namespace

Result<RuleSet> load_rules(const std::filesystem::path& dir) {
    const auto path = dir / "workflow.toml";
    auto text = read_file(path);
    if (!text) return text.error();
    if (!*text)
        return core::make_error(core::ErrorKind::config,
                                path.string() + ": cannot read the workflow rules file");
    auto rules = parse_rules(**text, path.string());
    if (!rules) return rules.error();
    const auto holidays_path = dir / "holidays.toml";
    auto holidays_text = read_file(holidays_path);
    if (!holidays_text) return holidays_text.error();
    if (*holidays_text) {
        auto holidays = parse_holidays(**holidays_text, holidays_path.string());
        if (!holidays) return holidays.error();
        rules->holidays = std::move(*holidays);
    }
    return rules;
}

bool ConfidentialityRules::is_confidential(std::string_view template_name) const {
    return std::find(templates.begin(), templates.end(), template_name) != templates.end();
}

bool ConfidentialityRules::plaintext_allowed(std::string_view role) const {
    return std::find(plaintext_roles.begin(), plaintext_roles.end(), role) != plaintext_roles.end();
}

std::chrono::seconds retry_delay(const OutboxRules& rules, int attempt) {
    auto delay = rules.retry_initial;
    for (int i = 1; i < attempt && delay < rules.retry_max; ++i) delay *= 2;
    return std::min(delay, rules.retry_max);
}

}  // namespace cvd::rules
