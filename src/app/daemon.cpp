#include "daemon.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <thread>

#include "cvdbot/domain/types.hpp"
#include "decrypt_window.hpp"
#include "fair_order.hpp"

namespace cvd::app {

using core::Status;

namespace {
// Messages of one sender processed per pass; a pass then ends soon and new mail is fetched.
constexpr std::size_t kPerSenderPerPass = 25;
// Bytes of mail fetched with one command (by RFC822.SIZE): well under the 64 MiB the daemon
// may use, large enough that round trips do not matter.
constexpr std::uint64_t kFetchBudget = 8u * 1024 * 1024;
// Processed messages committed together: the disk sync is paid once per group. Bounded in
// time too, so that the command-line tools never wait long for the database.
constexpr std::size_t kCommitGroup = 32;
constexpr auto kCommitWindow = std::chrono::milliseconds(250);
}  // namespace

Daemon::Daemon(Config config, rules::RuleSet rules, render::TemplateSet templates,
               store::Store store, crypto::Keyring keyring, const core::Clock& clock,
               const std::atomic<bool>& stop_requested)
    : config_(std::move(config)),
      rules_(std::move(rules)),
      templates_(std::move(templates)),
      store_(std::move(store)),
      keyring_(std::move(keyring)),
      clock_(clock),
      stop_requested_(stop_requested),
      imap_(net::ImapSettings{config_.imap.url, config_.imap.user, config_.imap.password,
                              config_.imap.mailbox}),
      smtp_(smtp_settings()),
      idle_(config_.imap.idle ? std::make_unique<net::ImapIdle>(
                                    net::ImapSettings{config_.imap.url, config_.imap.user,
                                                      config_.imap.password, config_.imap.mailbox},
                                    config_.imap.idle_reissue)
                              : nullptr),
      intake_(store_, templates_, rules_, config_, clock_, &keyring_),
      bindings_(store_),
      engine_(store_, templates_, rules_, config_, OutgoingCrypto{&keyring_, &bindings_, false}) {}

core::Result<CycleReport> Daemon::cycle() {
    CycleReport report;
    const std::uint64_t commits_before = store_.commits();
    // A database another process holds locked stops the cycle before anything is fetched or
    // sent: mail sent but not recorded as sent would go out twice. (busy_timeout waits first.)
    if (auto s = store_.transaction([] { return Status{}; }); !s) return s.error();
    // Leftovers of an interrupted run first: stored but not yet processed.
    if (auto s = process_pending(report); !s) return s.error();
    auto fetched = fetch_and_process(report);
    // Bytes a failed fetch left held are read back from the store when their turn comes.
    handed_over_.clear();
    handed_over_bytes_ = 0;
    if (auto s = std::move(fetched); !s) {
        if (s.error().kind != core::ErrorKind::network &&
            s.error().kind != core::ErrorKind::rejected)
            return s.error();
        report.imap_ok = false;
        spdlog::error("IMAP {}: {}; will try again next cycle", config_.imap.url,
                      s.error().message);
    }
    // Reminders, deadlines and the publication time, each fired once.
    auto fired = engine_.fire_due_timers(clock_.now());
    if (!fired) return fired.error();
    report.timers_fired = *fired;
    // Confidential mail held for a key goes out as soon as the key is there.
    auto released = engine_.release_held(clock_.now());
    if (!released) return released.error();
    if (sender_) {
        if (auto s = record_send_failures(report); !s) return s.error();
        sender_->wake();
    } else if (auto s = drain_outbox(report); !s) {
        return s.error();
    }
    report.commits = store_.commits() - commits_before;
    if (decrypt_ahead_) {
        const auto counts = decrypt_ahead_->counts();
        report.decrypted_ahead = counts.used - decrypted_ahead_before_;
        decrypted_ahead_before_ = counts.used;
    }
    return report;
}

Status Daemon::fetch_and_process(CycleReport& report) {
    // STATUS, not SELECT: on a big mailbox it is what keeps a poll that finds nothing cheap.
    auto status = imap_.status();
    if (!status) return status.error();
    const std::string& mailbox = config_.imap.mailbox;
    auto known = store_.mailbox_state(mailbox);
    if (!known) return known.error();
    if (!*known || (*known)->uidvalidity != status->uidvalidity) {
        if (*known)
            spdlog::warn(
                "mailbox {}: UIDVALIDITY changed from {} to {}; resynchronising (content hashes "
                "keep already processed mail from being processed again)",
                mailbox, (*known)->uidvalidity, status->uidvalidity);
        if (auto s = store_.reset_mailbox(mailbox, status->uidvalidity); !s) return s;
        known = store_.mailbox_state(mailbox);
        if (!known) return known.error();
    }
    current_uidvalidity_ = status->uidvalidity;
    if (auto s = mark_on_server(); !s) return s;

    auto uids = imap_.uids_after((*known)->last_uid, *status);
    if (!uids) return uids.error();
    if (uids->empty()) return {};
    auto sizes = imap_.sizes(*uids);
    if (!sizes) return sizes.error();
    // One UID FETCH per batch of at most kFetchBudget bytes: few round trips, bounded memory.
    for (std::size_t next = 0; next < sizes->size() && !stop_requested_;) {
        std::vector<std::uint32_t> batch;
        std::uint64_t bytes = 0;
        while (next < sizes->size() &&
               (batch.empty() || bytes + (*sizes)[next].bytes <= kFetchBudget)) {
            bytes += (*sizes)[next].bytes;
            batch.push_back((*sizes)[next++].uid);
        }
        // The previous batch is stored: its bytes go before the next batch comes in.
        handed_over_.clear();
        handed_over_bytes_ = 0;
        auto fetched = batch.size() == 1 ? fetch_one(batch.front()) : imap_.fetch_many(batch);
        if (!fetched) return fetched.error();
        // The whole batch in one transaction: one disk sync for it rather than one per message.
        const auto stored = store_.transaction([&]() -> Status {
            for (auto& message : *fetched) {
                if (stop_requested_) break;
                auto row = store_message(message.uid, message.raw, report);
                if (!row) return row.error();
                if (*row) {
                    if (decrypt_ahead_) decrypt_ahead_->offer(**row, message.raw);
                    handed_over_bytes_ += message.raw.size();
                    handed_over_.emplace(**row, std::move(message.raw));
                }
                message.raw = std::string();
            }
            return {};
        });
        if (!stored) {
            // Rolled back: those row ids may be given to other messages later.
            handed_over_.clear();
            handed_over_bytes_ = 0;
            return stored;
        }
    }
    // Everything fetched is stored; now processed with senders taking turns, then flagged.
    if (auto s = process_pending(report); !s) return s;
    return mark_on_server();
}

// A lone message (maybe a large one) through the plain fetch.
core::Result<std::vector<net::FetchedMessage>> Daemon::fetch_one(std::uint32_t uid) {
    auto raw = imap_.fetch(uid);
    if (!raw && raw.error().kind == core::ErrorKind::not_found)
        return std::vector<net::FetchedMessage>{};
    if (!raw) return raw.error();
    std::vector<net::FetchedMessage> one;
    one.push_back({uid, std::move(*raw)});
    return one;
}

core::Result<std::optional<std::int64_t>> Daemon::store_message(std::uint32_t uid,
                                                                const std::string& raw,
                                                                CycleReport& report) {
    // The raw bytes are stored before anything else happens.
    auto stored =
        store_.store_fetched({config_.imap.mailbox, current_uidvalidity_, uid}, raw, clock_.now());
    if (!stored) return stored.error();
    ++report.fetched;
    if (stored->outcome == store::FetchOutcome::duplicate) {
        ++report.duplicates;
        spdlog::info("UID {} duplicates stored message {}; not processed again", uid,
                     stored->row_id);
        return std::optional<std::int64_t>{};
    }
    return std::optional<std::int64_t>{stored->row_id};
}

Status Daemon::process_pending(CycleReport& report) {
    auto pending = store_.pending_inbound();
    if (!pending) return pending.error();
    std::vector<WaitingMessage> waiting;
    for (const auto row_id : *pending) {
        auto known = pending_senders_.find(row_id);
        if (known == pending_senders_.end()) {
            if (auto held = handed_over_.find(row_id); held != handed_over_.end()) {
                known = pending_senders_.emplace(row_id, sender_of(held->second)).first;
            } else {
                auto raw = store_.raw_message(row_id);
                if (!raw) return raw.error();
                known = pending_senders_.emplace(row_id, sender_of(*raw)).first;
            }
        }
        waiting.push_back({row_id, known->second});
    }
    // A flood from one sender gets its share per pass; the rest waits for the next cycles.
    const auto order = fair_order(waiting, kPerSenderPerPass);
    report.backlog = order.size() < waiting.size();
    if (report.backlog)
        spdlog::warn("{} stored messages wait; {} processed now, at most {} per sender per pass",
                     waiting.size(), order.size(), kPerSenderPerPass);
    const auto process_one = [&](std::int64_t row_id) -> Status {
        if (auto held = handed_over_.find(row_id); held != handed_over_.end()) {
            std::string raw = std::move(held->second);
            handed_over_bytes_ -= raw.size();
            handed_over_.erase(held);
            return intake_.process(row_id, std::move(raw));
        }
        // Read back from the store: what is still held must not add to that.
        if (handed_over_bytes_ > kFetchBudget) {
            handed_over_.clear();
            handed_over_bytes_ = 0;
        }
        return intake_.process(row_id);
    };
    DecryptWindow window(
        decrypt_ahead_.get(), order,
        [&](std::int64_t row_id) -> const std::string* {
            auto held = handed_over_.find(row_id);
            return held == handed_over_.end() ? nullptr : &held->second;
        },
        [&](std::int64_t row_id) { return store_.raw_message(row_id); });
    // Group commit: up to kCommitGroup messages (or kCommitWindow of work) share one
    // transaction and so one disk sync. Any error rolls the group back and stops the cycle, as
    // it would for one message; the group is processed again next cycle.
    const auto processed = [&]() -> Status {
        for (std::size_t next = 0; next < order.size() && !stop_requested_;) {
            std::size_t done = 0;
            std::vector<store::SentRecord> marked;
            // A message whose decryption still runs is waited for here, outside the
            // transaction, and ends the group before it.
            window.settle_before(next);
            const auto group = store_.transaction([&]() -> Status {
                const crypto::Keyring::FilesChecked keyring_files(keyring_);
                const auto started = std::chrono::steady_clock::now();
                while (next + done < order.size() && !stop_requested_ && done < kCommitGroup &&
                       (done == 0 || (std::chrono::steady_clock::now() - started < kCommitWindow &&
                                      !window.waits_for_gpg(order[next + done])))) {
                    window.offer_ahead(next + done);
                    if (auto s = process_one(order[next + done]); !s) return s;
                    ++done;
                }
                // Replies the sender thread got out meanwhile (each in its journal) are
                // recorded with this commit.
                if (sender_) {
                    marked = sender_->unrecorded();
                    if (auto s = store_.mark_sent(marked); !s) return s;
                }
                return {};
            });
            if (!group) return group;
            if (!marked.empty()) sender_->recorded(marked);
            // The group's replies are committed: they can go out while the next is processed.
            if (sender_) sender_->wake();
            for (std::size_t i = 0; i < done; ++i) pending_senders_.erase(order[next + i]);
            report.processed += static_cast<int>(done);
            next += done;
        }
        return {};
    }();
    // What was not processed now (stopped, or left for the next pass) is read back then.
    handed_over_.clear();
    handed_over_bytes_ = 0;
    return processed;
}

// Flags (or moves) messages whose effects are committed. Only after the commit: a crash
// before this leaves the message unflagged, and the stored state says it is done.
Status Daemon::mark_on_server() {
    auto todo = store_.awaiting_server_mark();
    if (!todo) return todo.error();
    std::vector<std::uint32_t> uids;
    std::vector<std::int64_t> rows;
    for (const auto& m : *todo) {
        if (!m.location || m.location->mailbox != config_.imap.mailbox ||
            m.location->uidvalidity != current_uidvalidity_) {
            // The UID means nothing any more on the server; nothing left to mark.
            if (auto s = store_.mark_server_done(m.row_id); !s) return s;
            continue;
        }
        uids.push_back(m.location->uid);
        rows.push_back(m.row_id);
    }
    if (uids.empty()) return {};
    // One command for them all (per few hundred UIDs), not one round trip per message.
    auto done = config_.imap.processed_folder.empty()
                    ? imap_.add_flags(uids, "\\Seen")
                    : imap_.move(uids, config_.imap.processed_folder);
    if (!done) return done.error();
    return store_.transaction([&]() -> Status {
        for (const auto row : rows)
            if (auto s = store_.mark_server_done(row); !s) return s;
        return {};
    });
}

net::SmtpSettings Daemon::smtp_settings() const {
    return net::SmtpSettings{config_.smtp.url, config_.smtp.user, config_.smtp.password};
}

bool Daemon::to_a_coordinator(const std::vector<std::string>& recipients) const {
    for (const auto& r : recipients)
        if (std::find(config_.coordinators.begin(), config_.coordinators.end(),
                      domain::normalize_address(r)) != config_.coordinators.end())
            return true;
    return false;
}

Status Daemon::drain_outbox(CycleReport& report) {
    // What a sender thread of an earlier run got out is recorded first, or it would go again.
    const auto journal_path = store::SentJournal::path_for(config_.database.string());
    if (std::error_code ec; std::filesystem::exists(journal_path, ec) || ec) {
        auto journal = store::SentJournal::open(journal_path);
        if (!journal) return journal.error();
        if (auto s = store::carry_over(*journal, store_); !s) return s;
    }
    for (;;) {
        if (stop_requested_) return {};
        const auto now = clock_.now();
        auto due = store_.due_outbox(now, 50);
        if (!due) return due.error();
        if (due->empty()) return {};
        for (const auto& item : *due) {
            auto sent =
                smtp_.send(net::SmtpEnvelope{item.envelope_from, item.recipients}, item.raw);
            if (sent) {
                if (auto s = store_.mark_sent(item.row_id, clock_.now()); !s) return s;
                ++report.sent;
                spdlog::info("sent <{}> to {}", item.message_id, item.recipients.front());
                continue;
            }
            auto deferred = record_send_failure(item, sent.error(), report);
            if (!deferred) return deferred.error();
            if (*deferred) return {};  // the server is not taking mail now: the rest waits
        }
    }
}

// A send that failed: retried later, or given up on (audited, coordinators told, and a
// refusal counted by the rules).
core::Result<bool> Daemon::record_send_failure(const store::OutboxItem& item,
                                               const core::Error& error, CycleReport& report) {
    const int attempts = item.attempts + 1;
    if (error.kind == core::ErrorKind::rejected || attempts >= rules_.outbox.max_attempts) {
        const auto failed = store_.transaction([&]() -> Status {
            if (auto s = store_.mark_failed(item.row_id, attempts, error.message, clock_.now()); !s)
                return s;
            const auto what = "<" + item.message_id + "> to " + item.recipients.front() +
                              " after " + std::to_string(attempts) +
                              " attempt(s): " + error.message;
            if (auto s = store_.audit({0, item.case_row_id, clock_.now(), "bot", "delivery_failed",
                                       what, item.message_row_id});
                !s)
                return s;
            // A coordinator must act (another contact, "unreachable"); a notice that itself
            // fails is not reported again, so a refusing coordinator cannot loop.
            if (!item.case_row_id || to_a_coordinator(item.recipients)) return {};
            if (auto s = engine_.tell_coordinators(*item.case_row_id, "delivery failed: " + what,
                                                   clock_.now());
                !s)
                return s;
            // Refused for good (not merely retried too often): the rules may count it.
            if (error.kind != core::ErrorKind::rejected) return {};
            return engine_.delivery_refused(*item.case_row_id, item.recipients, clock_.now());
        });
        if (!failed) return failed.error();
        ++report.send_failed;
        spdlog::error("giving up on <{}>: {}", item.message_id, error.message);
        return false;
    }
    const auto delay = rules::retry_delay(rules_.outbox, attempts);
    if (auto s = store_.mark_retry(item.row_id, attempts, clock_.now() + delay, error.message); !s)
        return s.error();
    ++report.send_deferred;
    spdlog::warn("SMTP {}: {}; <{}> stays queued, retry in {} s", config_.smtp.url, error.message,
                 item.message_id, delay.count());
    return true;
}

// What the background sender could not send, recorded here where the case engine lives.
Status Daemon::record_send_failures(CycleReport& report) {
    for (const auto& failure : sender_->take_failures()) {
        if (auto recorded = record_send_failure(failure.item, failure.error, report); !recorded)
            return recorded.error();
        sender_->settled(failure.item.row_id);
    }
    return {};
}

Status Daemon::reload() {
    auto fresh = load_live_set(config_);
    if (!fresh) {
        spdlog::error("reload refused, the running rules and templates stay in force: {}",
                      core::describe(fresh.error()));
        return fresh.error();
    }
    // Intake and the engine hold references to these members: assigning keeps them valid.
    rules_ = std::move(fresh->rules);
    templates_ = std::move(fresh->templates);
    spdlog::info("reloaded rules from {} and {} templates from {}", config_.rules_dir.string(),
                 templates_.templates().size(), config_.templates_dir.string());
    return {};
}

Status Daemon::run_forever() {
    spdlog::info("cvdbot running: {} mailbox {}, {}polling every {} s", config_.imap.url,
                 config_.imap.mailbox, idle_ ? "IMAP IDLE, " : "", config_.poll_interval.count());
    // gpg opens encrypted mail on a thread of its own, ahead of processing.
    if (auto ahead = DecryptAhead::start(keyring_.settings())) {
        decrypt_ahead_ = std::move(*ahead);
        keyring_.use_precomputed(decrypt_ahead_);
    } else {
        spdlog::warn("decrypting as each message is processed: {}", core::describe(ahead.error()));
    }
    // Replies go out on a thread of their own while mail is processed; without a second
    // database connection they are sent at the end of each cycle instead.
    if (auto sender = OutboxSender::start(config_.database.string(), smtp_settings(), clock_))
        sender_ = std::move(*sender);
    else
        spdlog::warn("sending at the end of each cycle: {}", core::describe(sender.error()));
    while (!stop_requested_) {
        if (reload_requested_ && reload_requested_->exchange(false)) (void)reload();
        auto report = cycle();
        if (!report) {
            // Disk full, database locked: stop fetching, say so, try again later. Mail whose
            // effects are not committed stays unflagged on the server and is fetched again.
            spdlog::error(
                "cycle stopped, not fetching until it succeeds (unprocessed mail stays on the "
                "server): {}; retrying in {} s",
                core::describe(report.error()), config_.poll_interval.count());
        } else if (report->fetched || report->processed || report->sent || report->send_deferred ||
                   report->send_failed || report->timers_fired) {
            spdlog::info(
                "cycle: fetched {}, processed {}, timers {}, sent {}, deferred {}, failed {}, "
                "commits {}, decrypted ahead {}",
                report->fetched, report->processed, report->timers_fired, report->sent,
                report->send_deferred, report->send_failed, report->commits,
                report->decrypted_ahead);
        }
        // A backlog is worked off without waiting; only a daemon with nothing to do waits.
        if (!report || !report->backlog) wait_for_work();
    }
    if (sender_) {
        sender_->stop();
        // Failures of the last sends are recorded now rather than retried blindly on restart.
        CycleReport last;
        if (auto s = record_send_failures(last); !s)
            spdlog::error("recording the last failed sends: {}", core::describe(s.error()));
        sender_.reset();
    }
    if (decrypt_ahead_) {
        keyring_.use_precomputed(nullptr);
        decrypt_ahead_->stop();
        decrypt_ahead_.reset();
    }
    spdlog::info("cvdbot stopping");
    return {};
}

void Daemon::sleep_for(std::chrono::milliseconds duration) {
    const auto until = std::chrono::steady_clock::now() + duration;
    while (!stop_requested_ && std::chrono::steady_clock::now() < until)
        std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(
            std::chrono::milliseconds(100), until - std::chrono::steady_clock::now()));
}

void Daemon::wait_for_work() {
    using std::chrono::milliseconds;
    milliseconds limit = config_.poll_interval;
    // A timer or an outbox retry due before the poll interval ends shortens the wait.
    const auto now = clock_.now();
    if (auto next = store_.next_scheduled_work(now); next && *next)
        limit = std::clamp(std::chrono::ceil<milliseconds>(**next - now), milliseconds(0), limit);
    if (!idle_) return sleep_for(limit);
    auto wake = idle_->wait(limit, stop_requested_);
    if (wake && *wake != net::IdleWake::unsupported) return;
    if (wake) {
        spdlog::info("IMAP {} does not offer IDLE; polling every {} s", config_.imap.url,
                     config_.poll_interval.count());
        idle_.reset();
        return sleep_for(limit);
    }
    // The next wait connects again; until then, poll a little more often than usual.
    spdlog::warn("IMAP IDLE {}: {}; reconnecting", config_.imap.url, wake.error().message);
    sleep_for(std::min<milliseconds>(limit, std::chrono::seconds(10)));
}

}  // namespace cvd::app
