#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <sstream>

#include "case_commands.hpp"
#include "case_view.hpp"

using namespace cvd;
using namespace cvd::app;
using Catch::Matchers::Contains;

namespace {
const core::Timestamp kNow = core::from_unix(1'795'000'000);

struct TempStore {
    std::filesystem::path dir =
        std::filesystem::temp_directory_path() / ("cvdbot-view-" + std::to_string(::getpid()));
    store::Store store = open(dir);
    static store::Store open(const std::filesystem::path& dir) {
        std::filesystem::remove_all(dir);
        std::filesystem::create_directories(dir);
        return *store::Store::open((dir / "v.db").string());
    }
    ~TempStore() { std::filesystem::remove_all(dir); }
};

// A case with a discoverer, 3 vendors and 30 messages: the story a coordinator reads.
domain::Case busy_case(store::Store& s) {
    auto c = *s.create_case("CVD", kNow, "XSS in Example WebMail");
    domain::Participant discoverer;
    discoverer.case_row_id = c.row_id;
    discoverer.address = "taro@example.test";
    discoverer.display_name = "山田 太郎";
    discoverer.language = "ja";
    discoverer.consent.credit = true;
    REQUIRE(s.add_participant(discoverer, kNow).ok());
    std::vector<domain::Participant> vendors;
    for (int v = 0; v < 3; ++v) {
        domain::Participant p;
        p.case_row_id = c.row_id;
        p.role = domain::Role::vendor;
        p.address = "psirt@vendor" + std::to_string(v) + ".test";
        p.organisation = "Vendor " + std::to_string(v);
        p.other_addresses = {"cc@vendor" + std::to_string(v) + ".test"};
        p.vendor_status = "verifying";
        vendors.push_back(*s.add_participant(p, kNow));
    }
    for (int i = 0; i < 30; ++i) {
        const auto& vendor = vendors[i % 3];
        store::OutboundMail mail{c.row_id, "m" + std::to_string(i) + "@example.test", "bot@example.test",
                                 {vendor.address}, "[CVD#2026-0001] message " + std::to_string(i), "body",
                                 "raw " + std::to_string(i) + "\r\nFrom the start\r\n", std::nullopt, vendor.row_id};
        REQUIRE(s.queue_outbound(mail, kNow + std::chrono::minutes(i)).ok());
    }
    REQUIRE(s.audit({0, c.row_id, kNow, "bot", "case_opened", "report", std::nullopt}).ok());
    REQUIRE(s.arm_timer({0, c.row_id, vendors[0].row_id, "vendor_first_reply", kNow + std::chrono::days(7), "armed"}).ok());
    return c;
}
}  // namespace

TEST_CASE("A case view round-trips through JSON, every field") {
    TempStore t;
    const auto c = busy_case(t.store);
    auto view = load_case_view(t.store, c.id);
    REQUIRE(view.ok());
    CHECK(view->participants.size() == 4);
    CHECK(view->messages.size() == 30);
    const auto json = to_json(*view);
    auto back = case_view_from_json(nlohmann::json::parse(json.dump()));
    REQUIRE(back.ok());
    CHECK(*back == *view);
    // Changing any one field is noticed.
    auto changed = json;
    changed["participants"][1]["consent"]["direct_contact"] = true;
    CHECK_FALSE(*case_view_from_json(changed) == *view);
    changed = json;
    changed["messages"][29]["subject"] = "other";
    CHECK_FALSE(*case_view_from_json(changed) == *view);
    // Garbage is refused, not guessed.
    changed = json;
    changed["case"]["state"] = "flying";
    CHECK_FALSE(case_view_from_json(changed).ok());
    CHECK_FALSE(case_view_from_json(nlohmann::json::object()).ok());
}

TEST_CASE("The readable case view tells the story in order") {
    TempStore t;
    const auto c = busy_case(t.store);
    std::ostringstream out;
    REQUIRE(print_case(t.store, c.id.str(), false, out).ok());
    const auto text = out.str();
    CHECK_THAT(text, Contains("vendor         psirt@vendor1.test (Vendor 1)"));
    CHECK_THAT(text, Contains("-> to psirt@vendor2.test [vendor Vendor 2]: [CVD#2026-0001] message 29"));
    CHECK_THAT(text, Contains("vendor_first_reply (armed) for vendor Vendor 0"));
    CHECK(text.find("message 3") < text.find("message 4"));
    CHECK_FALSE(print_case(t.store, "CVD#2026-0099", false, out).ok());
    CHECK_FALSE(print_case(t.store, "nonsense", false, out).ok());
}

TEST_CASE("A case exports as an mboxrd file") {
    TempStore t;
    const auto c = busy_case(t.store);
    std::ostringstream out;
    REQUIRE(export_case_mbox(t.store, c.id.str(), out).ok());
    const auto mbox = out.str();
    std::size_t separators = 0;
    for (std::size_t pos = 0; (pos = mbox.find("\nFrom bot@example.test ", pos)) != std::string::npos; ++pos)
        ++separators;
    CHECK(separators + (mbox.rfind("From bot@example.test ", 0) == 0 ? 1 : 0) == 30);
    CHECK_THAT(mbox, Contains("\n>From the start\n"));
    CHECK(mbox.find('\r') == std::string::npos);
}
