#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "cvdbot/mail/parser.hpp"
#include "intake.hpp"
#include "threading.hpp"

using namespace cvd;
using namespace cvd::app;

TEST_CASE("Reply addresses carry the thread's token") {
    CHECK(reply_address("bot@example.test", "0123456789abcdef0123") == "bot+0123456789abcdef0123@example.test");
    CHECK(reply_token_of("bot@example.test", "BOT+0123456789ABCDEF0123@Example.Test") == "0123456789abcdef0123");
    CHECK_FALSE(reply_token_of("bot@example.test", "bot@example.test"));
    CHECK_FALSE(reply_token_of("bot@example.test", "bot+abc@other.test"));
    CHECK_FALSE(reply_token_of("bot@example.test", "robot+abc@example.test"));
}

TEST_CASE("Ticket numbers are picked out of subjects, never our own case tag") {
    CHECK(ticket_candidates("[PSIRT-4711] Re: [CVD#2026-0001] report", "CVD") == std::vector<std::string>{"PSIRT-4711"});
    CHECK(ticket_candidates("INC#20417: your report", "CVD") == std::vector<std::string>{"INC#20417"});
    CHECK(ticket_candidates("Case #123456 updated", "CVD") == std::vector<std::string>{"#123456"});
    CHECK(ticket_candidates("CVD-2026-0001 and version 1.2.3", "CVD").empty());
    CHECK(ticket_candidates("#12 and A-12 are too short", "CVD").empty());
    CHECK(ticket_candidates("", "CVD").empty());
}

TEST_CASE("Language is guessed from the text") {
    CHECK(detect_language("脆弱性の届出") == "ja");
    CHECK(detect_language("カタカナ") == "ja");
    CHECK(detect_language("A vulnerability report") == "en");
    CHECK(detect_language("") == "en");
}

namespace {
const core::Timestamp kNow = core::from_unix(1'795'000'000);
const std::string kBot = "bot@example.test";

struct Fixture {
    std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                ("cvdbot-threading-" + std::to_string(::getpid()));
    store::Store store;
    domain::Case one, two;
    domain::Participant vendor_a, vendor_b;

    static store::Store open(const std::filesystem::path& dir) {
        std::filesystem::remove_all(dir);
        std::filesystem::create_directories(dir);
        return std::move(*store::Store::open((dir / "t.db").string()));
    }
    Fixture() : store(open(dir)) {
        one = *store.create_case("CVD", kNow, "one");
        two = *store.create_case("CVD", kNow, "two");
        vendor_a = *store.add_participant(vendor(one.row_id, "psirt@vendor-a.test"), kNow);
        vendor_b = *store.add_participant(vendor(one.row_id, "security@vendor-b.test"), kNow);
        store::OutboundMail mail{one.row_id, "to-b@example.test", kBot, {vendor_b.address}, "s", "b", "raw",
                                 std::nullopt, vendor_b.row_id};
        REQUIRE(store.queue_outbound(mail, kNow).ok());
        REQUIRE(store.remember_ticket(one.row_id, vendor_a.row_id, "PSIRT-4711").ok());
    }
    ~Fixture() { std::filesystem::remove_all(dir); }
    static domain::Participant vendor(std::int64_t case_row, const std::string& address) {
        domain::Participant p;
        p.case_row_id = case_row;
        p.role = domain::Role::vendor;
        p.address = address;
        return p;
    }
    ThreadMatch match(const std::string& headers, const std::string& sender = "psirt@vendor-a.test") {
        const auto message = mail::parse_message("From: " + sender + "\r\n" + headers + "\r\n\r\nbody\r\n");
        auto result = find_thread(store, message, sender, kBot, "CVD");
        REQUIRE(result.ok());
        return *result;
    }
};
}  // namespace

TEST_CASE("Threading: each rule on its own") {
    Fixture f;
    auto by_address = f.match("To: " + reply_address(kBot, f.vendor_a.reply_token) + "\r\nSubject: hello");
    CHECK(by_address.how == "reply address");
    CHECK(by_address.found->row_id == f.one.row_id);
    CHECK(by_address.thread_participant == f.vendor_a.row_id);

    auto by_envelope = f.match("To: bot@example.test\r\nDelivered-To: " + reply_address(kBot, f.vendor_a.reply_token) +
                               "\r\nSubject: hello");
    CHECK(by_envelope.how == "reply address");

    auto by_tag = f.match("To: bot@example.test\r\nSubject: Re: [CVD#2026-0002] x");
    CHECK(by_tag.how == "subject tag");
    CHECK(by_tag.found->row_id == f.two.row_id);

    auto by_refs = f.match("To: bot@example.test\r\nSubject: changed\r\nReferences: <x@y> <to-b@example.test>");
    CHECK(by_refs.how == "references");
    CHECK(by_refs.thread_participant == f.vendor_b.row_id);

    auto by_ticket = f.match("To: bot@example.test\r\nSubject: Re: [PSIRT-4711] status update");
    CHECK(by_ticket.how == "ticket number");
    CHECK(by_ticket.thread_participant == f.vendor_a.row_id);

    auto stranger_ticket = f.match("To: bot@example.test\r\nSubject: [PSIRT-4711]", "someone@else.test");
    CHECK_FALSE(stranger_ticket.found);

    auto nothing = f.match("To: bot@example.test\r\nSubject: a new report");
    CHECK_FALSE(nothing.found);
    CHECK(nothing.how.empty());

    auto unknown_tag = f.match("To: bot@example.test\r\nSubject: [CVD#2026-0099]");
    CHECK_FALSE(unknown_tag.found);
    CHECK(unknown_tag.named_but_unknown->number == 99);

    auto guessed_token = f.match("To: bot+00000000000000000000@example.test\r\nSubject: hi");
    CHECK_FALSE(guessed_token.found);
}

TEST_CASE("Threading: earlier rules win over later ones") {
    Fixture f;
    // Reply address (case one) beats a subject tag naming case two and references.
    auto address_first = f.match("To: " + reply_address(kBot, f.vendor_a.reply_token) +
                                 "\r\nSubject: [CVD#2026-0002]\r\nReferences: <to-b@example.test>");
    CHECK(address_first.how == "reply address");
    CHECK(address_first.found->row_id == f.one.row_id);
    // A subject tag beats references to another case.
    auto tag_first = f.match("To: bot@example.test\r\nSubject: [CVD#2026-0002]\r\nReferences: <to-b@example.test>");
    CHECK(tag_first.how == "subject tag");
    CHECK(tag_first.found->row_id == f.two.row_id);
    // References beat a ticket number.
    auto refs_first = f.match("To: bot@example.test\r\nSubject: [PSIRT-4711]\r\nIn-Reply-To: <to-b@example.test>");
    CHECK(refs_first.how == "references");
    CHECK(refs_first.thread_participant == f.vendor_b.row_id);
}
