#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "config.hpp"

using namespace cvd::app;
using Catch::Matchers::Contains;

namespace {
const std::string kMinimal =
    "[imap]\nurl = \"imap://127.0.0.1:10143\"\nuser = \"bot\"\npassword = \"secret\"\n"
    "[smtp]\nurl = \"smtp://127.0.0.1:10025\"\n"
    "[bot]\naddress = \"bot@example.test\"\n";

std::string error_of(const std::string& text) {
    auto config = parse_config(text, "cvdbot.toml", ".");
    REQUIRE_FALSE(config.ok());
    return config.error().message;
}
}  // namespace

TEST_CASE("A minimal configuration gets the documented defaults") {
    auto config = parse_config(kMinimal, "cvdbot.toml", ".");
    REQUIRE(config.ok());
    CHECK(config->imap.mailbox == "INBOX");
    CHECK(config->bot.case_prefix == "CVD");
    CHECK(config->bot.name == "cvdbot");
    CHECK(config->database == "./cvdbot.db");
    CHECK(config->poll_interval.count() == 60);
    CHECK(config->imap.idle);
    CHECK(config->imap.idle_reissue.count() == 1500);
}

TEST_CASE("The shipped example configuration is valid") {
    auto config = load_config(CVDBOT_SOURCE_DIR "/contrib/cvdbot.example.toml");
    REQUIRE(config.ok());
    CHECK(config->imap.user == "bot");
}

TEST_CASE("Configuration errors name the file, the line and the key") {
    CHECK(error_of(kMinimal + "[daemon]\npoll_interval_seconds = 0\n") ==
          "cvdbot.toml:10: daemon.poll_interval_seconds: must be an integer from 1 to 86400");
    CHECK_THAT(error_of("[imap]\nidle = 1\n" + kMinimal.substr(7)), Contains("cvdbot.toml:2: imap.idle: must be true or false"));
    CHECK_THAT(error_of("[imap]\nidle_reissue_seconds = 1800\n" + kMinimal.substr(7)),
               Contains("imap.idle_reissue_seconds: must be an integer from 10 to 1740"));
    // A float where a whole number belongs (toml++'s value<int64_t>() would convert it unchecked).
    CHECK(error_of(kMinimal + "[daemon]\npoll_interval_seconds = 2e49\n") ==
          "cvdbot.toml:10: daemon.poll_interval_seconds: must be an integer from 1 to 86400");
    CHECK(error_of(kMinimal + "[daemon]\npoll_interval_seconds = 60.0\n") ==
          "cvdbot.toml:10: daemon.poll_interval_seconds: must be an integer from 1 to 86400");
    CHECK(error_of(kMinimal + "[daemon]\npoll_intervall_seconds = 5\n") ==
          "cvdbot.toml:10: daemon.poll_intervall_seconds: unknown key");
    CHECK_THAT(error_of("[imap]\nurl = \"imap://h\"\npassword = \"x\"\n[smtp]\nurl = \"smtp://h\"\n[bot]\naddress = \"b@x\"\n"),
               Contains("imap.user: is required but missing"));
    CHECK_THAT(error_of("[smtp]\nurl = \"smtp://h\"\n"), Contains("[imap]: section is required"));
    CHECK(error_of("[imap]\nurl = \"http://h\"\nuser = \"bot\"\n[smtp]\nurl = \"smtp://h\"\n[bot]\naddress = \"b@x\"\n") ==
          "cvdbot.toml:2: imap.url: must be a URL starting with imap://");
    CHECK_THAT(error_of(kMinimal + "[paths]\ndatabase = 5\n"), Contains("cvdbot.toml:10: paths.database: must be a string"));
    std::string bad_address = kMinimal;
    bad_address.replace(bad_address.find("bot@example.test"), 16, "Bot <bot@x>");
    CHECK_THAT(error_of(bad_address), Contains("cvdbot.toml:8: bot.address"));
    std::string bad_prefix = kMinimal + "case_prefix = \"C-V\"\n";
    CHECK_THAT(error_of(bad_prefix), Contains("bot.case_prefix"));
    CHECK_THAT(error_of("[imap\n"), Contains("cvdbot.toml:1"));
}

TEST_CASE("Passwords may come from a file, but not from both places") {
    const auto dir = std::filesystem::temp_directory_path() / "cvdbot-config-test";
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "imap.password") << "s3cret\n";
    std::string text = kMinimal;
    text.replace(text.find("password = \"secret\""), 19, "password_file = \"imap.password\"");
    auto config = parse_config(text, "c.toml", dir);
    REQUIRE(config.ok());
    CHECK(config->imap.password == "s3cret");
    CHECK_THAT(error_of(kMinimal.substr(0, kMinimal.find("[smtp]")) + "password_file = \"x\"\n" +
                        kMinimal.substr(kMinimal.find("[smtp]"))),
               Contains("either password or password_file"));
    std::filesystem::remove_all(dir);
}

TEST_CASE("The advisory section names the publisher, the CNA and the advisory id scheme") {
    auto config = parse_config(kMinimal, "cvdbot.toml", ".");
    REQUIRE(config.ok());
    CHECK(config->advisory.publisher_name == "JPCERT/CC");
    CHECK(config->advisory.id_pattern == "^JVN(VU)?#[0-9]{8}$");
    CHECK(config->advisory.cna_org_id.empty());
    config = parse_config(kMinimal + "[advisory]\ncna_org_id = \"00000000-0000-4000-8000-000000000001\"\n"
                                     "id_pattern = \"^CVD-[0-9]{4}-[0-9]{3}$\"\n",
                          "cvdbot.toml", ".");
    REQUIRE(config.ok());
    CHECK(config->advisory.cna_org_id == "00000000-0000-4000-8000-000000000001");
    CHECK_THAT(error_of(kMinimal + "[advisory]\ncna_org_id = \"jpcert\"\n"),
               Contains("cvdbot.toml:10: advisory.cna_org_id: must be the CNA's UUID"));
    CHECK_THAT(error_of(kMinimal + "[advisory]\nid_pattern = \"(\"\n"), Contains("advisory.id_pattern"));
    CHECK_THAT(error_of(kMinimal + "[advisory]\npublisher = \"x\"\n"), Contains("advisory.publisher: unknown key"));
}

TEST_CASE("A password in a server URL is refused: URLs are logged") {
    std::string text = kMinimal;
    text.replace(text.find("imap://127.0.0.1"), 16, "imap://bot:hunter2@127.0.0.1");
    CHECK_THAT(error_of(text), Contains("imap.url: must not carry a user or password"));
    text = kMinimal;
    text.replace(text.find("smtp://127.0.0.1"), 16, "smtp://bot@127.0.0.1");
    CHECK_THAT(error_of(text), Contains("smtp.url: must not carry a user or password"));
}
