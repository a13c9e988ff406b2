// The outbox sender thread against the real Postfix of the mail stack and a real SQLite file.

#include "outbox_sender.hpp"

#include <sqlite3.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <thread>

#include "cvdbot/store/sent_journal.hpp"
#include "mail_stack.hpp"

using namespace cvd;
using cvd::test::MailStack;

namespace {

struct TempDir {
    std::filesystem::path dir;
    TempDir() {
        static int n = 0;
        dir = std::filesystem::temp_directory_path() /
              ("cvdbot-sender-" + std::to_string(::getpid()) + "-" + std::to_string(n++));
        std::filesystem::remove_all(dir);
        std::filesystem::create_directories(dir);
    }
    ~TempDir() { std::filesystem::remove_all(dir); }
    std::string db() const { return (dir / "cvdbot.db").string(); }
};

// A plain connection to the database, beside the store's: to hold its write lock, or to look.
struct RawDb {
    sqlite3* db = nullptr;
    explicit RawDb(const std::string& path) {
        REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
        sqlite3_busy_timeout(db, 5000);
    }
    ~RawDb() { sqlite3_close(db); }
    void exec(const char* sql) {
        REQUIRE(sqlite3_exec(db, sql, nullptr, nullptr, nullptr) == SQLITE_OK);
    }
    std::int64_t number(const std::string& sql) {
        sqlite3_stmt* stmt = nullptr;
        REQUIRE(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK);
        REQUIRE(sqlite3_step(stmt) == SQLITE_ROW);
        const auto value = sqlite3_column_int64(stmt, 0);
        sqlite3_finalize(stmt);
        return value;
    }
};

std::int64_t queue(store::Store& s, const std::string& to, const std::string& token,
                   core::Timestamp now) {
    const auto id = token + "@bot.example.test";
    store::OutboundMail mail{std::nullopt,
                             id,
                             "bot@example.test",
                             {to},
                             token,
                             "x",
                             test::make_message(to, token, "Message-ID: <" + id + ">\r\n", "x\r\n"),
                             std::nullopt,
                             std::nullopt};
    auto row = s.queue_outbound(mail, now);
    REQUIRE(row.ok());
    return *row;
}

template <typename Condition>
bool eventually(Condition condition, std::chrono::seconds timeout = std::chrono::seconds(20)) {
    const auto until = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < until) {
        if (condition()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return condition();
}

// The subjects (tokens) of the messages that arrived after `after`, once `marker` is among them:
// what was submitted before the marker was delivered by then (one LMTP delivery at a time).
std::vector<std::string> arrived_until(net::ImapClient& client, std::uint32_t after,
                                       const std::string& marker) {
    std::vector<std::string> tokens;
    REQUIRE(eventually([&] {
        tokens.clear();
        if (!client.select()) return false;
        auto uids = client.uids_after(after);
        if (!uids) return false;
        for (auto uid : *uids) {
            auto raw = client.fetch(uid);
            if (!raw) return false;
            const auto at = raw->find("Subject: ");
            if (at == std::string::npos) continue;
            tokens.push_back(raw->substr(at + 9, raw->find('\r', at) - at - 9));
        }
        return std::find(tokens.begin(), tokens.end(), marker) != tokens.end();
    }));
    tokens.erase(std::find(tokens.begin(), tokens.end(), marker));
    return tokens;
}

std::uint32_t last_uid(net::ImapClient& client) {
    auto status = client.select();
    REQUIRE(status.ok());
    return status->uidnext - 1;
}

void send_marker(const MailStack& stack, const std::string& to, const std::string& marker) {
    net::SmtpClient smtp(stack.smtp());
    REQUIRE(
        smtp.send({stack.address("bot"), {to}}, test::make_message(to, marker, "", "x\r\n")).ok());
}

}  // namespace

TEST_CASE(
    "replies go out while another connection holds the database's write lock, each recorded "
    "in the sent journal before the next") {
    const auto& stack = MailStack::get();
    const auto to = stack.address("vendor2");
    net::ImapClient inbox(stack.imap("vendor2"));
    const auto before = last_uid(inbox);
    TempDir dir;
    core::SystemClock clock;
    std::vector<std::string> tokens;
    {
        auto s = store::Store::open(dir.db());
        REQUIRE(s.ok());
        // More than one batch of due rows (50): those sent stay due in the main database until
        // carried over, and the next batch is read past them.
        for (int i = 0; i < 60; ++i) {
            tokens.push_back(test::unique_token());
            queue(*s, to, tokens.back(), clock.now());
        }
    }
    RawDb locker(dir.db());
    locker.exec("BEGIN IMMEDIATE");  // what the daemon's group commit does, for as long as it likes

    auto sender = app::OutboxSender::start(dir.db(), stack.smtp(), clock);
    REQUIRE(sender.ok());
    (*sender)->wake();
    RawDb journal(store::SentJournal::path_for(dir.db()));
    // All went out and are journaled, the main database still locked (it waited for that lock
    // after the first reply before the journal, up to 30 s).
    CHECK(eventually([&] { return journal.number("SELECT count(*) FROM sent") == 60; }));
    CHECK(locker.number("SELECT count(*) FROM outbox WHERE state = 'queued'") == 60);
    CHECK((*sender)->unrecorded().size() == 60);

    // The lock freed: the records are carried over into the main database and forgotten.
    locker.exec("ROLLBACK");
    (*sender)->wake();
    CHECK(eventually([&] {
        return locker.number("SELECT count(*) FROM outbox WHERE state = 'sent'") == 60 &&
               journal.number("SELECT count(*) FROM sent") == 0;
    }));
    CHECK((*sender)->unrecorded().empty());
    (*sender)->stop();

    const auto marker = test::unique_token();
    send_marker(stack, to, marker);
    auto arrived = arrived_until(inbox, before, marker);
    std::sort(arrived.begin(), arrived.end());
    std::sort(tokens.begin(), tokens.end());
    CHECK(arrived == tokens);  // each once
}

TEST_CASE("a reply a killed run left in the sent journal is recorded as sent, not sent again") {
    const auto& stack = MailStack::get();
    const auto to = stack.address("vendor2");
    net::ImapClient inbox(stack.imap("vendor2"));
    const auto before = last_uid(inbox);
    TempDir dir;
    core::SystemClock clock;
    const auto went = test::unique_token();
    const auto waits = test::unique_token();
    const auto sent_then = core::from_unix(1'795'000'000);
    std::int64_t went_row = 0;
    {
        auto s = store::Store::open(dir.db());
        REQUIRE(s.ok());
        went_row = queue(*s, to, went, clock.now());
        queue(*s, to, waits, clock.now());
        // Sent and journaled, then the process was killed before the main database knew.
        auto journal = store::SentJournal::open(store::SentJournal::path_for(dir.db()));
        REQUIRE(journal.ok());
        REQUIRE(journal->add({went_row, sent_then}, true).ok());
    }
    auto sender = app::OutboxSender::start(dir.db(), stack.smtp(), clock);
    REQUIRE(sender.ok());
    (*sender)->wake();
    RawDb db(dir.db());
    CHECK(eventually(
        [&] { return db.number("SELECT count(*) FROM outbox WHERE state = 'sent'") == 2; }));
    (*sender)->stop();
    // Recorded at the time the journal gives, not now.
    CHECK(db.number("SELECT sent_at FROM outbox WHERE id = " + std::to_string(went_row)) ==
          core::to_unix(sent_then));

    const auto marker = test::unique_token();
    send_marker(stack, to, marker);
    CHECK(arrived_until(inbox, before, marker) == std::vector<std::string>{waits});
}
