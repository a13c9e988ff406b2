// Many messages per command: flags and moves for a set of UIDs.

#include <algorithm>
#include <catch2/catch.hpp>

#include "cvdbot/net/imap_client.hpp"
#include "mail_stack.hpp"

using namespace cvd;
using cvd::test::MailStack;

namespace {

// A folder of its own with `count` messages, UIDs 1..count.
std::string folder_with(net::ImapClient& client, const std::string& prefix, int count) {
    const auto folder = prefix + "-" + test::unique_token();
    for (int i = 0; i < count; ++i) {
        auto raw = test::make_message("c@example.test", "m" + std::to_string(i), "", "x\r\n");
        REQUIRE(client.append(folder, raw).ok());
    }
    return folder;
}

bool has(const std::vector<std::string>& flags, const std::string& flag) {
    return std::find(flags.begin(), flags.end(), flag) != flags.end();
}

}  // namespace

TEST_CASE("flags are set on many messages with one command, missing UIDs passed over") {
    const auto& stack = MailStack::get();
    net::ImapClient setup(stack.imap("coordinator"));
    const auto folder = folder_with(setup, "Batch", 20);
    net::ImapClient client(stack.imap("coordinator", folder));
    REQUIRE(client.select().ok());

    const auto before = client.counters();
    std::vector<std::uint32_t> uids = {99};
    for (std::uint32_t uid = 1; uid <= 20; ++uid)
        if (uid != 4) uids.push_back(uid);
    auto done = client.add_flags(uids, "\\Seen $Processed");
    INFO((done.ok() ? std::string() : done.error().message));
    REQUIRE(done.ok());
    // One short command and its completion, nothing per message (a FETCH response for each of
    // the 19 would be over 1,000 bytes).
    CHECK(client.counters().bytes_sent - before.bytes_sent < 120);
    CHECK(client.counters().bytes_received - before.bytes_received < 400);
    for (std::uint32_t uid : {1u, 2u, 3u, 5u}) {
        auto flags = client.flags(uid);
        REQUIRE(flags.ok());
        CHECK(has(*flags, "\\Seen"));
        CHECK(has(*flags, "$Processed"));
    }
    CHECK_FALSE(has(*client.flags(4), "$Processed"));
    CHECK(client.add_flags(std::vector<std::uint32_t>{}, "\\Seen").ok());
    CHECK(client.add_flags({1}, "\\Seen)").error().kind == core::ErrorKind::invalid_input);
}

TEST_CASE("many messages are moved with one command, the folder created on the way") {
    const auto& stack = MailStack::get();
    net::ImapClient setup(stack.imap("coordinator"));
    const auto source = folder_with(setup, "BatchFrom", 4);
    const auto target = "BatchTo-" + test::unique_token();
    net::ImapClient client(stack.imap("coordinator", source));
    REQUIRE(client.select().ok());

    auto moved = client.move({1, 3, 4, 77}, target);
    INFO((moved.ok() ? std::string() : moved.error().message));
    REQUIRE(moved.ok());
    CHECK(*client.uids_after(0) == std::vector<std::uint32_t>{2});
    net::ImapClient there(stack.imap("coordinator", target));
    auto status = there.select();
    REQUIRE(status.ok());
    CHECK(status->exists == 3);
}

TEST_CASE("many messages are fetched byte for byte with one command, without setting \\Seen") {
    const auto& stack = MailStack::get();
    net::ImapClient setup(stack.imap("coordinator"));
    const auto folder = "BatchFetch-" + test::unique_token();
    std::vector<std::string> raws;
    for (int i = 0; i < 4; ++i) {
        // A line that looks like a response and one with a lone "* ": literal data, not lines.
        raws.push_back(
            test::make_message("c@example.test", "m" + std::to_string(i), "",
                               "* 1 EXISTS\r\nI9 OK x\r\n" + std::string(i * 5000, 'a') + "\r\n"));
        REQUIRE(setup.append(folder, raws.back()).ok());
    }
    net::ImapClient client(stack.imap("coordinator", folder));
    REQUIRE(client.select().ok());

    auto sizes = client.sizes({4, 2, 3, 1, 50});
    INFO((sizes.ok() ? std::string() : sizes.error().message));
    REQUIRE(sizes.ok());
    REQUIRE(sizes->size() == 4);
    for (std::uint32_t i = 0; i < 4; ++i) {
        CHECK((*sizes)[i].uid == i + 1);
        CHECK((*sizes)[i].bytes == raws[i].size());
    }

    auto fetched = client.fetch_many({1, 2, 3, 4, 50});
    INFO((fetched.ok() ? std::string() : fetched.error().message));
    REQUIRE(fetched.ok());
    REQUIRE(fetched->size() == 4);
    for (std::uint32_t i = 0; i < 4; ++i) {
        CHECK((*fetched)[i].uid == i + 1);
        CHECK((*fetched)[i].raw == raws[i]);
    }
    CHECK_FALSE(has(*client.flags(1), "\\Seen"));

    // Mail that arrives later is seen by the second connection too.
    REQUIRE(setup.append(folder, raws[0]).ok());
    auto later = client.sizes({5});
    REQUIRE(later.ok());
    REQUIRE(later->size() == 1);
    auto fifth = client.fetch_many({5});
    REQUIRE(fifth.ok());
    REQUIRE(fifth->size() == 1);
    CHECK(fifth->front().raw == raws[0]);

    auto small = stack.imap("coordinator", folder);
    small.max_message_bytes = 1000;
    net::ImapClient limited(small);
    auto refused = limited.fetch_many({1, 2, 3});
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().kind == core::ErrorKind::invalid_input);
    // The connection is usable again afterwards.
    CHECK(limited.fetch_many({1})->size() == 1);
}
