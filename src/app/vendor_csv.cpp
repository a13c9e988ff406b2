// CSV vendor files: an RFC 4180 reader and the column mapping (documented in vendor_import.hpp).

#include <algorithm>
#include <map>
#include <set>

#include "cvdbot/core/text.hpp"
#include "vendor_import.hpp"
#include "vendor_import_internal.hpp"

namespace cvd::app {

namespace {

// Reads the text byte by byte; counts lines the way an editor shows them (CRLF, LF or a lone CR
// each end one).
class CsvReader {
  public:
    explicit CsvReader(std::string_view text) : text_(text) {
        if (text_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;
    }

    CsvTable read() {
        while (pos_ < text_.size()) {
            CsvRecord record{line_, {}};
            read_record(record);
            const bool blank =
                record.fields.size() == 1 && record.fields[0].empty() && !last_field_quoted_;
            if (!blank) table_.records.push_back(std::move(record));
        }
        return std::move(table_);
    }

  private:
    bool at_line_end() const { return text_[pos_] == '\n' || text_[pos_] == '\r'; }

    // Consumes one line end (CRLF counts once).
    void take_line_end() {
        if (text_[pos_] == '\r' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n') ++pos_;
        ++pos_;
        ++line_;
    }

    void problem(int line, std::string message) {
        table_.problems.push_back({line, std::move(message)});
    }

    void read_record(CsvRecord& record) {
        for (;;) {
            record.fields.push_back(read_field());
            if (pos_ >= text_.size()) return;
            if (at_line_end()) {
                take_line_end();
                return;
            }
            ++pos_;  // the comma
        }
    }

    std::string read_field() {
        last_field_quoted_ = pos_ < text_.size() && text_[pos_] == '"';
        return last_field_quoted_ ? read_quoted() : read_plain();
    }

    std::string read_plain() {
        std::string out;
        bool reported = false;
        while (pos_ < text_.size() && text_[pos_] != ',' && !at_line_end()) {
            if (text_[pos_] == '"' && !reported) {
                problem(line_,
                        "a quote inside an unquoted field (quote the whole field and write quotes "
                        "twice)");
                reported = true;
            }
            out += text_[pos_++];
        }
        return out;
    }

    std::string read_quoted() {
        const int start_line = line_;
        std::string out;
        ++pos_;  // opening quote
        for (;;) {
            if (pos_ >= text_.size()) {
                problem(start_line, "a quoted field is never closed");
                return out;
            }
            const char c = text_[pos_];
            if (c == '"') {
                if (pos_ + 1 < text_.size() && text_[pos_ + 1] == '"') {
                    out += '"';
                    pos_ += 2;
                    continue;
                }
                ++pos_;
                break;
            }
            if (c == '\r' || c == '\n') {
                // A line break inside a cell is one '\n' whatever the file's line ends.
                take_line_end();
                out += '\n';
                continue;
            }
            out += c;
            ++pos_;
        }
        if (pos_ < text_.size() && text_[pos_] != ',' && !at_line_end()) {
            problem(line_, "text after the closing quote of a field");
            out += read_plain();
        }
        return out;
    }

    std::string_view text_;
    std::size_t pos_ = 0;
    int line_ = 1;
    bool last_field_quoted_ = false;
    CsvTable table_;
};

enum class Column {
    name,
    to,
    cc,
    keys,
    languages,
    products,
    keywords,
    publishable,
    accepts_direct,
    registration,
    notes
};

const std::map<std::string, Column>& column_names() {
    static const std::map<std::string, Column> names{
        {"name", Column::name},
        {"to", Column::to},
        {"cc", Column::cc},
        {"keys", Column::keys},
        {"languages", Column::languages},
        {"products", Column::products},
        {"keywords", Column::keywords},
        {"publishable", Column::publishable},
        {"accepts_direct", Column::accepts_direct},
        {"registration", Column::registration},
        {"notes", Column::notes},
    };
    return names;
}

std::vector<std::string> split_values(std::string_view field, std::string_view separators = ";") {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= field.size()) {
        const auto end = std::min(field.find_first_of(separators, start), field.size());
        if (auto item = core::trim(field.substr(start, end - start)); !item.empty())
            out.emplace_back(item);
        start = end + 1;
    }
    return out;
}

}  // namespace

CsvTable parse_csv(std::string_view text) {
    return CsvReader(text).read();
}

VendorFile parse_vendor_csv(std::string_view text) {
    auto table = parse_csv(text);
    VendorFile file;
    file.problems = std::move(table.problems);
    if (table.records.empty()) {
        file.problems.push_back(
            {1, "the file is empty; the first row must name the columns (name,to,...)"});
        return file;
    }
    const auto& header = table.records.front();
    std::vector<Column> columns;
    std::map<Column, std::string> seen;
    bool header_ok = true;
    for (const auto& raw_name : header.fields) {
        const auto name = core::to_lower_ascii(core::trim(raw_name));
        const auto it = column_names().find(name);
        if (it == column_names().end()) {
            file.problems.push_back(
                {header.line, "unknown column '" + std::string(core::trim(raw_name)) +
                                  "' (known: name, to, cc, keys, languages, products, keywords, "
                                  "publishable, accepts_direct, registration, notes)"});
            header_ok = false;
        } else if (!seen.emplace(it->second, name).second) {
            file.problems.push_back({header.line, "column '" + name + "' appears twice"});
            header_ok = false;
        }
        columns.push_back(it == column_names().end() ? Column::notes : it->second);
    }
    for (const char* required : {"name", "to"})
        if (!seen.count(column_names().at(required))) {
            file.problems.push_back(
                {header.line, std::string("the required column '") + required + "' is missing"});
            header_ok = false;
        }
    // Rows cannot be read against a header we do not understand.
    if (!header_ok) return file;

    // A row whose quoting is broken is already reported; its field count would only add noise.
    std::set<int> broken_lines;
    for (const auto& p : file.problems) broken_lines.insert(p.line);
    for (std::size_t r = 1; r < table.records.size(); ++r) {
        const auto& record = table.records[r];
        if (broken_lines.count(record.line)) continue;
        if (record.fields.size() != columns.size()) {
            const auto n = record.fields.size();
            file.problems.push_back(
                {record.line, "the row has " + std::to_string(n) + (n == 1 ? " field" : " fields") +
                                  " but the header has " + std::to_string(columns.size())});
            continue;
        }
        if (std::any_of(record.fields.begin(), record.fields.end(),
                        [](const std::string& f) { return !core::is_valid_utf8(f); })) {
            file.problems.push_back(
                {record.line, "the row is not valid UTF-8 (save the file as UTF-8 CSV)"});
            continue;
        }
        ImportedVendor entry{record.line, {}};
        auto& v = entry.vendor;
        auto flag = [&](const std::string& column, const std::string& text, bool& out) {
            if (auto value = parse_yes_no(text))
                out = *value;
            else
                file.problems.push_back(
                    {record.line, column + ": '" + text + "' is not yes or no"});
        };
        for (std::size_t c = 0; c < columns.size(); ++c) {
            const std::string& field = record.fields[c];
            switch (columns[c]) {
                case Column::name:
                    v.name = field;
                    break;
                case Column::to:
                    for (auto& a : split_values(field))
                        v.contacts.push_back({a, store::ContactKind::to});
                    break;
                case Column::cc:
                    for (auto& a : split_values(field))
                        v.contacts.push_back({a, store::ContactKind::cc});
                    break;
                case Column::keys:
                    v.key_fingerprints = split_values(field);
                    break;
                case Column::languages:
                    v.languages = split_values(field, ";,");
                    break;
                case Column::products:
                    v.products = split_values(field);
                    break;
                case Column::keywords:
                    v.keywords = split_values(field);
                    break;
                case Column::publishable:
                    flag("publishable", field, v.name_publishable);
                    break;
                case Column::accepts_direct:
                    flag("accepts_direct", field, v.accepts_direct_reports);
                    break;
                case Column::registration:
                    if (core::trim(field).empty()) break;
                    if (auto reg =
                            store::parse_registration(core::to_lower_ascii(core::trim(field))))
                        v.registration = *reg;
                    else
                        file.problems.push_back(
                            {record.line,
                             "registration: '" + field + "' is neither general nor per_product"});
                    break;
                case Column::notes:
                    v.notes = field;
                    break;
            }
        }
        file.vendors.push_back(std::move(entry));
    }
    check_vendor_file(file);
    return file;
}

}  // namespace cvd::app
