#pragma once
// Shared by the config and rules loaders: one place that turns TOML problems into
// messages naming the file, the line and the key. Header-only so core need not link toml++.

#include <toml++/toml.h>

#include <set>
#include <sstream>
#include <string>

#include "cvdbot/core/result.hpp"

namespace cvd::core {

inline std::string toml_where(const std::string& source, const toml::node* node) {
    std::ostringstream out;
    out << source;
    if (node && node->source().begin.line > 0) out << ":" << node->source().begin.line;
    return out.str();
}

inline Error toml_error(const std::string& source, const toml::node* node, const std::string& key,
                        const std::string& problem) {
    return make_error(ErrorKind::config, toml_where(source, node) + ": " + key + ": " + problem);
}

// Every key of `table` must be in `known`; the first stranger is reported.
inline Status toml_only_known_keys(const std::string& source, const toml::table& table,
                                   const std::string& prefix, const std::set<std::string>& known) {
    for (const auto& [key, node] : table) {
        if (!known.count(std::string(key.str())))
            return toml_error(source, &node, prefix + std::string(key.str()), "unknown key");
    }
    return {};
}

inline Result<toml::table> toml_parse(std::string_view text, const std::string& source) {
    try {
        return toml::parse(text, source);
    } catch (const toml::parse_error& e) {
        std::ostringstream out;
        out << source << ":" << e.source().begin.line << ": " << e.description();
        return make_error(ErrorKind::config, out.str());
    }
}

}  // namespace cvd::core
