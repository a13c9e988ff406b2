#include "context_pool.hpp"

#include "gpgme_support.hpp"

namespace cvd::crypto::detail {

Lease& Lease::operator=(Lease&& other) noexcept {
    if (this != &other) {
        if (ctx_ && pool_) pool_->release(ctx_);
        pool_ = std::move(other.pool_);
        ctx_ = other.ctx_;
        other.ctx_ = nullptr;
    }
    return *this;
}

Lease::~Lease() {
    if (ctx_ && pool_) pool_->release(ctx_);
}

ContextPool::~ContextPool() {
    for (gpgme_ctx_t ctx : idle_) gpgme_release(ctx);
}

core::Result<Lease> ContextPool::acquire() {
    {
        std::lock_guard lock(mutex_);
        if (!idle_.empty()) {
            gpgme_ctx_t ctx = idle_.back();
            idle_.pop_back();
            return Lease(shared_from_this(), ctx);
        }
    }
    gpgme_ctx_t raw = nullptr;
    if (auto err = gpgme_new(&raw)) return engine_error("creating a GPGME context", err);
    Lease lease(shared_from_this(), raw);
    if (auto err = gpgme_set_protocol(raw, GPGME_PROTOCOL_OpenPGP))
        return engine_error("selecting OpenPGP", err);
    // Keeps the gpg program chosen process-wide (gpgme_set_engine_info), if any: a null name
    // would mean GPGME's built-in default.
    std::string program;
    for (gpgme_engine_info_t info = gpgme_ctx_get_engine_info(raw); info; info = info->next)
        if (info->protocol == GPGME_PROTOCOL_OpenPGP && info->file_name) program = info->file_name;
    if (auto err =
            gpgme_ctx_set_engine_info(raw, GPGME_PROTOCOL_OpenPGP,
                                      program.empty() ? nullptr : program.c_str(), home_.c_str()))
        return engine_error("setting the GnuPG home " + home_, err);
    gpgme_set_offline(raw, 1);  // no dirmngr: a daemon must not fetch keys from the network
    if (auto err = gpgme_set_pinentry_mode(raw, GPGME_PINENTRY_MODE_LOOPBACK))
        return engine_error("selecting loopback pinentry", err);
    return lease;
}

void ContextPool::release(gpgme_ctx_t ctx) {
    // Nothing of the last operation may leak into the next one.
    gpgme_set_passphrase_cb(ctx, nullptr, nullptr);
    gpgme_signers_clear(ctx);
    std::lock_guard lock(mutex_);
    if (idle_.size() < max_idle)
        idle_.push_back(ctx);
    else
        gpgme_release(ctx);
}

}  // namespace cvd::crypto::detail
