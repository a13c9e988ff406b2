// Vendors asking by mail to change their contact point: recorded as pending, never applied.

#include "vendor_mail.hpp"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "cvdbot/mail/parser.hpp"

using namespace cvd;
using namespace cvd::app;
using Catch::Matchers::Contains;
using store::ContactKind;

namespace {
const core::Timestamp kNow = core::from_unix(1'795'000'000);

struct Fixture {
    std::filesystem::path dir;
    std::optional<store::Store> store;
    std::int64_t vendor_row = 0;

    Fixture() {
        static int counter = 0;
        dir = std::filesystem::temp_directory_path() /
              ("cvdbot-vmail-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
        std::filesystem::remove_all(dir);
        std::filesystem::create_directories(dir);
        auto opened = store::Store::open((dir / "cvdbot.db").string());
        REQUIRE(opened.ok());
        store.emplace(std::move(*opened));
        store::Vendor v;
        v.name = "Acme";
        v.contacts = {{"psirt@acme.example", ContactKind::to},
                      {"lead@acme.example", ContactKind::cc}};
        auto added = store::VendorDirectory(*store).add(v, kNow);
        REQUIRE(added.ok());
        vendor_row = added->row_id;
    }
    ~Fixture() {
        store.reset();
        std::filesystem::remove_all(dir);
    }

    // Stores the raw mail like the intake does and returns its row and parsed form.
    std::pair<std::int64_t, mail::Message> receive(const std::string& raw) {
        static std::uint32_t uid = 0;
        auto fetched = store->store_fetched(store::ServerLocation{"INBOX", 1, ++uid}, raw, kNow);
        REQUIRE(fetched.ok());
        return {fetched->row_id, mail::parse_message(raw)};
    }

    ContactChangeMail handle(const std::string& raw) {
        auto [row, parsed] = receive(raw);
        auto outcome = handle_contact_change_mail(*store, parsed, row, kNow);
        REQUIRE(outcome.ok());
        return *outcome;
    }

    std::vector<store::VendorContact> contacts() {
        return store::VendorDirectory(*store).find_by_row(vendor_row).value()->contacts;
    }
};

std::string mail_from(const std::string& from, const std::string& subject, const std::string& body,
                      const std::string& extra_headers = "") {
    return "From: " + from + "\r\nTo: cvd@bot.example\r\nSubject: " + subject +
           "\r\nMessage-ID: <m" + std::to_string(std::hash<std::string>{}(from + subject + body)) +
           "@x>\r\nContent-Type: text/plain; charset=utf-8\r\n" + extra_headers + "\r\n" + body;
}

const std::vector<store::VendorContact> kOriginal{{"psirt@acme.example", ContactKind::to},
                                                  {"lead@acme.example", ContactKind::cc}};
}  // namespace

TEST_CASE("A registered contact's change request becomes a pending change, not a change") {
    Fixture f;
    const auto outcome =
        f.handle(mail_from("Acme PSIRT <PSIRT@acme.example>", "Contact change",
                           "Hello,\r\nplease update our contact point:\r\n\r\n"
                           "To: new-psirt@acme.example\r\n"
                           "Cc: Lead Person <lead2@acme.example>, lead3@acme.example\r\n"
                           "Remove: psirt@acme.example\r\n\r\nRegards\r\n"));
    REQUIRE(outcome.verdict == ContactChangeVerdict::recorded);
    CHECK(outcome.handled());
    CHECK(outcome.sender == "psirt@acme.example");
    CHECK(outcome.vendor_names == std::vector<std::string>{"Acme"});
    REQUIRE(outcome.change_ids.size() == 1);
    CHECK(outcome.request.add ==
          std::vector<store::VendorContact>{{"new-psirt@acme.example", ContactKind::to},
                                            {"lead2@acme.example", ContactKind::cc},
                                            {"lead3@acme.example", ContactKind::cc}});
    CHECK(outcome.request.remove == std::vector<std::string>{"psirt@acme.example"});

    CHECK(f.contacts() == kOriginal);  // nothing applied
    store::VendorDirectory directory(*f.store);
    auto pending = directory.pending_changes();
    REQUIRE(pending->size() == 1);
    CHECK(pending->front().row_id == outcome.change_ids.front());
    CHECK(pending->front().requested_by == "psirt@acme.example");
    CHECK(pending->front().request == outcome.request);

    // Only a coordinator's approval applies it.
    REQUIRE(directory.approve(outcome.change_ids.front(), "coordinator", kNow).ok());
    CHECK(f.contacts() ==
          std::vector<store::VendorContact>{{"lead@acme.example", ContactKind::cc},
                                            {"new-psirt@acme.example", ContactKind::to},
                                            {"lead2@acme.example", ContactKind::cc},
                                            {"lead3@acme.example", ContactKind::cc}});
}

TEST_CASE("Japanese requests: 窓口変更 with 宛先 / CC / 削除 and full-width punctuation") {
    Fixture f;
    const auto outcome =
        f.handle(mail_from("lead@acme.example", "=?UTF-8?B?6YCj57Wh56qT5Y+j44Gu5aSJ5pu0?=",
                           "いつもお世話になっております。\r\n"
                           "宛先：new@acme.example、new2@acme.example\r\n"
                           "CC: cc@acme.example\r\n"
                           "削除: psirt@acme.example\r\n"));
    REQUIRE(outcome.verdict == ContactChangeVerdict::recorded);
    CHECK(outcome.request.add ==
          std::vector<store::VendorContact>{{"new@acme.example", ContactKind::to},
                                            {"new2@acme.example", ContactKind::to},
                                            {"cc@acme.example", ContactKind::cc}});
    CHECK(outcome.request.remove == std::vector<std::string>{"psirt@acme.example"});
    CHECK(f.contacts() == kOriginal);
}

TEST_CASE("The request may be named in the body's first lines instead of the subject") {
    Fixture f;
    const auto outcome =
        f.handle(mail_from("psirt@acme.example", "Re: hello",
                           "Dear team,\r\n\r\n連絡先変更のお願いです。\r\nTo: n@acme.example\r\n"));
    CHECK(outcome.verdict == ContactChangeVerdict::recorded);
}

TEST_CASE("Mail that is not a change request from a registered contact is left alone") {
    Fixture f;
    SECTION("a stranger") {
        const auto outcome = f.handle(
            mail_from("someone@evil.example", "Contact change", "To: me@evil.example\r\n"));
        CHECK(outcome.verdict == ContactChangeVerdict::not_a_request);
        CHECK_FALSE(outcome.handled());
    }
    SECTION("a contact writing about something else") {
        const auto outcome = f.handle(
            mail_from("psirt@acme.example", "Question about a report",
                      "Hello\r\nTo: whom it may concern\r\nmore\r\nmore\r\nmore\r\nmore\r\n"
                      "contact change mentioned too late\r\n"));
        CHECK(outcome.verdict == ContactChangeVerdict::not_a_request);
    }
    SECTION("an auto-reply") {
        const auto outcome =
            f.handle(mail_from("psirt@acme.example", "Contact change", "To: x@acme.example\r\n",
                               "Auto-Submitted: auto-replied\r\n"));
        CHECK(outcome.verdict == ContactChangeVerdict::not_a_request);
    }
    CHECK(store::VendorDirectory(*f.store).pending_changes()->empty());
    CHECK(f.contacts() == kOriginal);
}

TEST_CASE("A request whose addresses cannot be read records nothing and says why") {
    Fixture f;
    SECTION("no labelled lines") {
        const auto outcome = f.handle(mail_from("psirt@acme.example", "Change of contact",
                                                "Please use our new address.\r\n"));
        CHECK(outcome.verdict == ContactChangeVerdict::unreadable);
        CHECK(outcome.handled());
        REQUIRE(outcome.problems.size() == 1);
        CHECK_THAT(outcome.problems[0], Contains("To: address"));
        CHECK(outcome.vendor_names == std::vector<std::string>{"Acme"});
    }
    SECTION("a bad address among good ones") {
        const auto outcome = f.handle(mail_from("psirt@acme.example", "Contact change",
                                                "To: good@acme.example, bad@@acme\r\n"));
        CHECK(outcome.verdict == ContactChangeVerdict::unreadable);
        REQUIRE(outcome.problems.size() == 1);
        CHECK_THAT(outcome.problems[0], Contains("'bad@@acme' is not an email address"));
    }
    SECTION("a label without an address") {
        const auto outcome =
            f.handle(mail_from("psirt@acme.example", "Contact change", "To: our new team\r\n"));
        CHECK(outcome.verdict == ContactChangeVerdict::unreadable);
    }
    SECTION("added and removed at once") {
        const auto outcome =
            f.handle(mail_from("psirt@acme.example", "Contact change",
                               "To: a@acme.example\r\nRemove: a@acme.example\r\n"));
        CHECK(outcome.verdict == ContactChangeVerdict::unreadable);
    }
    CHECK(store::VendorDirectory(*f.store).pending_changes()->empty());
}

TEST_CASE("Quoted and forwarded mail below the request is not read") {
    const auto text = read_contact_change(
        "To: new@acme.example\n"
        "> To: quoted@acme.example\n"
        "\n"
        "From: Coordinator <cvd@bot.example>\n"
        "Sent: Wednesday, November 18, 2026 10:00\n"
        "To: psirt@acme.example\n"
        "Subject: your report\n");
    CHECK(text.problems.empty());
    CHECK(text.change.add ==
          std::vector<store::VendorContact>{{"new@acme.example", ContactKind::to}});

    CHECK(
        read_contact_change("Cc: a@acme.example\n-- \nTo: sig@acme.example\n").change.add.size() ==
        1);
    CHECK(read_contact_change("Cc: a@acme.example\n-----Original Message-----\nTo: o@x.example\n")
              .change.add.size() == 1);
    CHECK(read_contact_change(
              "Cc: a@acme.example\nOn Wed, Nov 18, 2026 CVD wrote:\nTo: o@x.example\n")
              .change.add.size() == 1);
    CHECK(read_contact_change(
              "Cc: a@acme.example\n2026年11月18日 CVD さんは書きました:\nTo: o@x.example\n")
              .change.add.size() == 1);
    // A lone From: line is not a header block: "from old to new" lists still read.
    const auto from_to = read_contact_change(
        "From: old@acme.example\nTo: new@acme.example\n- Cc: mailto:c@acme.example\n");
    CHECK(from_to.change.add ==
          std::vector<store::VendorContact>{{"new@acme.example", ContactKind::to},
                                            {"c@acme.example", ContactKind::cc}});
}

TEST_CASE("A contact of two vendors gets one pending change per vendor") {
    Fixture f;
    store::Vendor other;
    other.name = "Acme Subsidiary";
    other.contacts = {{"psirt@acme.example", ContactKind::to}};
    REQUIRE(store::VendorDirectory(*f.store).add(other, kNow).ok());
    const auto outcome =
        f.handle(mail_from("psirt@acme.example", "Contact change", "To: n@acme.example\r\n"));
    REQUIRE(outcome.verdict == ContactChangeVerdict::recorded);
    CHECK(outcome.change_ids.size() == 2);
    CHECK(outcome.vendor_names == std::vector<std::string>{"Acme", "Acme Subsidiary"});
    CHECK(store::VendorDirectory(*f.store).pending_changes()->size() == 2);
}
