#include "cli.hpp"

#include <spdlog/spdlog.h>

namespace cvd::app {

core::Result<Config*> Cli::config() {
    if (!config_) config_ = load_config(config_path);
    if (!config_->ok()) return config_->error();
    return &config_->value();
}

core::Result<store::Store*> Cli::store() {
    if (store_) return store_.get();
    auto cfg = config();
    if (!cfg) return cfg.error();
    auto opened = store::Store::open((*cfg)->database.string());
    if (!opened) return opened.error();
    store_ = std::make_unique<store::Store>(std::move(*opened));
    return store_.get();
}

void Cli::fail(const core::Error& error) {
    spdlog::error("{}", error.message);
    exit_code = error.kind == core::ErrorKind::config ? 78 : 1;  // 78: EX_CONFIG
}

core::Result<domain::Case> case_argument(store::Store& store, const std::string& case_id) {
    const auto id = core::parse_case_id(case_id);
    if (!id)
        return core::make_error(core::ErrorKind::invalid_input,
                                "'" + case_id + "' is not a case id (expected e.g. CVD#2026-0001)");
    auto the_case = store.find_case(*id);
    if (!the_case) return the_case.error();
    if (!*the_case) return core::make_error(core::ErrorKind::not_found, "no case " + id->str());
    return **the_case;
}

core::Result<core::Timestamp> now_option(const std::string& iso) {
    if (iso.empty()) return core::SystemClock().now();
    const auto parsed = core::parse_iso8601(iso);
    if (!parsed) return core::make_error(core::ErrorKind::invalid_input, "--now '" + iso + "' is not ISO 8601");
    return *parsed;
}

}  // namespace cvd::app
