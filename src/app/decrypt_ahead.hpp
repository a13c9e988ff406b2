#pragma once
// Decrypts PGP/MIME messages on a thread of its own before the daemon reaches them: catching
// up, gpg opens the next message while the daemon parses, files and answers this one. Each
// decryption is one gpg run (15-45 ms), the largest cost of an encrypted report.
//
// The daemon offers the stored messages it will process next (a window that moves with it);
// its Keyring then takes the decryption from here (use_precomputed) instead of running gpg
// again. An answer is used only if the keyring's files are as they were when it was made: a
// key imported by an earlier message must count for the signature check of a later one. The
// daemon waits for a message still being decrypted (settle) before it takes the database's
// write lock for it, so the outbox sender can record its replies meanwhile; a message it
// reaches first anyway is dropped from the queue (or waited for, if gpg is already on it).

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

#include "cvdbot/core/result.hpp"
#include "cvdbot/crypto/keyring.hpp"

namespace cvd::app {

class DecryptAhead : public crypto::PrecomputedDecryptions {
  public:
    // At most this many decryptions are queued or kept: a few groups' worth.
    static constexpr std::size_t kMaxKept = 64;
    // Larger messages are left to the daemon: the copy would cost memory the target forbids.
    static constexpr std::size_t kMaxMessageBytes = 1u << 20;
    // Ciphertext copies waiting in the queue, at most: memory stays flat with large messages.
    static constexpr std::size_t kMaxQueuedBytes = 8u << 20;

    // Opens a Keyring of its own on the same home and starts the thread.
    static core::Result<std::shared_ptr<DecryptAhead>> start(const crypto::KeyringSettings&);
    ~DecryptAhead() override;
    DecryptAhead(const DecryptAhead&) = delete;
    DecryptAhead& operator=(const DecryptAhead&) = delete;

    // Stored message `row_id`, which the daemon will process soon; only PGP/MIME encrypted ones
    // are taken, each ciphertext once.
    void offer(std::int64_t row_id, std::string_view raw);
    // Whether the row's decryption is still queued or running.
    bool unsettled(std::int64_t row_id);
    // Until it is not: a queued row goes first.
    void settle(std::int64_t row_id);
    std::optional<crypto::Decryption> take(std::string_view ciphertext) override;
    void stop();

    struct Counts {
        int decrypted = 0;  // gpg runs made here
        int used = 0;       // answers the daemon took
        int stale = 0;      // made before a key change: the daemon decrypted again
    };
    Counts counts();

  private:
    explicit DecryptAhead(crypto::Keyring keyring);
    // Is the row queued or being decrypted? mutex_ held.
    bool unsettled_locked(std::int64_t row_id) const;
    void run();

    struct Done {
        crypto::KeyringStamp stamp;  // the keyring's files when it was made
        crypto::Decryption decryption;
    };

    crypto::Keyring keyring_;
    std::filesystem::path home_;

    std::mutex mutex_;  // guards what follows
    std::condition_variable changed_;
    bool stopping_ = false;
    struct Job {
        std::int64_t row_id = 0;
        std::string hash;  // of the ciphertext
        std::string ciphertext;
    };
    bool known(const std::string& hash) const;

    std::deque<Job> queue_;
    std::size_t queued_bytes_ = 0;
    std::string in_flight_;  // hash gpg is working on
    std::int64_t in_flight_row_ = 0;
    std::map<std::string, Done> done_;  // by content hash
    Counts counts_;

    std::thread thread_;  // last: started when everything above exists
};

}  // namespace cvd::app
