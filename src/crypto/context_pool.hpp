#pragma once
// Idle GPGME contexts of one GnuPG home, reused (internal). Setting a context's engine info
// (its home directory) makes GPGME run `gpg --version` each time, which doubled the cost of
// every operation; a context keeps its engine info, so it is set once and the context reused.
// (A process-wide gpgme_set_engine_info would avoid it too, but allows one home per process.)

#include <gpgme.h>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "cvdbot/core/result.hpp"

namespace cvd::crypto::detail {

class ContextPool;

// A context borrowed for one operation; goes back to the pool when destroyed.
class Lease {
  public:
    Lease(std::shared_ptr<ContextPool> pool, gpgme_ctx_t ctx) : pool_(std::move(pool)), ctx_(ctx) {}
    Lease(Lease&& other) noexcept : pool_(std::move(other.pool_)), ctx_(other.ctx_) {
        other.ctx_ = nullptr;
    }
    Lease& operator=(Lease&& other) noexcept;
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease();

    gpgme_ctx_t get() const { return ctx_; }

  private:
    std::shared_ptr<ContextPool> pool_;
    gpgme_ctx_t ctx_ = nullptr;
};

class ContextPool : public std::enable_shared_from_this<ContextPool> {
  public:
    explicit ContextPool(std::string home) : home_(std::move(home)) {}
    ~ContextPool();
    ContextPool(const ContextPool&) = delete;
    ContextPool& operator=(const ContextPool&) = delete;

    // An idle context, or a new one on the home directory (offline, loopback pinentry).
    core::Result<Lease> acquire();
    void release(gpgme_ctx_t ctx);

  private:
    static constexpr std::size_t max_idle = 4;
    std::string home_;
    std::mutex mutex_;
    std::vector<gpgme_ctx_t> idle_;
};

}  // namespace cvd::crypto::detail
