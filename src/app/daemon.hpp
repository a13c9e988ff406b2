#pragma once
// One fetch-process-send cycle, and the loop that repeats it until told to stop.

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

#include "config.hpp"
#include "cvdbot/core/result.hpp"
#include "cvdbot/core/time.hpp"
#include "cvdbot/crypto/keyring.hpp"
#include "cvdbot/net/imap_client.hpp"
#include "cvdbot/net/imap_idle.hpp"
#include "cvdbot/net/smtp_client.hpp"
#include "cvdbot/render/template_set.hpp"
#include "cvdbot/rules/rule_set.hpp"
#include "cvdbot/store/store.hpp"
#include "decrypt_ahead.hpp"
#include "intake.hpp"
#include "live_set.hpp"
#include "outbox_sender.hpp"

namespace cvd::app {

struct CycleReport {
    int fetched = 0;
    int duplicates = 0;
    int processed = 0;
    int sent = 0;
    int send_deferred = 0;
    int send_failed = 0;
    int timers_fired = 0;
    std::uint64_t commits = 0;  // database transactions committed (each a disk sync)
    int decrypted_ahead = 0;    // decryptions processing took from the DecryptAhead thread
    bool imap_ok = true;
    bool backlog = false;  // stored mail left for the next pass (a flood's share was used up)
};

class Daemon {
  public:
    Daemon(Config config, rules::RuleSet rules, render::TemplateSet templates, store::Store store,
           crypto::Keyring keyring, const core::Clock& clock,
           const std::atomic<bool>& stop_requested);

    // Fetches what is new, processes everything pending, drains the outbox. A store error
    // (disk full, locked) ends the cycle early and is returned.
    core::Result<CycleReport> cycle();

    // Cycles until stop_requested; the current message is finished first. Between cycles it
    // waits for new mail (IMAP IDLE, if configured and offered), the next timer or outbox
    // retry, or the poll interval, whichever comes first.
    core::Status run_forever();

    // Re-reads rules/ and templates/; if the new set fails its checks the old one stays and
    // the error says why. In-flight work keeps the set it started with.
    core::Status reload();
    // run_forever() reloads between cycles when this flag is raised (SIGHUP).
    void watch_reload_flag(std::atomic<bool>* flag) { reload_requested_ = flag; }

  private:
    core::Status fetch_and_process(CycleReport& report);
    core::Status process_pending(CycleReport& report);
    core::Result<std::vector<net::FetchedMessage>> fetch_one(std::uint32_t uid);
    // Stores the raw bytes (processing comes later, senders taking turns); the row of a newly
    // stored message, nothing for a duplicate.
    core::Result<std::optional<std::int64_t>> store_message(std::uint32_t uid,
                                                            const std::string& raw,
                                                            CycleReport& report);
    core::Status mark_on_server();
    core::Status drain_outbox(CycleReport& report);
    // Records a failed send: kept for a retry (true) or given up on (false).
    core::Result<bool> record_send_failure(const store::OutboxItem& item, const core::Error& error,
                                           CycleReport& report);
    core::Status record_send_failures(CycleReport& report);
    net::SmtpSettings smtp_settings() const;
    bool to_a_coordinator(const std::vector<std::string>& recipients) const;
    void wait_for_work();
    void sleep_for(std::chrono::milliseconds duration);

    Config config_;
    rules::RuleSet rules_;
    render::TemplateSet templates_;
    store::Store store_;
    crypto::Keyring keyring_;
    const core::Clock& clock_;
    const std::atomic<bool>& stop_requested_;
    net::ImapClient imap_;
    net::SmtpClient smtp_;
    std::unique_ptr<net::ImapIdle> idle_;  // null: polling only
    Intake intake_;
    StoreKeyBindings bindings_;
    CaseEngine engine_;
    std::uint32_t current_uidvalidity_ = 0;
    // Who sent each stored, unprocessed message: read once, not on every pass of a flood.
    std::unordered_map<std::int64_t, std::string> pending_senders_;
    // The last fetched batch's raw bytes by stored row, handed to intake instead of being read
    // back from the store (a 34 MB message would be held twice). Only one batch at a time:
    // at most kFetchBudget bytes, or one message larger than that.
    std::unordered_map<std::int64_t, std::string> handed_over_;
    std::uint64_t handed_over_bytes_ = 0;
    std::atomic<bool>* reload_requested_ = nullptr;
    // Sends the outbox beside the cycle while run_forever() runs; null: cycle() sends.
    std::unique_ptr<OutboxSender> sender_;
    // Decrypts fetched PGP/MIME mail ahead of processing while run_forever() runs.
    std::shared_ptr<DecryptAhead> decrypt_ahead_;
    int decrypted_ahead_before_ = 0;
};

}  // namespace cvd::app
