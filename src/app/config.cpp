#include "config.hpp"

#include <fstream>
#include <sstream>

#include "cvdbot/core/case_id.hpp"
#include "cvdbot/core/text.hpp"
#include "cvdbot/core/toml_check.hpp"

namespace cvd::app {

using core::Result;
using core::Status;
using core::toml_error;

namespace {

struct Reader {
    const std::string& source;
    const std::filesystem::path& base_dir;

    Result<std::string> string(const toml::table& table, const std::string& section, const std::string& key,
                               bool required, std::string fallback = {}) const {
        const toml::node* node = table.get(key);
        const std::string name = section + "." + key;
        if (!node) {
            if (required) return toml_error(source, &table, name, "is required but missing");
            return fallback;
        }
        if (!node->is_string()) return toml_error(source, node, name, "must be a string");
        std::string value = *node->value_exact<std::string>();
        if (value.find_first_of("\r\n") != std::string::npos || value.find('\0') != std::string::npos)
            return toml_error(source, node, name, "must not contain line breaks");
        return value;
    }

    // `password` inline, or `password_file` read from disk (first line); not both.
    Result<std::string> secret(const toml::table& table, const std::string& section) const {
        const bool inline_set = table.get("password") != nullptr;
        const bool file_set = table.get("password_file") != nullptr;
        if (inline_set && file_set)
            return toml_error(source, table.get("password_file"), section + ".password_file",
                              "give either password or password_file, not both");
        if (inline_set) return string(table, section, "password", false);
        if (!file_set) return std::string();
        auto file = string(table, section, "password_file", false);
        if (!file) return file.error();
        std::filesystem::path path(*file);
        if (path.is_relative()) path = base_dir / path;
        std::ifstream in(path);
        std::string line;
        if (!in || !std::getline(in, line))
            return toml_error(source, table.get("password_file"), section + ".password_file",
                              "cannot read " + path.string());
        return std::string(core::trim(line));
    }
};

Result<const toml::table*> section(const std::string& source, const toml::table& root, const std::string& name,
                                   bool required) {
    const toml::node* node = root.get(name);
    if (!node) {
        if (required) return toml_error(source, &root, "[" + name + "]", "section is required but missing");
        return static_cast<const toml::table*>(nullptr);
    }
    if (!node->is_table()) return toml_error(source, node, name, "must be a table ([" + name + "])");
    return node->as_table();
}

Status check_url(const std::string& source, const toml::table& table, const std::string& key,
                 std::initializer_list<const char*> schemes, const std::string& value) {
    for (const char* scheme : schemes) {
        const std::string prefix = std::string(scheme) + "://";
        if (!core::starts_with_icase(value, prefix) || value.size() <= prefix.size()) continue;
        // The URL is logged; a password in it would be too. Secrets go in password(_file).
        const auto authority = std::string_view(value).substr(prefix.size()).substr(
            0, value.find('/', prefix.size()) - prefix.size());
        if (authority.find('@') != std::string_view::npos)
            return toml_error(source, table.get("url"), key,
                              "must not carry a user or password (it is logged): use user and password_file");
        return {};
    }
    return toml_error(source, table.get("url"), key, "must be a URL starting with " + std::string(*schemes.begin()) + "://");
}

}  // namespace

// In advisory_config.cpp.
Status read_advisory_config(const std::string& source, const toml::table& root, AdvisoryConfig& out);

Result<Config> parse_config(std::string_view toml_text, const std::string& source, const std::filesystem::path& base_dir) {
    auto parsed = core::toml_parse(toml_text, source);
    if (!parsed) return parsed.error();
    const toml::table& root = *parsed;
    if (auto s = core::toml_only_known_keys(source, root, "", {"imap", "smtp", "bot", "paths", "daemon", "coordinators", "crypto", "advisory"}); !s)
        return s.error();
    Reader read{source, base_dir};
    Config config;

    auto imap = section(source, root, "imap", true);
    if (!imap) return imap.error();
    {
        const auto& t = **imap;
        if (auto s = core::toml_only_known_keys(source, t, "imap.",
                                                {"url", "user", "password", "password_file", "mailbox", "processed_folder",
                                                 "idle", "idle_reissue_seconds"});
            !s)
            return s.error();
        auto url = read.string(t, "imap", "url", true);
        if (!url) return url.error();
        if (auto s = check_url(source, t, "imap.url", {"imap", "imaps"}, *url); !s) return s.error();
        auto user = read.string(t, "imap", "user", true);
        if (!user) return user.error();
        auto password = read.secret(t, "imap");
        if (!password) return password.error();
        auto mailbox = read.string(t, "imap", "mailbox", false, "INBOX");
        if (!mailbox) return mailbox.error();
        if (mailbox->empty()) return toml_error(source, t.get("mailbox"), "imap.mailbox", "must not be empty");
        auto processed = read.string(t, "imap", "processed_folder", false);
        if (!processed) return processed.error();
        config.imap = ImapConfig{*url, *user, *password, *mailbox, *processed};
        if (const auto* node = t.get("idle")) {
            if (!node->is_boolean()) return toml_error(source, node, "imap.idle", "must be true or false");
            config.imap.idle = *node->value_exact<bool>();
        }
        if (const auto* node = t.get("idle_reissue_seconds")) {
            const auto value = node->value_exact<std::int64_t>();
            if (!node->is_integer() || !value || *value < 10 || *value > 29 * 60)
                return toml_error(source, node, "imap.idle_reissue_seconds", "must be an integer from 10 to 1740");
            config.imap.idle_reissue = std::chrono::seconds(*value);
        }
    }

    auto smtp = section(source, root, "smtp", true);
    if (!smtp) return smtp.error();
    {
        const auto& t = **smtp;
        if (auto s = core::toml_only_known_keys(source, t, "smtp.", {"url", "user", "password", "password_file"}); !s)
            return s.error();
        auto url = read.string(t, "smtp", "url", true);
        if (!url) return url.error();
        if (auto s = check_url(source, t, "smtp.url", {"smtp", "smtps"}, *url); !s) return s.error();
        auto user = read.string(t, "smtp", "user", false);
        if (!user) return user.error();
        auto password = read.secret(t, "smtp");
        if (!password) return password.error();
        config.smtp = SmtpConfig{*url, *user, *password};
    }

    auto bot = section(source, root, "bot", true);
    if (!bot) return bot.error();
    {
        const auto& t = **bot;
        if (auto s = core::toml_only_known_keys(source, t, "bot.", {"address", "name", "case_prefix", "language"}); !s)
            return s.error();
        auto address = read.string(t, "bot", "address", true);
        if (!address) return address.error();
        if (!core::is_plausible_addr_spec(*address) || address->find('+') != std::string::npos)
            return toml_error(source, t.get("address"), "bot.address",
                              "must be a plain address like bot@example.org (no display name, no '+')");
        auto name = read.string(t, "bot", "name", false, "cvdbot");
        if (!name) return name.error();
        auto prefix = read.string(t, "bot", "case_prefix", false, "CVD");
        if (!prefix) return prefix.error();
        if (!core::is_valid_case_prefix(*prefix))
            return toml_error(source, t.get("case_prefix"), "bot.case_prefix", "must be 1 to 16 letters or digits");
        auto language = read.string(t, "bot", "language", false, "ja");
        if (!language) return language.error();
        if (*language != "ja" && *language != "en")
            return toml_error(source, t.get("language"), "bot.language", "must be \"ja\" or \"en\"");
        config.bot = BotConfig{*address, *name, *prefix, *language};
    }

    auto paths = section(source, root, "paths", false);
    if (!paths) return paths.error();
    if (*paths) {
        const auto& t = **paths;
        if (auto s = core::toml_only_known_keys(source, t, "paths.", {"database", "templates", "rules"}); !s)
            return s.error();
        for (auto [key, target] : {std::pair{"database", &config.database}, std::pair{"templates", &config.templates_dir},
                                   std::pair{"rules", &config.rules_dir}}) {
            auto value = read.string(t, "paths", key, false, target->string());
            if (!value) return value.error();
            if (value->empty()) return toml_error(source, t.get(key), std::string("paths.") + key, "must not be empty");
            *target = *value;
        }
    }

    auto daemon = section(source, root, "daemon", false);
    if (!daemon) return daemon.error();
    if (*daemon) {
        const auto& t = **daemon;
        if (auto s = core::toml_only_known_keys(source, t, "daemon.", {"poll_interval_seconds"}); !s) return s.error();
        if (const auto* node = t.get("poll_interval_seconds")) {
            const auto value = node->value_exact<std::int64_t>();
            if (!node->is_integer() || !value || *value < 1 || *value > 86400)
                return toml_error(source, node, "daemon.poll_interval_seconds", "must be an integer from 1 to 86400");
            config.poll_interval = std::chrono::seconds(*value);
        }
    }
    auto coordinators = section(source, root, "coordinators", false);
    if (!coordinators) return coordinators.error();
    if (*coordinators) {
        const auto& t = **coordinators;
        if (auto s = core::toml_only_known_keys(source, t, "coordinators.", {"addresses"}); !s) return s.error();
        if (const auto* node = t.get("addresses")) {
            const auto* list = node->as_array();
            if (!list) return toml_error(source, node, "coordinators.addresses", "must be a list of addresses");
            for (const auto& item : *list) {
                const auto value = item.value_exact<std::string>();
                if (!item.is_string() || !core::is_plausible_addr_spec(*value))
                    return toml_error(source, &item, "coordinators.addresses", "each entry must be a plain address");
                config.coordinators.push_back(core::to_lower_ascii(*value));
            }
        }
    }
    auto crypto = section(source, root, "crypto", false);
    if (!crypto) return crypto.error();
    if (*crypto) {
        const auto& t = **crypto;
        if (auto s = core::toml_only_known_keys(source, t, "crypto.",
                                                {"gnupg_home", "passphrase_file", "key_validity_days"});
            !s)
            return s.error();
        auto home = read.string(t, "crypto", "gnupg_home", false);
        if (!home) return home.error();
        config.crypto.gnupg_home = *home;
        auto passphrase = read.string(t, "crypto", "passphrase_file", false);
        if (!passphrase) return passphrase.error();
        if (!passphrase->empty()) {
            std::filesystem::path path(*passphrase);
            config.crypto.passphrase_file = path.is_relative() ? base_dir / path : path;
        }
        if (const auto* node = t.get("key_validity_days")) {
            const auto value = node->value_exact<std::int64_t>();
            if (!node->is_integer() || !value || *value < 0 || *value > 36500)
                return toml_error(source, node, "crypto.key_validity_days", "must be an integer from 0 to 36500");
            config.crypto.key_validity_days = static_cast<int>(*value);
        }
    }
    if (auto s = read_advisory_config(source, root, config.advisory); !s) return s.error();
    return config;
}

Result<Config> load_config(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return core::make_error(core::ErrorKind::config,
                                path.string() + ": cannot read the configuration file (use --config FILE)");
    std::ostringstream text;
    text << in.rdbuf();
    return parse_config(text.str(), path.string(), path.parent_path());
}

}  // namespace cvd::app
