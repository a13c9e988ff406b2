#include "directory_participant.hpp"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>

using namespace cvd;

TEST_CASE("A directory vendor joins a case with its contacts, language and registered keys") {
    const auto dir = std::filesystem::temp_directory_path() / ("cvdbot-dirp-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    auto store = store::Store::open((dir / "c.db").string());
    REQUIRE(store.ok());
    const auto now = core::from_unix(1'795'000'000);
    auto the_case = store->create_case("CVD", now, "t");
    REQUIRE(the_case.ok());

    store::Vendor vendor;
    vendor.name = "Example Corp";
    vendor.languages = {"en", "ja"};
    vendor.contacts = {{"cc-first@example.test", store::ContactKind::cc}, {"psirt@example.test", store::ContactKind::to},
                       {"backup@example.test", store::ContactKind::to}};
    vendor.key_fingerprints = {"0123456789ABCDEF0123456789ABCDEF01234567"};
    store::VendorDirectory directory(*store);
    auto listed = directory.add(vendor, now);
    REQUIRE(listed.ok());
    vendor = *listed;

    domain::Participant base;
    base.case_row_id = the_case->row_id;
    const auto p = app::vendor_participant(vendor, base);
    CHECK(p.role == domain::Role::vendor);
    CHECK(p.address == "psirt@example.test");  // the first `to`, not the first contact
    CHECK(p.other_addresses == std::vector<std::string>{"cc-first@example.test", "backup@example.test"});
    CHECK(p.organisation == "Example Corp");
    CHECK(p.language == "en");
    CHECK(p.vendor_row_id == vendor.row_id);

    domain::Participant given = base;
    given.language = "ja";
    CHECK(app::vendor_participant(vendor, given).language == "ja");  // what the caller gave wins

    auto added = store->add_participant(p, now);
    REQUIRE(added.ok());
    REQUIRE(app::register_directory_keys(*store, vendor, *added, now).ok());
    for (const auto* address : {"psirt@example.test", "cc-first@example.test", "backup@example.test"}) {
        auto bindings = store->key_bindings_for(address);
        REQUIRE(bindings->size() == 1);
        CHECK((*bindings)[0].kind == "registered");
    }
    std::filesystem::remove_all(dir);
}
