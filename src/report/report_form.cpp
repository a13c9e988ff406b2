// parse_report: one pass over the lines. A line that starts with a known label opens that
// field; the lines after it continue the field until the next label. Unknown `【見出し】`
// section headings close the current field.

#include "cvdbot/report/report_form.hpp"

#include <algorithm>
#include <cctype>

#include "cvdbot/core/text.hpp"
#include "labels.hpp"
#include "text_scan.hpp"

namespace cvd::report {

namespace {

constexpr std::array<std::string_view, kFieldCount> kFieldNames{
    "discoverer_name", "organisation",       "contact",
    "credit_wish",     "credit_name",        "contact_to_vendor_ok",
    "product_name",    "product_version",    "developer",
    "site_url",        "vulnerability_type", "reproduction_steps",
    "impact",          "proof_of_concept",   "others_informed"};

constexpr std::array<FieldLabel, kFieldCount> kFieldLabels{{
    {"Name", "届出者氏名"},
    {"Organisation", "所属"},
    {"Contact (email/phone)", "連絡先（メールアドレス・電話番号）"},
    {"Credit wanted (yes/no)", "謝辞への記載の希望（希望する／希望しない）"},
    {"Name for the credit", "謝辞に記載する名前"},
    {"Contact details may be given to the developer (yes/no)",
     "製品開発者への連絡先の開示（可／不可）"},
    {"Product name", "製品名"},
    {"Product version", "製品のバージョン"},
    {"Developer (vendor)", "製品開発者"},
    {"Site URL", "ウェブサイトのURL"},
    {"Vulnerability type (CWE)", "脆弱性の種類（CWE）"},
    {"Steps to reproduce", "再現手順"},
    {"Impact", "想定される影響"},
    {"Proof of concept", "検証コード"},
    {"Other parties informed", "他者への連絡状況"},
}};

std::size_t index_of(Field field) {
    return static_cast<std::size_t>(field);
}

// Where a line's label ends and its value begins.
struct LabelLine {
    std::optional<labels::LabelMatch> match;  // nullopt: a section heading, closes the field
    std::string_view inline_value;
    bool bracketed = false;  // 【label】: unmistakably a form label, never prose
};

constexpr std::string_view kOpenBracket = "\xE3\x80\x90";   // 【
constexpr std::string_view kCloseBracket = "\xE3\x80\x91";  // 】

std::optional<LabelLine> read_label_line(std::string_view line) {
    const std::string_view text = scan::trim(line);
    if (text.substr(0, kOpenBracket.size()) == kOpenBracket) {
        const auto close = text.find(kCloseBracket);
        if (close == std::string_view::npos) return std::nullopt;
        const auto inside = text.substr(kOpenBracket.size(), close - kOpenBracket.size());
        std::string_view rest = scan::trim(text.substr(close + kCloseBracket.size()));
        // "【製品名】：Foo" also happens.
        if (auto colon = scan::find_colon(rest); colon.pos == 0)
            rest = scan::trim(rest.substr(colon.length));
        return LabelLine{labels::match_label(inside, true), rest, true};
    }
    const std::string_view body = scan::strip_list_marker(text);
    if (const auto colon = scan::find_colon(body); colon.pos != std::string_view::npos) {
        if (auto match = labels::match_label(body.substr(0, colon.pos), true))
            return LabelLine{match, scan::trim(body.substr(colon.pos + colon.length))};
        return std::nullopt;
    }
    // A label alone on its line, as a heading: exact labels only.
    if (body.size() <= 60)
        if (auto match = labels::match_label(body, false)) return LabelLine{match, {}};
    return std::nullopt;
}

// Collects one field's lines, bounded.
struct Collector {
    std::string text;
    bool cut = false;

    void add_line(std::string_view line, std::size_t max_bytes) {
        if (cut) return;
        std::string clean;
        clean.reserve(line.size());
        for (char c : line) {
            const auto u = static_cast<unsigned char>(c);
            clean.push_back((u < 0x20 && c != '\t') || u == 0x7F ? ' '
                                                                 : c);  // no controls in values
        }
        while (!clean.empty() && (clean.back() == ' ' || clean.back() == '\t')) clean.pop_back();
        if (!text.empty() || !clean.empty()) {
            if (!text.empty()) text.push_back('\n');
            text += clean;
        }
        if (text.size() > max_bytes) {
            text = std::string(scan::cut_utf8(text, max_bytes));
            cut = true;
        }
    }

    std::string finish() const {
        std::string_view value = scan::trim(text);
        // "（製品の名称を記入）": an instruction left in a blank form is no value.
        const std::string folded = core::to_lower_ascii(core::fold_width(value));
        if (!folded.empty() && folded.front() == '(' && folded.back() == ')' &&
            folded.find('\n') == std::string::npos) {
            for (std::string_view word : {"記入", "例", "入力", "記載", "ください", "fill", "e.g.",
                                          "enter", "describe", "please", "example"})
                if (folded.find(word) != std::string::npos) return {};
        }
        return std::string(value);
    }
};

// "CWE-79", "cwe 79", "ＣＷＥ－７９" → "CWE-79".
std::string find_cwe(std::string_view text) {
    const std::string folded = core::to_lower_ascii(core::fold_width(text));
    for (std::size_t pos = folded.find("cwe"); pos != std::string::npos;
         pos = folded.find("cwe", pos + 3)) {
        std::size_t i = pos + 3;
        while (i < folded.size() && i < pos + 6 &&
               (folded[i] == '-' || folded[i] == ' ' || folded[i] == ':'))
            ++i;
        std::size_t digits = 0;
        while (i + digits < folded.size() && digits < 5 && folded[i + digits] >= '0' &&
               folded[i + digits] <= '9')
            ++digits;
        if (digits > 0 && (pos == 0 || !std::isalnum(static_cast<unsigned char>(folded[pos - 1]))))
            return "CWE-" + folded.substr(i, digits);
    }
    return {};
}

std::string find_email(std::string_view text) {
    const std::string folded = core::fold_width(text);
    std::size_t start = 0;
    constexpr std::string_view kSeparators = " \t\n<>()[],;:\"'";
    while (start < folded.size()) {
        const auto end = folded.find_first_of(kSeparators, start);
        std::string_view token =
            std::string_view(folded).substr(start, end == std::string::npos ? end : end - start);
        while (!token.empty() && token.back() == '.') token.remove_suffix(1);
        if (token.find('@') != std::string_view::npos && core::is_plausible_addr_spec(token))
            return std::string(token);
        if (end == std::string::npos) break;
        start = end + 1;
    }
    return {};
}

// "Best regards," or 「以上」 on its own line ends the last answer: what follows is a
// signature, not part of it.
bool is_closing_line(std::string_view line) {
    if (line.size() > 60) return false;
    std::string text = scan::fold(line);
    for (std::string_view tail : {",", ".", "!", "\xE3\x80\x82" /* 。 */, "\xE3\x80\x81" /* 、 */})
        while (text.size() >= tail.size() &&
               text.compare(text.size() - tail.size(), tail.size(), tail) == 0)
            text.resize(text.size() - tail.size());
    static constexpr std::array<std::string_view, 16> kClosings{"best regards",
                                                                "regards",
                                                                "kind regards",
                                                                "best",
                                                                "thanks",
                                                                "thank you",
                                                                "many thanks",
                                                                "cheers",
                                                                "sincerely",
                                                                "yours sincerely",
                                                                "以上",
                                                                "以上です",
                                                                "よろしくお願いします",
                                                                "よろしくお願いいたします",
                                                                "宜しくお願い致します",
                                                                "よろしくお願い致します"};
    return std::find(kClosings.begin(), kClosings.end(), text) != kClosings.end();
}

void warn(ReportForm& form, const ReportLimits& limits, std::string message) {
    if (form.warnings.size() < limits.max_warnings) form.warnings.push_back(std::move(message));
}

}  // namespace

std::string_view to_string(Field field) {
    return kFieldNames[index_of(field)];
}

std::string_view to_string(ReportKind kind) {
    switch (kind) {
        case ReportKind::product:
            return "product";
        case ReportKind::web:
            return "web";
        case ReportKind::unknown:
            break;
    }
    return "unknown";
}

FieldLabel field_label(Field field) {
    return kFieldLabels[index_of(field)];
}

std::vector<Field> required_fields(ReportKind kind) {
    switch (kind) {
        case ReportKind::product:
            return {Field::product_name, Field::developer, Field::vulnerability_type,
                    Field::reproduction_steps};
        case ReportKind::web:
            return {Field::site_url, Field::vulnerability_type, Field::reproduction_steps};
        case ReportKind::unknown:
            break;
    }
    return {Field::product_name, Field::site_url, Field::vulnerability_type,
            Field::reproduction_steps};
}

std::vector<Field> missing_fields(const ReportForm& form, ReportKind kind) {
    std::vector<Field> missing;
    for (Field field : required_fields(kind))
        if (!form.has(field)) missing.push_back(field);
    return missing;
}

ReportKind classify(const ReportForm& form) {
    const bool product = form.has(Field::product_name);
    const bool site = form.has(Field::site_url);
    if (product || (form.has(Field::developer) && !site)) return ReportKind::product;
    if (site) return ReportKind::web;
    return ReportKind::unknown;
}

ReportForm parse_report(std::string_view raw, const ReportLimits& limits) {
    ReportForm form;
    bool input_cut = false;
    const std::string text = scan::prepare(raw, limits.max_input_bytes, input_cut);
    if (input_cut)
        warn(form, limits,
             "only the first " + std::to_string(limits.max_input_bytes) + " bytes were read");

    constexpr std::size_t kCwe = kFieldCount, kDescription = kFieldCount + 1;
    std::array<Collector, kFieldCount + 2> collected;
    std::array<bool, kFieldCount + 2> labelled{};
    // The field the following lines belong to; kNone between fields. (A plain index, not an
    // optional: g++ 12 -O2 warns falsely about optional<size_t> here.)
    constexpr std::size_t kNone = static_cast<std::size_t>(-1);
    std::size_t current = kNone;
    bool any_label = false, line_cut = false;

    std::string_view rest = text;
    while (!rest.empty()) {
        const auto newline = rest.find('\n');
        std::string_view line = rest.substr(0, newline);
        rest = newline == std::string_view::npos ? std::string_view{} : rest.substr(newline + 1);
        if (line == "-- " || line == "--") break;  // the signature follows
        if (is_closing_line(line)) {
            current = kNone;
            continue;
        }
        if (line.size() > limits.max_line_bytes) {
            line = scan::cut_utf8(line, limits.max_line_bytes);
            line_cut = true;
        }
        if (auto label = read_label_line(line)) {
            if (!label->match || label->match->key == labels::Key::heading) {
                current = kNone;
                continue;
            }
            const std::size_t slot = label->match->key == labels::Key::cwe ? kCwe
                                     : label->match->key == labels::Key::description
                                         ? kDescription
                                         : index_of(label->match->field);
            // A label already answered, met inside another field ("Version: 1.2" among the
            // steps), is part of that field's text rather than a second answer.
            if (!label->bracketed && labelled[slot] && current != kNone && current != slot &&
                !collected[slot].text.empty()) {
                collected[current].add_line(line, limits.max_value_bytes);
                warn(
                    form, limits,
                    "\"" + std::string(scan::cut_utf8(scan::trim(line), 80)) +
                        "\" was read as part of " +
                        std::string(current < kFieldCount ? to_string(static_cast<Field>(current))
                                    : current == kCwe     ? std::string_view("the CWE line")
                                                           : std::string_view("the description")) +
                        ", not as a second answer");
                continue;
            }
            any_label = true;
            labelled[slot] = true;
            current = slot;
            if (!label->inline_value.empty())
                collected[slot].add_line(label->inline_value, limits.max_value_bytes);
            continue;
        }
        if (current != kNone) collected[current].add_line(line, limits.max_value_bytes);
    }
    if (line_cut)
        warn(form, limits,
             "lines longer than " + std::to_string(limits.max_line_bytes) + " bytes were cut");

    for (std::size_t i = 0; i < kFieldCount; ++i) {
        form.values[i] = collected[i].finish();
        if (collected[i].cut)
            warn(form, limits,
                 std::string(to_string(static_cast<Field>(i))) + " was cut at " +
                     std::to_string(limits.max_value_bytes) + " bytes");
    }
    // A description comes before the steps; both are what a developer needs to reproduce.
    if (const std::string description = collected[kDescription].finish(); !description.empty()) {
        std::string& steps = form.values[index_of(Field::reproduction_steps)];
        steps = steps.empty() ? description : description + "\n\n" + steps;
    }
    const std::string cwe_value = collected[kCwe].finish();
    std::string& type = form.values[index_of(Field::vulnerability_type)];
    form.cwe = find_cwe(type);
    if (form.cwe.empty()) form.cwe = find_cwe(cwe_value);
    if (type.empty()) type = cwe_value;

    if (form.has(Field::credit_wish)) {
        form.wants_credit = scan::read_yes_no(form.value(Field::credit_wish));
        if (!form.wants_credit)
            warn(form, limits, "the credit wish is neither a clear yes nor a clear no");
    }
    if (form.has(Field::contact_to_vendor_ok)) {
        form.contact_to_vendor_allowed = scan::read_yes_no(form.value(Field::contact_to_vendor_ok));
        if (!form.contact_to_vendor_allowed)
            warn(form, limits,
                 "whether contact details may go to the developer is neither a clear yes nor a "
                 "clear no");
    }
    form.contact_email = find_email(form.value(Field::contact));

    form.free_form = !any_label;
    form.kind = classify(form);
    if (!form.free_form) form.missing = missing_fields(form, form.kind);
    return form;
}

}  // namespace cvd::report
