// Every corpus file's parsed model, as JSON, must equal its golden file. After a deliberate
// change in parsing, regenerate with CVDBOT_UPDATE_GOLDEN=1 and review the diff.

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "cvdbot/mail/describe.hpp"
#include "cvdbot/mail/parser.hpp"
#include "test_util.hpp"

namespace fs = std::filesystem;
using namespace cvd::mail;

namespace {

const fs::path data_dir = fs::path(CVDBOT_SOURCE_DIR) / "tests" / "data" / "mail";

std::string read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::vector<fs::path> corpus() {
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(data_dir))
        if (e.is_regular_file() && e.path().extension() == ".eml") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    return files;
}

}  // namespace

TEST_CASE("the corpus has at least 60 messages") {
    CHECK(corpus().size() >= 60);
}

TEST_CASE("every corpus message parses to its golden model") {
    const bool update = std::getenv("CVDBOT_UPDATE_GOLDEN") != nullptr;
    fs::create_directories(data_dir / "golden");
    for (const auto& file : corpus()) {
        DescribeOptions options;
        options.case_prefix = "CVD";
        std::string json = message_to_json(parse_message(read_file(file)), options) + "\n";
        fs::path golden = data_dir / "golden" / (file.stem().string() + ".json");
        INFO(file.filename().string());
        if (update) {
            std::ofstream(golden, std::ios::binary) << json;
            continue;
        }
        REQUIRE(fs::exists(golden));
        CHECK(json == read_file(golden));
    }
}
