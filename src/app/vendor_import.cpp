// TOML vendor files, the checks both formats share, and choosing the reader by extension.

#include "vendor_import.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <functional>
#include <iterator>
#include <map>
#include <set>

#include "cvdbot/core/text.hpp"
#include "vendor_import_internal.hpp"

namespace cvd::app {

std::optional<bool> parse_yes_no(std::string_view text) {
    const auto value = core::to_lower_ascii(core::trim(text));
    if (value.empty() || value == "no" || value == "false" || value == "0") return false;
    if (value == "yes" || value == "true" || value == "1") return true;
    return std::nullopt;
}

void check_vendor_file(VendorFile& file) {
    std::map<std::string, int> first_line;  // lower-cased name → line
    const auto reported_before = file.problems.size();
    for (std::size_t i = 0; i < file.vendors.size(); ++i) {
        auto& entry = file.vendors[i];
        const int end_line = i + 1 < file.vendors.size() ? file.vendors[i + 1].line : INT32_MAX;
        store::normalize_vendor(entry.vendor);
        // The readers may have named a problem already, at the value's own line.
        for (auto& message : store::vendor_problems(entry.vendor)) {
            const auto begin = file.problems.begin(),
                       end = begin + static_cast<std::ptrdiff_t>(reported_before);
            const bool already = std::any_of(begin, end, [&](const ImportProblem& p) {
                return p.message == message && p.line >= entry.line && p.line < end_line;
            });
            if (!already) file.problems.push_back({entry.line, message});
        }
        if (entry.vendor.name.empty()) continue;
        const auto [it, fresh] =
            first_line.emplace(core::to_lower_ascii(entry.vendor.name), entry.line);
        if (!fresh)
            file.problems.push_back({entry.line, "vendor '" + entry.vendor.name +
                                                     "' is already named on line " +
                                                     std::to_string(it->second)});
    }
    std::stable_sort(
        file.problems.begin(), file.problems.end(),
        [](const ImportProblem& a, const ImportProblem& b) { return a.line < b.line; });
}

namespace {

int line_of(const toml::node& node) {
    return static_cast<int>(node.source().begin.line);
}

// Reads one [[vendor]] table; structural problems go to `problems` at the offending line.
class TomlVendorReader {
  public:
    explicit TomlVendorReader(std::vector<ImportProblem>& problems) : problems_(problems) {}

    store::Vendor read(const toml::table& table) {
        static const std::set<std::string> known{"name",         "to",          "cc",
                                                 "keys",         "languages",   "products",
                                                 "keywords",     "publishable", "accepts_direct",
                                                 "registration", "notes"};
        for (const auto& [key, node] : table)
            if (!known.count(std::string(key.str())))
                problem(
                    node,
                    std::string(key.str()) +
                        ": unknown key (known: name, to, cc, keys, languages, products, keywords, "
                        "publishable, accepts_direct, registration, notes)");
        // A fixed order, not the table's (sorted) one: `to` contacts come before `cc` ones.
        store::Vendor v;
        auto with = [&](const char* key, auto read_value) {
            if (const auto* node = table.get(key)) read_value(std::string(key), *node);
        };
        with("name", [&](const std::string& k, const toml::node& n) { string(k, n, v.name); });
        with("to", [&](const std::string& k, const toml::node& n) {
            contacts(k, n, store::ContactKind::to, v);
        });
        with("cc", [&](const std::string& k, const toml::node& n) {
            contacts(k, n, store::ContactKind::cc, v);
        });
        with("keys",
             [&](const std::string& k, const toml::node& n) { list(k, n, v.key_fingerprints); });
        with("languages",
             [&](const std::string& k, const toml::node& n) { list(k, n, v.languages); });
        with("products",
             [&](const std::string& k, const toml::node& n) { list(k, n, v.products); });
        with("keywords",
             [&](const std::string& k, const toml::node& n) { list(k, n, v.keywords); });
        with("publishable",
             [&](const std::string& k, const toml::node& n) { boolean(k, n, v.name_publishable); });
        with("accepts_direct", [&](const std::string& k, const toml::node& n) {
            boolean(k, n, v.accepts_direct_reports);
        });
        with("registration",
             [&](const std::string& k, const toml::node& n) { registration(k, n, v); });
        with("notes", [&](const std::string& k, const toml::node& n) { string(k, n, v.notes); });
        return v;
    }

  private:
    void problem(const toml::node& node, std::string message) {
        problems_.push_back({line_of(node), std::move(message)});
    }

    void string(const std::string& key, const toml::node& node, std::string& out) {
        if (auto value = node.value_exact<std::string>())
            out = *value;
        else
            problem(node, key + ": must be a string");
    }

    void boolean(const std::string& key, const toml::node& node, bool& out) {
        if (auto value = node.value_exact<bool>())
            out = *value;
        else
            problem(node, key + ": must be true or false");
    }

    // A string or an array of strings; elements are checked where they are written.
    void list(const std::string& key, const toml::node& node, std::vector<std::string>& out,
              const std::function<void(const toml::node&, const std::string&)>& check = {}) {
        auto take = [&](const toml::node& element) {
            if (auto value = element.value_exact<std::string>()) {
                if (check) check(element, *value);
                out.push_back(*value);
            } else {
                problem(element, key + ": must be a string or an array of strings");
            }
        };
        if (const auto* array = node.as_array()) {
            for (const auto& element : *array) take(element);
        } else {
            take(node);
        }
    }

    void contacts(const std::string& key, const toml::node& node, store::ContactKind kind,
                  store::Vendor& v) {
        std::vector<std::string> addresses;
        list(key, node, addresses, [&](const toml::node& element, const std::string& value) {
            if (!store::is_contact_address(core::to_lower_ascii(core::trim(value))))
                problem(element, "contact '" + core::to_lower_ascii(core::trim(value)) +
                                     "' is not an email address");
        });
        for (auto& a : addresses) v.contacts.push_back({std::move(a), kind});
    }

    void registration(const std::string& key, const toml::node& node, store::Vendor& v) {
        std::string text;
        string(key, node, text);
        if (auto reg = store::parse_registration(text))
            v.registration = *reg;
        else if (node.is_string())
            problem(node, key + ": '" + text + "' is neither general nor per_product");
    }

    std::vector<ImportProblem>& problems_;
};

}  // namespace

VendorFile parse_vendor_toml(std::string_view text, const std::string& source) {
    VendorFile file;
    toml::table root;
    try {
        root = toml::parse(text, source);
    } catch (const toml::parse_error& e) {
        file.problems.push_back(
            {static_cast<int>(e.source().begin.line), std::string(e.description())});
        return file;
    }
    TomlVendorReader reader(file.problems);
    for (const auto& [key, node] : root) {
        if (key.str() != "vendor") {
            file.problems.push_back(
                {line_of(node),
                 std::string(key.str()) + ": unknown key (vendors are [[vendor]] tables)"});
            continue;
        }
        const auto* array = node.as_array();
        if (!array || !array->is_array_of_tables()) {
            file.problems.push_back(
                {line_of(node), "vendor: must be written as [[vendor]] tables"});
            continue;
        }
        for (const auto& element : *array) {
            const auto& table = *element.as_table();
            file.vendors.push_back({line_of(table), reader.read(table)});
        }
    }
    check_vendor_file(file);
    return file;
}

VendorFile read_vendor_file(const std::filesystem::path& path) {
    VendorFile file;
    const auto extension = core::to_lower_ascii(path.extension().string());
    if (extension != ".csv" && extension != ".toml") {
        file.problems.push_back({0, "the file name must end in .csv or .toml"});
        return file;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        file.problems.push_back({0, "cannot open the file"});
        return file;
    }
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) {
        file.problems.push_back({0, "cannot read the file"});
        return file;
    }
    return extension == ".csv" ? parse_vendor_csv(text) : parse_vendor_toml(text, path.string());
}

std::string format_problem(const std::string& source, const ImportProblem& problem) {
    if (problem.line <= 0) return source + ": " + problem.message;
    return source + ":" + std::to_string(problem.line) + ": " + problem.message;
}

}  // namespace cvd::app
