// Reading vendor files (CSV and TOML) and importing them all-or-nothing.

#include "vendor_import.hpp"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "vendor_commands.hpp"

using namespace cvd;
using namespace cvd::app;
using Catch::Matchers::Contains;

namespace {
const core::Timestamp kNow = core::from_unix(1'795'000'000);
const std::string kFpr = "0123456789ABCDEF0123456789ABCDEF01234567";

struct TempDir {
    std::filesystem::path dir;
    TempDir() {
        static int counter = 0;
        dir = std::filesystem::temp_directory_path() /
              ("cvdbot-vimport-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
        std::filesystem::remove_all(dir);
        std::filesystem::create_directories(dir);
    }
    ~TempDir() { std::filesystem::remove_all(dir); }
    std::filesystem::path write(const std::string& name, const std::string& text) const {
        std::ofstream(dir / name, std::ios::binary) << text;
        return dir / name;
    }
    store::Store store() const {
        auto s = store::Store::open((dir / "cvdbot.db").string());
        REQUIRE(s.ok());
        return std::move(*s);
    }
};

std::vector<int> lines_of(const std::vector<ImportProblem>& problems) {
    std::vector<int> out;
    for (const auto& p : problems) out.push_back(p.line);
    return out;
}

std::string all_messages(const std::vector<ImportProblem>& problems) {
    std::string out;
    for (const auto& p : problems) out += format_problem("vendors.csv", p) + "\n";
    return out;
}
}  // namespace

TEST_CASE("CSV: quoted fields hold commas, doubled quotes and line breaks") {
    const auto table = parse_csv(
        "\xEF\xBB\xBF"
        "a,b,c\r\n"
        "\"x, y\",\"say \"\"hi\"\"\",\"two\r\nlines\"\r\n"
        "\r\n"
        ",,\n"
        "last,\"\",row");
    CHECK(table.problems.empty());
    REQUIRE(table.records.size() == 4);
    CHECK(table.records[0].fields == std::vector<std::string>{"a", "b", "c"});  // BOM gone
    CHECK(table.records[1].fields == std::vector<std::string>{"x, y", "say \"hi\"", "two\nlines"});
    CHECK(table.records[1].line == 2);
    CHECK(table.records[2].fields == std::vector<std::string>{"", "", ""});
    CHECK(table.records[2].line ==
          5);  // the record with the line break spanned lines 2-3, line 4 was blank
    CHECK(table.records[3].fields == std::vector<std::string>{"last", "", "row"});
    CHECK(table.records[3].line == 6);
}

TEST_CASE("CSV: malformed quoting is reported at its line") {
    SECTION("never closed") {
        const auto table = parse_csv("a,b\nx,\"open\nmore\n");
        REQUIRE(table.problems.size() == 1);
        CHECK(table.problems[0].line == 2);
        CHECK_THAT(table.problems[0].message, Contains("never closed"));
    }
    SECTION("quote inside a plain field") {
        const auto table = parse_csv("a,b\nx,ab\"c\n");
        REQUIRE(table.problems.size() == 1);
        CHECK(table.problems[0].line == 2);
    }
    SECTION("text after the closing quote") {
        const auto table = parse_csv("a,b\n\"x\"y,z\n");
        REQUIRE(table.problems.size() == 1);
        CHECK(table.problems[0].line == 2);
        CHECK(table.records[1].fields == std::vector<std::string>{"xy", "z"});
    }
    SECTION("lone CR line ends count as lines") {
        const auto table = parse_csv("a\rb\rc\"\r");
        REQUIRE(table.problems.size() == 1);
        CHECK(table.problems[0].line == 3);
    }
}

TEST_CASE("CSV vendor file: every column read, multi-valued fields split on ';'") {
    const auto file = parse_vendor_csv(
        "name,to,cc,keys,languages,products,keywords,publishable,accepts_direct,registration,"
        "notes\n"
        "\"Acme, Inc.\",psirt@acme.example; Security@Acme.example,lead@acme.example,\"0123 4567 "
        "89ab cdef 0123  "
        "4567 89AB CDEF 0123 4567\",\"ja,en\",RoadRunner "
        "Router;ロードランナー,acme-httpd,yes,TRUE,per-product,\"line "
        "one\nline \"\"two\"\"\"\n"
        "Beta,b@beta.example,,,,,,,,,\n");
    INFO(all_messages(file.problems));
    REQUIRE(file.problems.empty());
    REQUIRE(file.vendors.size() == 2);
    const auto& v = file.vendors[0].vendor;
    CHECK(file.vendors[0].line == 2);
    CHECK(v.name == "Acme, Inc.");
    CHECK(v.contacts ==
          std::vector<store::VendorContact>{{"psirt@acme.example", store::ContactKind::to},
                                            {"security@acme.example", store::ContactKind::to},
                                            {"lead@acme.example", store::ContactKind::cc}});
    CHECK(v.key_fingerprints == std::vector<std::string>{kFpr});
    CHECK(v.languages == std::vector<std::string>{"ja", "en"});
    CHECK(v.products == std::vector<std::string>{"RoadRunner Router", "ロードランナー"});
    CHECK(v.keywords == std::vector<std::string>{"acme-httpd"});
    CHECK(v.name_publishable);
    CHECK(v.accepts_direct_reports);
    CHECK(v.registration == store::Registration::per_product);
    CHECK(v.notes == "line one\nline \"two\"");
    CHECK(file.vendors[1].line == 4);  // the notes spanned lines 2-3
    CHECK_FALSE(file.vendors[1].vendor.name_publishable);
    CHECK(file.vendors[1].vendor.registration == store::Registration::general);
}

TEST_CASE("CSV vendor file: every bad row is reported with its line number") {
    const auto file = parse_vendor_csv(
        "name,to,cc,keys,publishable,registration\n"  // 1
        "Good,good@good.example,,,,\n"                // 2
        "Bad Address,foo,,,,\n"                       // 3
        "No To,,cc@x.example,,,\n"                    // 4
        "Bad Key,k@x.example,,ABCDEF,,\n"             // 5
        "\"Two\nLines\",two@x.example,,,maybe,\n"     // 6-7
        "Good,other@good.example,,,,\n"               // 8: duplicate name
        "Short,s@x.example\n"                         // 9
        "Reg,r@x.example,,,,sometimes\n");            // 10
    // Line 6 has two problems: a name may not hold a line break, and 'maybe' is no flag.
    CHECK(lines_of(file.problems) == std::vector<int>{3, 4, 5, 6, 6, 8, 9, 10});
    const auto text = all_messages(file.problems);
    CHECK_THAT(text, Contains("vendors.csv:3: contact 'foo' is not an email address"));
    CHECK_THAT(text, Contains("vendors.csv:4: there is no 'to' contact address"));
    CHECK_THAT(text, Contains("vendors.csv:5: key 'ABCDEF' is not a fingerprint"));
    CHECK_THAT(text, Contains("vendors.csv:6: publishable: 'maybe' is not yes or no"));
    CHECK_THAT(
        text, Contains("vendors.csv:6: the vendor name 'Two\nLines' contains a control character"));
    CHECK_THAT(text, Contains("vendors.csv:8: vendor 'Good' is already named on line 2"));
    CHECK_THAT(text, Contains("vendors.csv:9: the row has 2 fields but the header has 6"));
    CHECK_THAT(
        text,
        Contains("vendors.csv:10: registration: 'sometimes' is neither general nor per_product"));
}

TEST_CASE("CSV vendor file: header problems stop the reading") {
    auto file = parse_vendor_csv("name,to,colour,name\nA,a@x.example,red,A\n");
    CHECK(lines_of(file.problems) == std::vector<int>{1, 1});
    CHECK_THAT(file.problems[0].message, Contains("unknown column 'colour'"));
    CHECK_THAT(file.problems[1].message, Contains("'name' appears twice"));
    CHECK(file.vendors.empty());
    file = parse_vendor_csv("name,cc\nA,a@x.example\n");
    REQUIRE(file.problems.size() == 1);
    CHECK_THAT(file.problems[0].message, Contains("'to' is missing"));
    file = parse_vendor_csv("");
    REQUIRE(file.problems.size() == 1);
    CHECK_THAT(file.problems[0].message, Contains("empty"));
}

TEST_CASE("CSV vendor file: Shift_JIS from a spreadsheet is refused with advice") {
    const auto file = parse_vendor_csv("name,to\n\x83\x41\x83\x4e\x83\x81,a@x.example\n");
    REQUIRE(file.problems.size() == 1);
    CHECK(file.problems[0].line == 2);
    CHECK_THAT(file.problems[0].message, Contains("UTF-8"));
}

TEST_CASE("TOML vendor file: [[vendor]] tables with every key") {
    const auto file = parse_vendor_toml(R"(# directory
[[vendor]]
name = "Acme"
to = ["psirt@acme.example"]
cc = "lead@acme.example"
keys = ["0123456789abcdef0123456789abcdef01234567"]
languages = ["ja", "en"]
products = ["RoadRunner Router"]
keywords = ["acme-httpd", "ACMEOS"]
publishable = true
accepts_direct = false
registration = "per_product"
notes = """
multi
line"""

[[vendor]]
name = "Beta"
to = "b@beta.example"
)",
                                        "vendors.toml");
    INFO(all_messages(file.problems));
    REQUIRE(file.problems.empty());
    REQUIRE(file.vendors.size() == 2);
    CHECK(file.vendors[0].line == 2);
    CHECK(file.vendors[1].line == 17);
    const auto& v = file.vendors[0].vendor;
    CHECK(v.contacts ==
          std::vector<store::VendorContact>{{"psirt@acme.example", store::ContactKind::to},
                                            {"lead@acme.example", store::ContactKind::cc}});
    CHECK(v.key_fingerprints == std::vector<std::string>{kFpr});
    CHECK(v.languages == std::vector<std::string>{"ja", "en"});
    CHECK(v.keywords == std::vector<std::string>{"acme-httpd", "ACMEOS"});
    CHECK(v.name_publishable);
    CHECK(v.registration == store::Registration::per_product);
    CHECK(v.notes == "multi\nline");
}

TEST_CASE("TOML vendor file: problems at the line of the value") {
    const auto file = parse_vendor_toml(R"([[vendor]]
name = "Acme"
to = ["psirt@acme.example",
      "foo"]
publishable = "yes"
colour = "red"

[[vendor]]
name = "acme"
to = "x@acme.example"

[[vendor]]
cc = "c@x.example"

[other]
)",
                                        "vendors.toml");
    const auto text = all_messages(file.problems);
    INFO(text);
    CHECK(lines_of(file.problems) == std::vector<int>{4, 5, 6, 8, 12, 12, 15});
    CHECK_THAT(text, Contains(":4: contact 'foo' is not an email address"));
    CHECK_THAT(text, Contains(":5: publishable: must be true or false"));
    CHECK_THAT(text, Contains(":6: colour: unknown key"));
    CHECK_THAT(text, Contains(":8: vendor 'acme' is already named on line 1"));
    CHECK_THAT(text, Contains(":12: the vendor name is empty"));
    CHECK_THAT(text, Contains(":12: there is no 'to' contact address"));
    CHECK_THAT(text, Contains(":15: other: unknown key"));
}

TEST_CASE("TOML vendor file: a syntax error names its line") {
    const auto file = parse_vendor_toml("[[vendor]]\nname = \"A\"\nto = [\n", "vendors.toml");
    REQUIRE(file.problems.size() == 1);
    CHECK(file.problems[0].line >= 3);
}

TEST_CASE("The reader is chosen by extension") {
    TempDir dir;
    CHECK(read_vendor_file(dir.write("v.CSV", "name,to\nA,a@x.example\n")).vendors.size() == 1);
    CHECK(read_vendor_file(dir.write("v.toml", "[[vendor]]\nname='A'\nto='a@x.example'\n"))
              .vendors.size() == 1);
    auto other = read_vendor_file(dir.write("v.txt", "name,to\n"));
    REQUIRE(other.problems.size() == 1);
    CHECK(other.problems[0].line == 0);
    CHECK(format_problem("v.txt", other.problems[0]) ==
          "v.txt: the file name must end in .csv or .toml");
    CHECK_FALSE(read_vendor_file(dir.dir / "missing.csv").problems.empty());
}

TEST_CASE("Import: a file with errors imports nothing") {
    TempDir dir;
    auto store = dir.store();
    const auto file =
        parse_vendor_csv("name,to\nGood,good@x.example\nBad,foo\nAlso Good,g2@x.example\n");
    auto outcome = import_vendors(store, file, false, kNow);
    REQUIRE(outcome.ok());
    CHECK(lines_of(outcome->problems) == std::vector<int>{3});
    CHECK(outcome->added == 0);
    CHECK(store::VendorDirectory(store).list()->empty());
}

TEST_CASE("Import: all vendors of a good file, names clashing with the directory need --update") {
    TempDir dir;
    auto store = dir.store();
    store::VendorDirectory directory(store);
    auto first = import_vendors(
        store, parse_vendor_csv("name,to\nAcme,a@acme.example\nBeta,b@beta.example\n"), false,
        kNow);
    REQUIRE(first.ok());
    CHECK(first->problems.empty());
    CHECK(first->added == 2);
    REQUIRE(directory.list()->size() == 2);

    const auto again = parse_vendor_csv(
        "name,to,products\nGamma,g@gamma.example,\nACME,new@acme.example,Router\n");
    auto refused = import_vendors(store, again, false, kNow);
    REQUIRE(refused.ok());
    REQUIRE(refused->problems.size() == 1);
    CHECK(refused->problems[0].line == 3);
    CHECK_THAT(refused->problems[0].message, Contains("already in the directory"));
    CHECK(directory.list()->size() == 2);  // Gamma was not added either

    const auto later = kNow + std::chrono::hours(1);
    auto updated = import_vendors(store, again, true, later);
    REQUIRE(updated.ok());
    CHECK(updated->problems.empty());
    CHECK(updated->added == 1);
    CHECK(updated->updated == 1);
    auto acme = directory.find_by_name("acme");
    REQUIRE((*acme)->name == "ACME");
    CHECK((*acme)->contacts ==
          std::vector<store::VendorContact>{{"new@acme.example", store::ContactKind::to}});
    CHECK((*acme)->products == std::vector<std::string>{"Router"});
    CHECK((*acme)->created_at == kNow);
    CHECK((*acme)->updated_at == later);
}

TEST_CASE("The example files in contrib/ import cleanly") {
    for (const char* name : {"vendors.example.csv", "vendors.example.toml"}) {
        INFO(name);
        const auto file =
            read_vendor_file(std::filesystem::path(CVDBOT_SOURCE_DIR) / "contrib" / name);
        INFO(all_messages(file.problems));
        CHECK(file.problems.empty());
        CHECK(file.vendors.size() >= 3);
    }
}
