#include "decrypt_ahead.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "cvdbot/core/hash.hpp"
#include "pgp_open.hpp"

namespace cvd::app {

core::Result<std::shared_ptr<DecryptAhead>> DecryptAhead::start(
    const crypto::KeyringSettings& settings) {
    auto keyring = crypto::Keyring::open(settings);
    if (!keyring) return keyring.error();
    return std::shared_ptr<DecryptAhead>(new DecryptAhead(std::move(*keyring)));
}

DecryptAhead::DecryptAhead(crypto::Keyring keyring)
    : keyring_(std::move(keyring)),
      home_(keyring_.settings().gnupg_home),
      thread_([this] { run(); }) {}

DecryptAhead::~DecryptAhead() {
    stop();
}

void DecryptAhead::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    changed_.notify_all();
    if (thread_.joinable()) thread_.join();
}

bool DecryptAhead::known(const std::string& hash) const {
    return in_flight_ == hash || done_.count(hash) != 0 ||
           std::any_of(queue_.begin(), queue_.end(),
                       [&](const Job& job) { return job.hash == hash; });
}

void DecryptAhead::offer(std::int64_t row_id, std::string_view raw) {
    if (raw.size() > kMaxMessageBytes) return;
    auto ciphertext = pgp_mime_ciphertext(raw);
    if (!ciphertext) return;
    std::string hash = core::sha256_hex(*ciphertext);
    {
        std::lock_guard lock(mutex_);
        if (stopping_ || queue_.size() >= kMaxKept ||
            queued_bytes_ + ciphertext->size() > kMaxQueuedBytes || known(hash))
            return;
        // Answers nobody took (the message went another way) must not pile up.
        if (done_.size() >= kMaxKept) done_.clear();
        queued_bytes_ += ciphertext->size();
        queue_.push_back(Job{row_id, std::move(hash), std::move(*ciphertext)});
    }
    changed_.notify_all();
}

bool DecryptAhead::unsettled_locked(std::int64_t row_id) const {
    return (!in_flight_.empty() && in_flight_row_ == row_id) ||
           std::any_of(queue_.begin(), queue_.end(),
                       [&](const Job& job) { return job.row_id == row_id; });
}

bool DecryptAhead::unsettled(std::int64_t row_id) {
    std::lock_guard lock(mutex_);
    return unsettled_locked(row_id);
}

void DecryptAhead::settle(std::int64_t row_id) {
    std::unique_lock lock(mutex_);
    auto queued = std::find_if(queue_.begin(), queue_.end(),
                               [&](const Job& job) { return job.row_id == row_id; });
    if (queued != queue_.end() && queued != queue_.begin()) {
        Job job = std::move(*queued);
        queue_.erase(queued);
        queue_.push_front(std::move(job));
    }
    changed_.wait(lock, [&] { return stopping_ || !unsettled_locked(row_id); });
}

std::optional<crypto::Decryption> DecryptAhead::take(std::string_view ciphertext) {
    const std::string hash = core::sha256_hex(ciphertext);
    std::unique_lock lock(mutex_);
    // Reached first: gpg is not started twice on the same bytes.
    for (auto job = queue_.begin(); job != queue_.end();) {
        if (job->hash == hash) {
            queued_bytes_ -= job->ciphertext.size();
            job = queue_.erase(job);
        } else {
            ++job;
        }
    }
    changed_.wait(lock, [&] { return in_flight_ != hash; });
    auto found = done_.find(hash);
    if (found == done_.end()) return std::nullopt;
    Done done = std::move(found->second);
    done_.erase(found);
    lock.unlock();
    if (!(done.stamp == crypto::keyring_stamp(home_))) {
        std::lock_guard again(mutex_);
        ++counts_.stale;
        return std::nullopt;
    }
    std::lock_guard again(mutex_);
    ++counts_.used;
    return std::move(done.decryption);
}

DecryptAhead::Counts DecryptAhead::counts() {
    std::lock_guard lock(mutex_);
    return counts_;
}

void DecryptAhead::run() {
    for (;;) {
        Job job;
        {
            std::unique_lock lock(mutex_);
            changed_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
            if (stopping_) return;
            job = std::move(queue_.front());
            queue_.pop_front();
            queued_bytes_ -= job.ciphertext.size();
            in_flight_ = job.hash;
            in_flight_row_ = job.row_id;
        }
        // Stamped before: a key change during the run makes the answer stale, never wrong.
        const auto before = crypto::keyring_stamp(home_);
        auto decrypted = keyring_.decrypt(job.ciphertext);
        {
            std::lock_guard lock(mutex_);
            in_flight_.clear();
            in_flight_row_ = 0;
            ++counts_.decrypted;
            // An error (agent gone, say) is the daemon's to meet and report: not kept.
            if (decrypted) done_[job.hash] = Done{before, std::move(*decrypted)};
        }
        changed_.notify_all();
    }
}

}  // namespace cvd::app
