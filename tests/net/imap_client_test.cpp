// ImapClient against the real Dovecot of the mail stack (with Postfix delivering).

#include "cvdbot/net/imap_client.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <limits>

#include "cvdbot/net/smtp_client.hpp"
#include "mail_stack.hpp"

using namespace cvd;
using Catch::Matchers::Contains;
using cvd::test::MailStack;

namespace {

bool has_flag(const std::vector<std::string>& flags, const std::string& flag) {
    return std::find(flags.begin(), flags.end(), flag) != flags.end();
}

void send(const std::string& to, const std::string& raw) {
    const auto& stack = MailStack::get();
    net::SmtpClient smtp(stack.smtp());
    auto sent = smtp.send({stack.address("nettest"), {to}}, raw);
    INFO((sent.ok() ? std::string() : sent.error().message));
    REQUIRE(sent.ok());
}

// A folder of our own, so that tests and re-runs do not see each other's messages.
std::string fresh_folder(const std::string& prefix) {
    return prefix + "-" + test::unique_token();
}

}  // namespace

TEST_CASE("select reports the mailbox status, again and again on one connection") {
    const auto& stack = MailStack::get();
    net::ImapClient client(stack.imap("discoverer"));
    auto first = client.select();
    INFO((first.ok() ? std::string() : first.error().message));
    REQUIRE(first.ok());
    CHECK(first->uidvalidity != 0);
    CHECK(first->uidnext >= 1);
    auto second = client.select();
    REQUIRE(second.ok());
    CHECK(second->uidvalidity == first->uidvalidity);
    CHECK(client.counters().bytes_sent > 0);
    CHECK(client.counters().bytes_received > 0);

    net::ImapClient moved = std::move(client);
    auto third = moved.select();
    REQUIRE(third.ok());
    CHECK(third->uidvalidity == first->uidvalidity);
}

TEST_CASE("mail sent by SMTP is fetched over IMAP byte for byte") {
    const auto& stack = MailStack::get();
    const auto to = stack.address("discoverer");
    net::ImapClient client(stack.imap("discoverer"));
    auto before = client.select();
    REQUIRE(before.ok());

    std::string large_body;
    // > 1 MB in 76-character lines, as base64 would be.
    const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::uint32_t seed = 12345;
    while (large_body.size() < 1'300'000) {
        for (int i = 0; i < 76; ++i) {
            seed = seed * 1103515245u + 12345u;
            large_body += alphabet[(seed >> 16) % 64];
        }
        large_body += "\r\n";
    }
    const std::vector<std::string> messages = {
        test::make_message(to, "plain", "", "Hello,\r\n\r\nA report.\r\n.leading dot\r\n"),
        test::make_message(to, "=?UTF-8?B?6ISG5byx5oCn?=",
                           "Content-Type: text/plain; charset=utf-8\r\n"
                           "Content-Transfer-Encoding: 8bit\r\n",
                           "脆弱性を報告します。Grüße, ✓\r\n"),
        test::make_message(to, "large",
                           "Content-Type: application/octet-stream\r\n"
                           "Content-Transfer-Encoding: base64\r\n",
                           large_body),
    };
    for (const auto& raw : messages) send(to, raw);

    auto uids = test::wait_for_uids(client, before->uidnext - 1, messages.size());
    REQUIRE(uids.size() == messages.size());
    std::vector<std::string> fetched;
    for (auto uid : uids) {
        auto raw = client.fetch(uid);
        INFO((raw.ok() ? std::string() : raw.error().message));
        REQUIRE(raw.ok());
        fetched.push_back(test::without_trace_headers(*raw));
        CHECK(fetched.back().size() < raw->size());  // trace headers were there
    }
    // Delivery order is not guaranteed; compare as sets.
    std::sort(fetched.begin(), fetched.end());
    auto expected = messages;
    std::sort(expected.begin(), expected.end());
    CHECK(fetched == expected);
    CHECK(client.counters().bytes_received > 1'300'000);
}

TEST_CASE("append and fetch are exact, and binary-safe") {
    const auto& stack = MailStack::get();
    const auto folder = fresh_folder("Exact");
    net::ImapClient client(stack.imap("vendor", folder));
    const std::string raw = test::make_message("vendor@example.test", "exact", "",
                                               "line one\r\n8-bit: \xe6\x97\xa5\xe6\x9c\xac\r\n");
    // The folder does not exist yet: append creates it.
    REQUIRE(client.append(folder, raw).ok());
    auto uids = client.uids_after(0);
    REQUIRE(uids.ok());
    REQUIRE(uids->size() == 1);
    auto fetched = client.fetch(uids->front());
    REQUIRE(fetched.ok());
    CHECK(*fetched == raw);

    SECTION("a NUL byte neither truncates nor shifts the data") {
        std::string with_nul = test::make_message("vendor@example.test", "nul", "", "ab");
        with_nul += '\0';
        with_nul += "cd\r\nafter the NUL\r\n";
        REQUIRE(client.append(folder, with_nul).ok());
        auto after = client.uids_after(uids->front());
        REQUIRE(after.ok());
        REQUIRE(after->size() == 1);
        auto got = client.fetch(after->front());
        REQUIRE(got.ok());
        REQUIRE(got->size() == with_nul.size());
        // IMAP BODY[] may not carry NUL; Dovecot sends 0x80 in its place.
        auto nul_at = with_nul.find('\0');
        CHECK(((*got)[nul_at] == '\0' || (*got)[nul_at] == '\x80'));
        CHECK(got->substr(0, nul_at) == with_nul.substr(0, nul_at));
        CHECK(got->substr(nul_at + 1) == with_nul.substr(nul_at + 1));
    }
}

TEST_CASE("uids_after returns only newer UIDs, also where n:* would include an older one") {
    const auto& stack = MailStack::get();
    const auto folder = fresh_folder("Uids");
    net::ImapClient client(stack.imap("coordinator", folder));
    for (int i = 0; i < 3; ++i) {
        REQUIRE(client
                    .append(folder, test::make_message("c@example.test", "n" + std::to_string(i),
                                                       "", "body\r\n"))
                    .ok());
    }
    auto status = client.select();
    REQUIRE(status.ok());
    CHECK(status->exists == 3);
    CHECK(status->uidnext == 4);

    auto all = client.uids_after(0);
    REQUIRE(all.ok());
    CHECK(*all == std::vector<std::uint32_t>{1, 2, 3});
    CHECK(*client.uids_after(1) == std::vector<std::uint32_t>{2, 3});
    CHECK(*client.uids_after(2) == std::vector<std::uint32_t>{3});
    // "UID SEARCH UID 4:*" answers 3: the trap.
    CHECK(client.uids_after(3)->empty());
    CHECK(client.uids_after(1000)->empty());
    CHECK(client.uids_after(std::numeric_limits<std::uint32_t>::max())->empty());

    // A message appended after the last select is seen after the next one.
    REQUIRE(client.append(folder, test::make_message("c@example.test", "n3", "", "b\r\n")).ok());
    CHECK(test::wait_for_uids(client, 3, 1) == std::vector<std::uint32_t>{4});
}

// Regression: libcurl strips response lines longer than its 16 kB buffer, and the one-line
// answer to UID SEARCH for thousands of new messages lost UIDs in the middle (mail never
// processed). 4,000 UIDs need about 19 kB as a SEARCH line.
TEST_CASE("uids_after returns every UID when thousands are new") {
    const auto& stack = MailStack::get();
    const auto folder = fresh_folder("Many");
    net::ImapClient client(stack.imap("coordinator", folder));
    constexpr std::uint32_t kCount = 4000;
    const auto raw = test::make_message("c@example.test", "many", "", "b\r\n");
    REQUIRE(client.append(folder, raw).ok());  // Dovecot makes the folder's Maildir
    // The rest written straight into the Maildir (4,000 APPENDs take a minute): Dovecot gives
    // them UIDs at the next SELECT.
    const auto new_dir = std::filesystem::path(stack.dir) / "mail" / "coordinator" / "Maildir" /
                         ("." + folder) / "new";
    REQUIRE(std::filesystem::is_directory(new_dir));
    for (std::uint32_t i = 1; i < kCount; ++i) {
        std::ofstream(new_dir / ("1795000000.M" + std::to_string(i) + "P1.cvdbot-test"),
                      std::ios::binary)
            << raw;
    }
    auto selected = client.select();
    REQUIRE(selected.ok());
    REQUIRE(selected->exists == kCount);
    auto all = client.uids_after(0);
    REQUIRE(all.ok());
    REQUIRE(all->size() == kCount);
    for (std::uint32_t i = 0; i < kCount; ++i) REQUIRE((*all)[i] == i + 1);
    CHECK(client.uids_after(kCount - 2)->size() == 2);
}

TEST_CASE("add_flags sets flags that a later FETCH FLAGS shows") {
    const auto& stack = MailStack::get();
    net::ImapClient client(stack.imap("vendor2"));
    auto before = client.select();
    REQUIRE(before.ok());
    send(stack.address("vendor2"),
         test::make_message(stack.address("vendor2"), "flags", "", "x\r\n"));
    auto uids = test::wait_for_uids(client, before->uidnext - 1, 1);
    REQUIRE(uids.size() == 1);
    const auto uid = uids.front();

    auto initial = client.flags(uid);
    REQUIRE(initial.ok());
    CHECK_FALSE(has_flag(*initial, "\\Seen"));

    auto added = client.add_flags(uid, "\\Seen $Processed");
    INFO((added.ok() ? std::string() : added.error().message));
    REQUIRE(added.ok());
    auto now = client.flags(uid);
    REQUIRE(now.ok());
    CHECK(has_flag(*now, "\\Seen"));
    CHECK(has_flag(*now, "$Processed"));
    // Adding again is fine.
    CHECK(client.add_flags(uid, "\\Seen").ok());

    SECTION("unknown UIDs and unsafe flags are errors") {
        auto missing = client.add_flags(before->uidnext + 1000, "\\Seen");
        REQUIRE_FALSE(missing.ok());
        CHECK(missing.error().kind == core::ErrorKind::not_found);
        CHECK(client.flags(before->uidnext + 1000).error().kind == core::ErrorKind::not_found);
        auto injected = client.add_flags(uid, "\\Seen)\r\nA1 LOGOUT");
        REQUIRE_FALSE(injected.ok());
        CHECK(injected.error().kind == core::ErrorKind::invalid_input);
        CHECK(client.add_flags(0, "\\Seen").error().kind == core::ErrorKind::invalid_input);
        // The connection is still usable.
        CHECK(client.flags(uid).ok());
    }
}

TEST_CASE("move creates the folder and takes the message out of the mailbox") {
    const auto& stack = MailStack::get();
    const auto source = fresh_folder("MoveFrom");
    // A space and quotes in the name: it has to be quoted and URL-escaped properly.
    const auto target = fresh_folder("Done \"x\"");
    net::ImapClient client(stack.imap("operator", source));
    REQUIRE(client.append(source, test::make_message("o@example.test", "m1", "", "1\r\n")).ok());
    REQUIRE(client.append(source, test::make_message("o@example.test", "m2", "", "2\r\n")).ok());
    REQUIRE(*client.uids_after(0) == std::vector<std::uint32_t>{1, 2});

    auto moved = client.move(1, target);
    INFO((moved.ok() ? std::string() : moved.error().message));
    REQUIRE(moved.ok());
    CHECK(*client.uids_after(0) == std::vector<std::uint32_t>{2});
    CHECK(client.fetch(1).error().kind == core::ErrorKind::not_found);
    // Into the now existing folder.
    REQUIRE(client.move(2, target).ok());
    CHECK(client.uids_after(0)->empty());

    net::ImapClient moved_to(stack.imap("operator", target));
    auto there = moved_to.select();
    REQUIRE(there.ok());
    CHECK(there->exists == 2);

    auto missing = client.move(1, target);
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.error().kind == core::ErrorKind::not_found);
    CHECK(client.move(2, "Bad\r\nA1 LOGOUT").error().kind == core::ErrorKind::invalid_input);
}

TEST_CASE("mail to bot+anything lands in bot's inbox") {
    const auto& stack = MailStack::get();
    net::ImapClient client(stack.imap("bot"));
    auto before = client.select();
    REQUIRE(before.ok());
    const auto raw = test::make_message("bot+2026-0042@example.test", "[CVD#2026-0042] reply", "",
                                        "case reply\r\n");
    send("bot+2026-0042@example.test", raw);
    auto uids = test::wait_for_uids(client, before->uidnext - 1, 1);
    REQUIRE(uids.size() == 1);
    auto fetched = client.fetch(uids.front());
    REQUIRE(fetched.ok());
    CHECK(test::without_trace_headers(*fetched) == raw);
    CHECK_THAT(*fetched, Contains("Delivered-To: bot+2026-0042@example.test"));
}

TEST_CASE("IMAP errors say what went wrong") {
    const auto& stack = MailStack::get();

    SECTION("wrong password") {
        auto settings = stack.imap("discoverer");
        settings.password = "wrong";
        net::ImapClient client(settings);
        auto status = client.select();
        REQUIRE_FALSE(status.ok());
        CHECK(status.error().kind == core::ErrorKind::config);
        CHECK_THAT(status.error().message, Contains("AUTHENTICATIONFAILED") &&
                                               Contains("password") && Contains("discoverer"));
        CHECK_THAT(status.error().message, !Contains("wrong"));
    }
    SECTION("closed port") {
        auto settings = stack.imap("discoverer");
        settings.url = "imap://127.0.0.1:1";
        net::ImapClient client(settings);
        auto status = client.select();
        REQUIRE_FALSE(status.ok());
        CHECK(status.error().kind == core::ErrorKind::network);
    }
    SECTION("missing mailbox") {
        net::ImapClient client(stack.imap("discoverer", fresh_folder("Missing")));
        auto status = client.select();
        REQUIRE_FALSE(status.ok());
        CHECK(status.error().kind == core::ErrorKind::not_found);
        CHECK_THAT(status.error().message, Contains("doesn't exist"));
        auto listed = client.uids_after(0);
        INFO(listed.error().message);
        CHECK(listed.error().kind == core::ErrorKind::not_found);
    }
    SECTION("missing UID") {
        net::ImapClient client(stack.imap("discoverer"));
        auto status = client.select();
        REQUIRE(status.ok());
        auto fetched = client.fetch(status->uidnext + 1000);
        REQUIRE_FALSE(fetched.ok());
        CHECK(fetched.error().kind == core::ErrorKind::not_found);
        CHECK(client.fetch(0).error().kind == core::ErrorKind::invalid_input);
    }
    SECTION("message too big for max_message_bytes") {
        const auto folder = fresh_folder("Big");
        auto settings = stack.imap("discoverer", folder);
        settings.max_message_bytes = 100;
        net::ImapClient client(settings);
        REQUIRE(client
                    .append(folder, test::make_message("d@example.test", "big", "",
                                                       std::string(500, 'x') + "\r\n"))
                    .ok());
        auto fetched = client.fetch(1);
        REQUIRE_FALSE(fetched.ok());
        CHECK(fetched.error().kind == core::ErrorKind::invalid_input);
        CHECK_THAT(fetched.error().message, Contains("max_message_bytes"));
    }
}

TEST_CASE("a client survives a Dovecot restart under its cached connection") {
    const auto& stack = MailStack::get();
    net::ImapClient client(stack.imap("discoverer2"));
    auto before = client.select();
    REQUIRE(before.ok());

    stack.control("stop-imap");
    auto during = client.select();
    REQUIRE_FALSE(during.ok());
    CHECK(during.error().kind == core::ErrorKind::network);
    stack.control("start-imap");

    auto after = client.select();
    INFO((after.ok() ? std::string() : after.error().message));
    REQUIRE(after.ok());
    CHECK(after->uidvalidity == before->uidvalidity);
}
