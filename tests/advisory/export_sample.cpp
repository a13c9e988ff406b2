// Writes the sample advisory's records into a directory for the ecosystem's validators:
// csaf-ja.json, csaf-en.json, cve-<ID>.json, and the texts. Usage: export_sample DIR
#include <filesystem>
#include <fstream>
#include <iostream>

#include "cvdbot/advisory/export.hpp"
#include "sample.hpp"

using namespace cvd::advisory;

namespace {
bool write(const std::string& path, const std::string& content) {
    std::ofstream out(path, std::ios::binary);
    out << content;
    return static_cast<bool>(out);
}
}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: export_sample DIR\n";
        return 2;
    }
    std::string dir = argv[1];
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    // The one-CVE sample as csaf-ja.json ..., the two-CVE one as two-csaf-ja.json ...
    for (const auto& [prefix, facts] : {std::pair{std::string(), testing::sample_facts()},
                                        std::pair{std::string("two-"), testing::two_cve_facts()}}) {
        for (auto lang : {Lang::ja, Lang::en}) {
            auto csaf = to_csaf(facts, lang, "2027-01-15T00:00:00.000Z", "0.1.0");
            auto text = render_text(facts, lang);
            if (!csaf || !text) {
                std::cerr << (csaf ? text.error().message : csaf.error().message) << "\n";
                return 1;
            }
            if (!write(dir + "/" + prefix + "csaf-" + to_string(lang) + ".json", csaf->dump(2)) ||
                !write(dir + "/" + prefix + "advisory-" + to_string(lang) + ".txt", *text))
                return 1;
        }
        for (const auto& id : facts.cve_ids) {
            auto cve = to_cve(facts, id);
            if (!cve) {
                std::cerr << cve.error().message << "\n";
                return 1;
            }
            if (!write(dir + "/" + prefix + "cve-" + id + ".json", cve->dump(2))) return 1;
        }
    }
    return 0;
}
