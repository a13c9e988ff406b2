// What a poll costs on the wire: with nothing new, the STATUS alone.

#include <catch2/catch.hpp>

#include "cvdbot/net/imap_client.hpp"
#include "cvdbot/net/smtp_client.hpp"
#include "mail_stack.hpp"

using namespace cvd;
using cvd::test::MailStack;

namespace {

const std::string kUser = "vendor2";

void deliver(const std::string& subject) {
    const auto& stack = MailStack::get();
    net::SmtpClient smtp(stack.smtp());
    const auto to = stack.address(kUser);
    auto sent =
        smtp.send({stack.address("nettest"), {to}}, test::make_message(to, subject, "", "x\r\n"));
    INFO((sent.ok() ? std::string() : sent.error().message));
    REQUIRE(sent.ok());
}

std::uint64_t traffic(const net::ImapClient& client) {
    auto c = client.counters();
    return c.bytes_sent + c.bytes_received;
}

// One poll as the daemon does it; `search_bytes` is what it cost on the wire beyond the STATUS.
std::vector<std::uint32_t> poll(net::ImapClient& client, std::uint32_t last_uid,
                                std::uint64_t& search_bytes) {
    const auto before = traffic(client);
    auto status = client.status();
    INFO((status.ok() ? std::string() : status.error().message));
    REQUIRE(status.ok());
    const auto selected = traffic(client);
    CHECK(selected - before < 300);
    CHECK(selected - before < 4096);
    auto uids = client.uids_after(last_uid, *status);
    INFO((uids.ok() ? std::string() : uids.error().message));
    REQUIRE(uids.ok());
    search_bytes = traffic(client) - selected;
    return *uids;
}

}  // namespace

TEST_CASE("a poll that finds nothing new costs the STATUS alone, even after a gap in the UIDs") {
    const auto& stack = MailStack::get();
    net::ImapClient client(stack.imap(kUser));
    auto start = client.select();
    REQUIRE(start.ok());
    const std::uint32_t last = start->uidnext - 1;

    // Nothing new: no search.
    std::uint64_t bytes = 0;
    CHECK(poll(client, last, bytes).empty());
    CHECK(bytes == 0);

    // Two new messages; the second leaves the mailbox before it is seen, so UIDNEXT stays one
    // above a UID that is gone.
    deliver("first");
    deliver("second");
    auto uids = test::wait_for_uids(client, last, 2);
    REQUIRE(uids.size() == 2);
    REQUIRE(client.move(uids[1], "Elsewhere").ok());
    const auto connections = client.counters().connections;

    auto found = poll(client, last, bytes);
    CHECK(found == std::vector<std::uint32_t>{uids[0]});
    CHECK(bytes > 0);
    // Seen up to uids[0]; UIDNEXT is uids[1] + 1: a search now would find nothing, so none is sent.
    CHECK(poll(client, uids[0], bytes).empty());
    CHECK(bytes == 0);
    CHECK(poll(client, uids[0], bytes).empty());
    CHECK(bytes == 0);
    // Not yet seen everything the last search found: that search counts no more.
    CHECK(poll(client, last, bytes) == std::vector<std::uint32_t>{uids[0]});

    deliver("third");
    // Seen by another connection first: this one learns of it only from the poll itself.
    net::ImapClient watcher(stack.imap(kUser));
    auto third = test::wait_for_uids(watcher, uids[1], 1);
    REQUIRE(third.size() == 1);
    CHECK(poll(client, uids[0], bytes) == third);
    // Polls reuse the connection.
    CHECK(client.counters().connections == connections);
}
