// `vendor add/edit` edits, the JSON form and the pending-change listing.

#include "vendor_commands.hpp"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>

using namespace cvd;
using namespace cvd::app;
using Catch::Matchers::Contains;
using store::ContactKind;

namespace {
const core::Timestamp kNow = core::from_unix(1'795'000'000);
const std::string kFpr1 = "0123456789ABCDEF0123456789ABCDEF01234567";
const std::string kFpr2 = "FEDCBA9876543210FEDCBA9876543210FEDCBA98";

store::Vendor base() {
    store::Vendor v;
    v.name = "Acme";
    v.contacts = {{"psirt@acme.example", ContactKind::to}, {"lead@acme.example", ContactKind::cc}};
    v.key_fingerprints = {kFpr1};
    v.products = {"Router"};
    v.keywords = {"acme-httpd"};
    return v;
}

struct TempStore {
    std::filesystem::path dir;
    std::optional<store::Store> store;
    TempStore() {
        static int counter = 0;
        dir = std::filesystem::temp_directory_path() /
              ("cvdbot-vcmd-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
        std::filesystem::remove_all(dir);
        std::filesystem::create_directories(dir);
        auto opened = store::Store::open((dir / "cvdbot.db").string());
        REQUIRE(opened.ok());
        store.emplace(std::move(*opened));
    }
    ~TempStore() {
        store.reset();
        std::filesystem::remove_all(dir);
    }
};
}  // namespace

TEST_CASE("vendor add: an edit applied to an empty vendor") {
    store::Vendor fresh;
    fresh.name = "New Vendor";
    VendorEdit edit;
    edit.add_to = {"A@New.example"};
    edit.add_cc = {"b@new.example"};
    edit.add_keys = {"0123 4567 89ab cdef 0123 4567 89ab cdef 0123 4567"};
    edit.languages = std::vector<std::string>{"ja", "en"};
    edit.add_products = {"Widget"};
    edit.name_publishable = true;
    edit.registration = store::Registration::per_product;
    edit.notes = "n";
    auto v = apply_vendor_edit(fresh, edit);
    REQUIRE(v.ok());
    CHECK(v->contacts == std::vector<store::VendorContact>{{"a@new.example", ContactKind::to},
                                                           {"b@new.example", ContactKind::cc}});
    CHECK(v->key_fingerprints == std::vector<std::string>{kFpr1});
    CHECK(v->name_publishable);
    CHECK_FALSE(v->accepts_direct_reports);

    VendorEdit no_to;
    no_to.add_cc = {"b@new.example"};
    auto refused = apply_vendor_edit(fresh, no_to);
    REQUIRE_FALSE(refused.ok());
    CHECK_THAT(refused.error().message, Contains("no 'to' contact"));
}

TEST_CASE("vendor edit: adds, removes, renames; removing what is not there is an error") {
    VendorEdit edit;
    edit.rename = "Acme Corp";
    edit.remove_contacts = {"Lead@acme.example"};
    edit.add_cc = {"psirt@acme.example"};  // turns the to contact into cc ...
    edit.add_to = {"new@acme.example"};    // ... so a new to is needed
    edit.add_keys = {kFpr2};
    edit.remove_keys = {kFpr1};
    edit.add_products = {"router", "Switch"};  // "router" is already there, ignoring case
    edit.remove_keywords = {"ACME-HTTPD"};
    edit.accepts_direct_reports = true;
    auto v = apply_vendor_edit(base(), edit);
    REQUIRE(v.ok());
    CHECK(v->name == "Acme Corp");
    CHECK(v->contacts == std::vector<store::VendorContact>{{"psirt@acme.example", ContactKind::cc},
                                                           {"new@acme.example", ContactKind::to}});
    CHECK(v->key_fingerprints == std::vector<std::string>{kFpr2});
    CHECK(v->products == std::vector<std::string>{"Router", "Switch"});
    CHECK(v->keywords.empty());
    CHECK(v->accepts_direct_reports);

    VendorEdit typo;
    typo.remove_contacts = {"lead@acme.exmaple"};
    typo.remove_products = {"Routr"};
    typo.remove_keys = {kFpr2};
    auto refused = apply_vendor_edit(base(), typo);
    REQUIRE_FALSE(refused.ok());
    CHECK_THAT(refused.error().message, Contains("no contact 'lead@acme.exmaple'"));
    CHECK_THAT(refused.error().message, Contains("no product 'Routr'"));
    CHECK_THAT(refused.error().message, Contains("no key '" + kFpr2 + "'"));
}

TEST_CASE("The JSON form holds every field and reads back") {
    TempStore t;
    store::Vendor v = base();
    v.languages = {"ja", "en"};
    v.name_publishable = true;
    v.registration = store::Registration::per_product;
    v.notes = "multi\nline \"quoted\" 日本語";
    auto stored = store::VendorDirectory(*t.store).add(v, kNow);
    REQUIRE(stored.ok());

    const auto text = vendor_to_json(*stored);
    const auto j = nlohmann::json::parse(text);
    CHECK(j["name"] == "Acme");
    CHECK(j["contacts"][1]["kind"] == "cc");
    CHECK(j["registration"] == "per_product");
    CHECK(j["created_at"] == "2026-11-18T11:06:40Z");
    auto back = vendor_from_json(text);
    REQUIRE(back.ok());
    CHECK(*back == *stored);

    auto list = store::VendorDirectory(*t.store).list();
    const auto array = nlohmann::json::parse(vendors_to_json(*list));
    REQUIRE(array.is_array());
    REQUIRE(array.size() == 1);
    CHECK(*vendor_from_json(array[0].dump()) == *stored);

    CHECK_FALSE(vendor_from_json("{\"name\": \"x\"}").ok());
    CHECK_FALSE(vendor_from_json("[").ok());
}

TEST_CASE("vendor show and list read as text") {
    std::ostringstream one, many, none;
    store::Vendor v = base();
    print_vendor(v, one);
    CHECK_THAT(one.str(), Contains("Vendor:        Acme"));
    CHECK_THAT(one.str(), Contains("to           psirt@acme.example"));
    CHECK_THAT(one.str(), Contains(kFpr1));
    print_vendor_list({v}, many);
    CHECK_THAT(many.str(), Contains("psirt@acme.example"));
    print_vendor_list({}, none);
    CHECK(none.str() == "no vendors\n");
}

TEST_CASE("vendor changes shows each pending change with the contacts before and after") {
    TempStore t;
    store::VendorDirectory directory(*t.store);
    auto v = directory.add(base(), kNow);
    REQUIRE(v.ok());
    std::ostringstream empty;
    REQUIRE(print_changes(directory, empty).ok());
    CHECK(empty.str() == "no pending contact changes\n");

    store::ContactChange change;
    change.add = {{"new@acme.example", ContactKind::to}};
    change.remove = {"psirt@acme.example"};
    auto id = directory.request_change(v->row_id, "psirt@acme.example", std::nullopt, change, kNow);
    REQUIRE(id.ok());
    std::ostringstream out;
    REQUIRE(print_changes(directory, out).ok());
    CHECK_THAT(out.str(), Contains("Change " + std::to_string(*id) +
                                   "  vendor 'Acme'  asked by psirt@acme.example"));
    CHECK_THAT(out.str(), Contains("now:    to psirt@acme.example, cc lead@acme.example"));
    CHECK_THAT(out.str(), Contains("after:  cc lead@acme.example, to new@acme.example"));
}
