// [advisory] of the configuration: the publisher of advisories and CVE records.
#include <regex>

#include "config.hpp"
#include "cvdbot/core/toml_check.hpp"

namespace cvd::app {

core::Status read_advisory_config(const std::string& source, const toml::table& root, AdvisoryConfig& out) {
    const toml::node* node = root.get("advisory");
    if (!node) return {};
    const auto* table = node->as_table();
    if (!table) return core::toml_error(source, node, "advisory", "must be a table ([advisory])");
    std::pair<const char*, std::string*> keys[] = {
        {"publisher_name", &out.publisher_name}, {"publisher_namespace", &out.publisher_namespace},
        {"cna_org_id", &out.cna_org_id},         {"cna_short_name", &out.cna_short_name},
        {"id_pattern", &out.id_pattern},         {"advisory_url_base", &out.advisory_url_base}};
    std::set<std::string> known;
    for (const auto& [key, _] : keys) known.insert(key);
    if (auto s = core::toml_only_known_keys(source, *table, "advisory.", known); !s) return s;
    for (const auto& [key, target] : keys) {
        const toml::node* value = table->get(key);
        if (!value) continue;
        if (!value->is_string() || value->value_exact<std::string>()->empty())
            return core::toml_error(source, value, std::string("advisory.") + key, "must be a non-empty string");
        *target = *value->value_exact<std::string>();
    }
    try {
        std::regex check(out.id_pattern);
    } catch (const std::regex_error&) {
        return core::toml_error(source, table->get("id_pattern"), "advisory.id_pattern", "is not a regular expression");
    }
    static const std::regex kUuid("^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-4[0-9A-Fa-f]{3}-[89ABab][0-9A-Fa-f]{3}-[0-9A-Fa-f]{12}$");
    if (!out.cna_org_id.empty() && !std::regex_match(out.cna_org_id, kUuid))
        return core::toml_error(source, table->get("cna_org_id"), "advisory.cna_org_id",
                                "must be the CNA's UUID (version 4)");
    return {};
}

}  // namespace cvd::app
