#include "cvdbot/store/vendor_directory.hpp"

#include <catch2/catch.hpp>

#include "store_fixture.hpp"

using namespace cvd;
using namespace cvd::store;
using namespace cvd::store::test;
using Catch::Matchers::Contains;

namespace {
const std::string kFpr1 = "0123456789ABCDEF0123456789ABCDEF01234567";
const std::string kFpr2 = "FEDCBA9876543210FEDCBA9876543210FEDCBA98";

Vendor acme() {
    Vendor v;
    v.name = "Acme Corp";
    v.languages = {"ja", "en"};
    v.name_publishable = true;
    v.accepts_direct_reports = true;
    v.registration = Registration::per_product;
    v.contacts = {{"psirt@acme.example", ContactKind::to},
                  {"security@acme.example", ContactKind::to},
                  {"lead@acme.example", ContactKind::cc}};
    v.key_fingerprints = {kFpr1, kFpr2};
    v.products = {"RoadRunner Router", "ロードランナー"};
    v.keywords = {"acme-httpd", "ACMEOS"};
    v.notes = "Prefers English for technical details.\nCall before publishing.";
    return v;
}

Vendor minimal(const std::string& name, const std::string& to) {
    Vendor v;
    v.name = name;
    v.contacts = {{to, ContactKind::to}};
    return v;
}

std::int64_t stored_message(Store& store) {
    auto fetched = store.store_fetched(ServerLocation{"INBOX", 1, 7},
                                       "From: psirt@acme.example\r\n\r\nhi\r\n", kNow);
    REQUIRE(fetched.ok());
    return fetched->row_id;
}
}  // namespace

TEST_CASE("Every field of a vendor round-trips through the database") {
    TempDb db;
    Vendor added;
    {
        auto store = open_store(db);
        auto stored = VendorDirectory(store).add(acme(), kNow);
        REQUIRE(stored.ok());
        added = *stored;
        CHECK(added.row_id > 0);
        CHECK(added.created_at == kNow);
        CHECK(added.updated_at == kNow);
    }
    auto store = open_store(db);  // a fresh connection: nothing cached
    VendorDirectory directory(store);
    auto found = directory.find_by_row(added.row_id);
    REQUIRE(found.ok());
    REQUIRE(found->has_value());
    Vendor expected = acme();
    expected.row_id = added.row_id;
    expected.created_at = expected.updated_at = kNow;
    CHECK(**found == expected);
    CHECK(added == expected);
}

TEST_CASE("Vendor names are unique ignoring ASCII case, and found ignoring it") {
    TempDb db;
    auto store = open_store(db);
    VendorDirectory directory(store);
    REQUIRE(directory.add(minimal("Acme", "a@acme.example"), kNow).ok());
    auto again = directory.add(minimal("ACME", "b@acme.example"), kNow);
    REQUIRE_FALSE(again.ok());
    CHECK(again.error().kind == core::ErrorKind::conflict);
    CHECK_THAT(again.error().message, Contains("already exists"));
    auto padded = directory.add(minimal("  acme ", "b@acme.example"), kNow);
    CHECK_FALSE(padded.ok());

    auto found = directory.find_by_name("aCmE");
    REQUIRE(found.ok());
    REQUIRE(found->has_value());
    CHECK((*found)->name == "Acme");
    CHECK_FALSE(directory.find_by_name("Acme2")->has_value());

    // Renaming onto another vendor's name is refused too.
    auto other = directory.add(minimal("Other", "o@other.example"), kNow);
    REQUIRE(other.ok());
    Vendor renamed = *other;
    renamed.name = "acme";
    auto clash = directory.update(renamed, kNow);
    REQUIRE_FALSE(clash.ok());
    CHECK(clash.error().kind == core::ErrorKind::conflict);
    // Changing only the case of one's own name is fine.
    Vendor recased = *other;
    recased.name = "OTHER";
    CHECK(directory.update(recased, kNow).ok());
}

TEST_CASE("Invalid vendors are refused with every problem named") {
    TempDb db;
    auto store = open_store(db);
    VendorDirectory directory(store);
    Vendor v;
    v.name = "";
    v.contacts = {{"foo", ContactKind::cc}, {"a b@x.example", ContactKind::cc}};
    v.key_fingerprints = {"1234"};
    v.languages = {"japanese"};
    v.products = {"ok", "OK"};
    auto result = directory.add(v, kNow);
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().kind == core::ErrorKind::invalid_input);
    const auto& message = result.error().message;
    CHECK_THAT(message, Contains("the vendor name is empty"));
    CHECK_THAT(message, Contains("contact 'foo' is not an email address"));
    CHECK_THAT(message, Contains("contact 'a b@x.example' is not an email address"));
    CHECK_THAT(message, Contains("there is no 'to' contact address"));
    CHECK_THAT(message, Contains("key '1234' is not a fingerprint"));
    CHECK_THAT(message, Contains("language 'japanese'"));
    CHECK_THAT(message, Contains("product 'OK' is listed twice"));
    CHECK(directory.list()->empty());
}

TEST_CASE("Input is normalized: trimmed names, lower-case addresses, canonical fingerprints") {
    TempDb db;
    auto store = open_store(db);
    Vendor v = minimal("  Acme  ", "PSIRT@Acme.Example");
    v.key_fingerprints = {"0123 4567 89ab cdef 0123  4567 89AB CDEF 0123 4567"};
    v.languages = {"JA"};
    auto stored = VendorDirectory(store).add(v, kNow);
    REQUIRE(stored.ok());
    CHECK(stored->name == "Acme");
    CHECK(stored->contacts.front().address == "psirt@acme.example");
    CHECK(stored->key_fingerprints.front() == kFpr1);
    CHECK(stored->languages.front() == "ja");
}

TEST_CASE("Address and fingerprint checks") {
    CHECK(is_contact_address("psirt@acme.example"));
    CHECK(is_contact_address("first.last+tag@sub.acme.example"));
    CHECK(is_contact_address("vendor@localhost"));
    CHECK_FALSE(is_contact_address("foo"));
    CHECK_FALSE(is_contact_address("@acme.example"));
    CHECK_FALSE(is_contact_address("a@"));
    CHECK_FALSE(is_contact_address("a@@acme.example"));
    CHECK_FALSE(is_contact_address("a..b@acme.example"));
    CHECK_FALSE(is_contact_address("a@-acme.example"));
    CHECK_FALSE(is_contact_address("Acme <a@acme.example>"));
    CHECK_FALSE(is_contact_address("担当@acme.example"));
    CHECK(normalize_fingerprint(kFpr1) == kFpr1);
    CHECK_FALSE(normalize_fingerprint(kFpr1 + "0"));
    CHECK_FALSE(normalize_fingerprint("0x" + kFpr1.substr(2)));
    CHECK(is_language_tag("ja"));
    CHECK(is_language_tag("pt-br"));
    CHECK_FALSE(is_language_tag("j"));
    CHECK_FALSE(is_language_tag("ja_JP"));
}

TEST_CASE("An update replaces contacts, keys, products and keywords, or nothing at all") {
    TempDb db;
    auto store = open_store(db);
    VendorDirectory directory(store);
    auto added = directory.add(acme(), kNow);
    REQUIRE(added.ok());

    Vendor changed = *added;
    changed.contacts = {{"new@acme.example", ContactKind::to}};
    changed.key_fingerprints = {kFpr2};
    changed.products = {"Coyote"};
    changed.keywords = {};
    changed.name_publishable = false;
    const auto later = kNow + std::chrono::hours(24);
    auto updated = directory.update(changed, later);
    REQUIRE(updated.ok());
    auto reread = directory.find_by_row(added->row_id);
    REQUIRE(reread.ok());
    CHECK((*reread)->contacts == changed.contacts);
    CHECK((*reread)->key_fingerprints == changed.key_fingerprints);
    CHECK((*reread)->products == changed.products);
    CHECK((*reread)->keywords.empty());
    CHECK_FALSE((*reread)->name_publishable);
    CHECK((*reread)->created_at == kNow);
    CHECK((*reread)->updated_at == later);

    SECTION("a failure part-way leaves the vendor as it was") {
        // A trigger makes the last list write fail, after contacts and keys were rewritten.
        db.exec_ok(
            "CREATE TRIGGER no_keywords BEFORE INSERT ON vendor_keywords BEGIN SELECT RAISE(ABORT, "
            "'boom'); END;");
        Vendor broken = **reread;
        broken.contacts = {{"other@acme.example", ContactKind::to}};
        broken.key_fingerprints = {kFpr1};
        broken.keywords = {"anything"};
        broken.notes = "changed";
        auto failed = directory.update(broken, later + std::chrono::hours(1));
        REQUIRE_FALSE(failed.ok());
        auto after = directory.find_by_row(added->row_id);
        REQUIRE(after.ok());
        CHECK(**after == **reread);
    }
    SECTION("an unknown row is not found") {
        Vendor ghost = changed;
        ghost.row_id = 999;
        auto result = directory.update(ghost, later);
        REQUIRE_FALSE(result.ok());
        CHECK(result.error().kind == core::ErrorKind::not_found);
    }
}

TEST_CASE("Vendors are found by contact address and listed by name") {
    TempDb db;
    auto store = open_store(db);
    VendorDirectory directory(store);
    REQUIRE(directory.add(minimal("Zeta", "shared-psirt@group.example"), kNow).ok());
    Vendor alpha = minimal("Alpha", "alpha@alpha.example");
    alpha.contacts.push_back({"shared-psirt@group.example", ContactKind::cc});
    REQUIRE(directory.add(alpha, kNow).ok());

    auto shared = directory.find_by_contact("Shared-PSIRT@group.example");
    REQUIRE(shared.ok());
    REQUIRE(shared->size() == 2);
    CHECK((*shared)[0].name == "Alpha");
    CHECK((*shared)[1].name == "Zeta");
    CHECK(directory.find_by_contact("nobody@group.example")->empty());

    auto all = directory.list();
    REQUIRE(all.ok());
    REQUIRE(all->size() == 2);
    CHECK(all->front().name == "Alpha");
}

TEST_CASE("match suggests vendors whose products or keywords occur in a report") {
    TempDb db;
    auto store = open_store(db);
    VendorDirectory directory(store);
    REQUIRE(directory.add(acme(), kNow).ok());
    Vendor ie = minimal("Browser Co", "sec@browser.example");
    ie.products = {"IE"};
    REQUIRE(directory.add(ie, kNow).ok());

    auto matches = directory.match(
        "XSS in the roadrunner router admin page; acme-httpd/2.4 and ACME Corp firmware");
    REQUIRE(matches.ok());
    REQUIRE(matches->size() ==
            1);  // "IE" is not a word of this text ("client" would not count either)
    CHECK(matches->front().vendor.name == "Acme Corp");
    CHECK(matches->front().terms ==
          std::vector<std::string>{"Acme Corp", "RoadRunner Router", "acme-httpd"});

    CHECK(directory.match("ロードランナーの脆弱性")->size() == 1);
    CHECK(directory.match("the web client crashes")->empty());
    auto both = directory.match("IE and acmeos");
    REQUIRE(both->size() == 2);
}

TEST_CASE("A requested contact change waits for approval and applies atomically") {
    TempDb db;
    auto store = open_store(db);
    VendorDirectory directory(store);
    auto vendor = directory.add(acme(), kNow);
    REQUIRE(vendor.ok());
    const auto message = stored_message(store);

    ContactChange request;
    request.add = {{"NEW-psirt@acme.example", ContactKind::to},
                   {"lead@acme.example", ContactKind::to}};
    request.remove = {"psirt@acme.example"};
    auto id =
        directory.request_change(vendor->row_id, "psirt@acme.example", message, request, kNow);
    REQUIRE(id.ok());

    // Nothing applies on its own.
    CHECK(directory.find_by_row(vendor->row_id).value()->contacts == acme().contacts);
    auto pending = directory.pending_changes();
    REQUIRE(pending.ok());
    REQUIRE(pending->size() == 1);
    const auto& change = pending->front();
    CHECK(change.row_id == *id);
    CHECK(change.vendor_name == "Acme Corp");
    CHECK(change.requested_by == "psirt@acme.example");
    CHECK(change.message_row_id == message);
    CHECK(change.state == ChangeState::pending);
    CHECK(change.request.add.front().address == "new-psirt@acme.example");  // stored normalized
    CHECK(change.request.remove == std::vector<std::string>{"psirt@acme.example"});

    const auto later = kNow + std::chrono::hours(2);
    auto approved = directory.approve(*id, "coordinator-sato", later);
    REQUIRE(approved.ok());
    const std::vector<VendorContact> expected{{"security@acme.example", ContactKind::to},
                                              {"lead@acme.example", ContactKind::to},
                                              {"new-psirt@acme.example", ContactKind::to}};
    CHECK(approved->contacts == expected);
    auto reread = directory.find_by_row(vendor->row_id);
    CHECK((*reread)->contacts == expected);
    CHECK((*reread)->updated_at == later);
    CHECK((*reread)->key_fingerprints == acme().key_fingerprints);  // only contacts change

    auto decided = directory.change(*id);
    REQUIRE(decided.ok());
    CHECK((*decided)->state == ChangeState::approved);
    CHECK((*decided)->decided_by == "coordinator-sato");
    CHECK((*decided)->decided_at == later);
    CHECK(directory.pending_changes()->empty());

    // Deciding twice is refused and changes nothing.
    auto twice = directory.approve(*id, "someone-else", later);
    REQUIRE_FALSE(twice.ok());
    CHECK(twice.error().kind == core::ErrorKind::conflict);
    CHECK_THAT(twice.error().message, Contains("already approved by coordinator-sato"));
    CHECK_FALSE(directory.reject(*id, "someone-else", later).ok());
}

TEST_CASE("A rejected change applies nothing") {
    TempDb db;
    auto store = open_store(db);
    VendorDirectory directory(store);
    auto vendor = directory.add(acme(), kNow);
    REQUIRE(vendor.ok());
    ContactChange request;
    request.add = {{"attacker@evil.example", ContactKind::to}};
    request.remove = {"psirt@acme.example", "security@acme.example"};
    auto id =
        directory.request_change(vendor->row_id, "psirt@acme.example", std::nullopt, request, kNow);
    REQUIRE(id.ok());
    REQUIRE(directory.reject(*id, "coordinator-sato", kNow).ok());
    CHECK(directory.find_by_row(vendor->row_id).value()->contacts == acme().contacts);
    CHECK(directory.change(*id).value()->state == ChangeState::rejected);
    CHECK(directory.pending_changes()->empty());
    CHECK_FALSE(directory.approve(*id, "coordinator-sato", kNow).ok());
}

TEST_CASE("A change that would leave no 'to' contact cannot be approved") {
    TempDb db;
    auto store = open_store(db);
    VendorDirectory directory(store);
    auto vendor = directory.add(minimal("Solo", "only@solo.example"), kNow);
    REQUIRE(vendor.ok());
    ContactChange request;
    request.remove = {"only@solo.example"};
    request.add = {{"cc-only@solo.example", ContactKind::cc}};
    auto id =
        directory.request_change(vendor->row_id, "only@solo.example", std::nullopt, request, kNow);
    REQUIRE(id.ok());
    auto approved = directory.approve(*id, "coordinator", kNow);
    REQUIRE_FALSE(approved.ok());
    CHECK_THAT(approved.error().message, Contains("no 'to' contact"));
    CHECK(directory.find_by_row(vendor->row_id).value()->contacts == vendor->contacts);
    CHECK(directory.change(*id).value()->state ==
          ChangeState::pending);  // still for a person to decide
}

TEST_CASE("Bad change requests are refused") {
    TempDb db;
    auto store = open_store(db);
    VendorDirectory directory(store);
    auto vendor = directory.add(minimal("Solo", "only@solo.example"), kNow);
    REQUIRE(vendor.ok());
    CHECK_FALSE(
        directory.request_change(vendor->row_id, "x@solo.example", std::nullopt, {}, kNow).ok());
    ContactChange bad;
    bad.add = {{"not-an-address", ContactKind::to}};
    CHECK_FALSE(
        directory.request_change(vendor->row_id, "x@solo.example", std::nullopt, bad, kNow).ok());
    ContactChange good;
    good.add = {{"b@solo.example", ContactKind::cc}};
    auto missing = directory.request_change(999, "x@solo.example", std::nullopt, good, kNow);
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.error().kind == core::ErrorKind::not_found);
    CHECK(directory.pending_changes()->empty());
}

TEST_CASE("Values the directory did not write are reported as corruption") {
    TempDb db;
    std::int64_t row = 0;
    {
        auto store = open_store(db);
        auto vendor = VendorDirectory(store).add(acme(), kNow);
        REQUIRE(vendor.ok());
        row = vendor->row_id;
    }
    const std::string id = std::to_string(row);
    SECTION("unknown contact kind") {
        db.exec_ok("UPDATE vendor_contacts SET kind = 'bcc' WHERE vendor_id = " + id);
    }
    SECTION("bad fingerprint") {
        db.exec_ok(
            "UPDATE vendor_keys SET fingerprint = 'abc' WHERE id = (SELECT min(id) FROM "
            "vendor_keys)");
    }
    SECTION("lower-case fingerprint") {
        db.exec_ok("UPDATE vendor_keys SET fingerprint = lower(fingerprint) WHERE vendor_id = " +
                   id);
    }
    SECTION("unknown registration") {
        db.exec_ok("UPDATE vendors SET registration = 'sometimes'");
    }
    SECTION("flag out of range") {
        db.exec_ok("UPDATE vendors SET name_publishable = 2");
    }
    SECTION("bad address") {
        db.exec_ok(
            "UPDATE vendor_contacts SET address = 'nobody' WHERE id = (SELECT min(id) FROM "
            "vendor_contacts)");
    }
    SECTION("no to contact") {
        db.exec_ok("UPDATE vendor_contacts SET kind = 'cc' WHERE vendor_id = " + id);
    }
    SECTION("bad language") {
        db.exec_ok("UPDATE vendors SET languages = 'ja,,en'");
    }
    SECTION("impossible time") {
        db.exec_ok("UPDATE vendors SET created_at = -5");
    }
    auto store = open_store(db);
    auto found = VendorDirectory(store).find_by_row(row);
    REQUIRE_FALSE(found.ok());
    CHECK_THAT(found.error().message, Contains("invalid value"));
    CHECK_THAT(found.error().message, Contains("vendor " + id));
    CHECK_FALSE(VendorDirectory(store).list().ok());
}

TEST_CASE("Stored change requests that do not read back are reported as corruption") {
    TempDb db;
    {
        auto store = open_store(db);
        VendorDirectory directory(store);
        auto vendor = directory.add(minimal("Solo", "only@solo.example"), kNow);
        REQUIRE(vendor.ok());
        ContactChange request;
        request.add = {{"b@solo.example", ContactKind::cc}};
        REQUIRE(
            directory
                .request_change(vendor->row_id, "only@solo.example", std::nullopt, request, kNow)
                .ok());
    }
    SECTION("unparsable request") {
        db.exec_ok("UPDATE vendor_changes SET request = '{not json'");
    }
    SECTION("unknown kind in request") {
        db.exec_ok(
            R"(UPDATE vendor_changes SET request = '{"add":[{"address":"b@solo.example","kind":"bcc"}],"remove":[]}')");
    }
    SECTION("bad address in request") {
        db.exec_ok(R"(UPDATE vendor_changes SET request = '{"add":[],"remove":["x"]}')");
    }
    SECTION("unknown state") {
        db.exec_ok("UPDATE vendor_changes SET state = 'maybe'");
    }
    SECTION("approved without a decider") {
        db.exec_ok("UPDATE vendor_changes SET state = 'approved'");
    }
    auto store = open_store(db);
    auto pending = VendorDirectory(store).change(1);
    REQUIRE_FALSE(pending.ok());
    CHECK_THAT(pending.error().message, Contains("vendor change 1"));
}
