#pragma once
// Decryption ahead along one pass's processing order (the daemon's side of DecryptAhead): the
// next kDecryptWindow messages are offered as processing moves on, and a message whose
// decryption still runs is waited for before the write transaction that processes it, so
// that the write lock is never held while gpg works.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "cvdbot/core/result.hpp"
#include "decrypt_ahead.hpp"

namespace cvd::app {

class DecryptWindow {
  public:
    // The bytes of a message still held from this cycle's fetch (null when not held), and
    // otherwise read back from the store.
    using Held = std::function<const std::string*(std::int64_t row_id)>;
    using Read = std::function<core::Result<std::string>(std::int64_t row_id)>;

    // Messages offered ahead of processing: enough that gpg never waits for the daemon, few
    // enough that the copies stay small.
    static constexpr std::size_t kDecryptWindow = 16;

    // `ahead` may be null (no decryption ahead): every call is then a no-op.
    DecryptWindow(DecryptAhead* ahead, const std::vector<std::int64_t>& order, Held held, Read read)
        : ahead_(ahead), order_(order), held_(std::move(held)), read_(std::move(read)) {}

    // Offers the messages up to kDecryptWindow past `position` not offered yet.
    void offer_ahead(std::size_t position);
    // Before a transaction starting at `position`: offers ahead, and waits for that
    // message's decryption (moved to the front of the queue) if it is still running.
    void settle_before(std::size_t position);
    // Is this message's decryption still queued or running? Such a message ends a group.
    bool waits_for_gpg(std::int64_t row_id) const;

  private:
    DecryptAhead* ahead_;
    const std::vector<std::int64_t>& order_;
    Held held_;
    Read read_;
    std::size_t offered_ = 0;
};

}  // namespace cvd::app
