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

}  // namespace cvd::app
