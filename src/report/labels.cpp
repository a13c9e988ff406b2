// The label tables. Labels are compared width-folded and lowercased, with parenthesised notes
// ("連絡先（メールアドレス）", "Credit (yes/no)") and list markers removed; a bilingual label
// ("Product / 製品名") matches when its parts agree.

#include "labels.hpp"

#include <algorithm>
#include <array>
#include <string>
#include <vector>

#include "text_scan.hpp"

namespace cvd::report::labels {

namespace {

constexpr LabelMatch f(Field field) {
    return {Key::field, field};
}
constexpr LabelMatch kCwe{Key::cwe, Field::vulnerability_type};
constexpr LabelMatch kDescription{Key::description, Field::reproduction_steps};
constexpr LabelMatch kHeading{Key::heading, Field::discoverer_name};

// Exact labels, one group a field, in the Field's order; the helpers and headings last.
struct Group {
    LabelMatch match;
    std::vector<std::string_view> labels;  // folded forms
};

// clang-format off
const std::vector<Group>& exact_labels() {
    using F = Field;
    static const std::vector<Group> table{
        {f(F::discoverer_name),
         {
             "届出者氏名", "届出者名", "届出者", "氏名", "名前", "お名前", "発見者", "発見者氏名",
             "報告者", "報告者氏名", "name", "your name", "full name", "reporter", "reporter name",
             "reporter's name", "discoverer", "discoverer name", "researcher", "researcher name",
             "finder", "submitter",
         }},
        {f(F::organisation),
         {
             "所属", "所属組織", "組織名", "会社名", "所属先", "所属団体", "組織", "団体名",
             "企業名", "organisation", "organization", "organisation name", "organization name",
             "affiliation", "company", "company name", "employer",
         }},
        {f(F::contact),
         {
             "連絡先", "メールアドレス", "電子メールアドレス", "メール", "電話番号", "電話",
             "contact", "contact details", "contact information", "contact info", "email", "e-mail",
             "email address", "e-mail address", "mail", "mail address", "phone", "phone number",
             "telephone", "tel",
         }},
        {f(F::credit_wish),
         {
             "謝辞", "クレジット", "credit", "credit wish", "credit wanted", "credit requested",
             "acknowledgement", "acknowledgment", "public credit", "attribution",
         }},
        {f(F::credit_name),
         {
             "謝辞の表記", "謝辞に記載する名前", "謝辞に記載する氏名", "クレジット名",
             "クレジット表記", "掲載名", "credit name", "credit as", "name for credit",
             "name to credit", "credit line", "attribution name",
         }},
        {f(F::contact_to_vendor_ok),
         {
             "連絡先の開示", "届出者情報の開示", "share contact with vendor",
             "share contact details with vendor", "share contact details with developer",
             "contact details to vendor", "contact details to developer", "share contact",
             "share contact details", "disclose contact to vendor",
         }},
        {f(F::product_name),
         {
             "製品名", "ソフトウエア製品名", "ソフトウェア製品名", "対象製品", "対象製品名", "製品",
             "ソフトウエア名", "ソフトウェア名", "ソフトウエア", "ソフトウェア",
             "アプリケーション名", "product", "product name", "software", "software name",
             "software product", "affected product", "application", "application name",
         }},
        {f(F::product_version),
         {
             "バージョン", "製品のバージョン", "対象バージョン", "版", "version", "versions",
             "version(s)", "product version", "affected version", "affected versions",
             "software version",
         }},
        {f(F::developer),
         {
             "開発者", "製品開発者", "開発元", "開発者名", "製品開発者名", "ベンダ", "ベンダー",
             "ベンダ名", "ベンダー名", "製造元", "運営者", "ウェブサイトの運営者", "サイト運営者",
             "ウェブサイト運営者", "vendor", "developer", "vendor name", "developer name",
             "product developer", "manufacturer", "maintainer", "publisher", "site operator",
             "website operator", "operator",
         }},
        {f(F::site_url),
         {
             "url", "ウェブサイトのurl", "ウェブサイトurl", "webサイトのurl", "サイトのurl",
             "対象url", "ウェブサイトのアドレス", "脆弱性が存在するurl", "ウェブサイト", "サイト",
             "site url", "website url", "web site url", "website", "web site", "site", "target url",
             "affected url", "vulnerable url", "website address",
         }},
        {f(F::vulnerability_type),
         {
             "脆弱性の種類", "脆弱性の種別", "脆弱性種別", "種類", "脆弱性の分類", "脆弱性タイプ",
             "脆弱性の名称", "vulnerability type", "type of vulnerability", "vulnerability class",
             "vulnerability category", "type", "vulnerability", "weakness",
         }},
        {kCwe,
         {
             "cwe", "cwe id", "cwe-id", "cwe番号",
         }},
        {kDescription,
         {
             "脆弱性の詳細", "詳細", "概要", "脆弱性の概要", "脆弱性の内容", "description",
             "details", "summary", "vulnerability details", "vulnerability description",
         }},
        {f(F::reproduction_steps),
         {
             "再現手順", "再現方法", "再現の手順", "脆弱性の再現手順", "手順", "再現条件",
             "steps to reproduce", "reproduction steps", "how to reproduce", "reproduction",
             "steps", "to reproduce",
         }},
        {f(F::impact),
         {
             "影響", "想定される影響", "影響範囲", "脆弱性による影響", "攻撃による影響",
             "想定される脅威", "脅威", "impact", "potential impact", "expected impact", "severity",
         }},
        {f(F::proof_of_concept),
         {
             "検証コード", "検証ツール", "検証ツール・コード", "検証用コード", "攻撃コード",
             "実証コード", "poc", "proof of concept", "proof-of-concept", "exploit", "exploit code",
             "poc code",
         }},
        {f(F::others_informed),
         {
             "他者への連絡", "他者への連絡状況", "第三者への連絡", "第三者への開示", "他者への開示",
             "他機関への届出", "other parties informed", "others informed", "other parties",
             "disclosed to others", "reported elsewhere", "third parties informed",
         }},
        {kHeading,
         {
             "届出者情報", "届出者の情報", "脆弱性情報", "脆弱性関連情報", "製品情報",
             "ウェブサイト情報", "その他", "reporter information", "about you",
             "vulnerability information", "product information", "website information",
         }},
    };
    return table;
}
// clang-format on

// Plain substrings: keywords are stems ("reproduc", "acknowledg", "credit" in "credited").
bool has_any(std::string_view text, std::initializer_list<std::string_view> words) {
    for (std::string_view w : words)
        if (text.find(w) != std::string_view::npos) return true;
    return false;
}

// Longer labels, by the words they contain; the order settles overlaps ("製品開発者への連絡先の
// 開示" is about consent, not the developer).
std::optional<LabelMatch> match_keywords(std::string_view label) {
    using F = Field;
    if (has_any(label, {"開発者への", "開発者に", "ベンダーへの", "ベンダへの", "ベンダーに",
                        "運営者への", "運営者に"}) &&
        has_any(label, {"開示", "提供", "伝え", "通知", "連絡"}))
        return f(F::contact_to_vendor_ok);
    if (has_any(label, {"share", "disclose", "pass on", "forward", "give"}) &&
        has_any(label, {"contact", "details", "email", "name"}))
        return f(F::contact_to_vendor_ok);
    if (has_any(label, {"謝辞", "クレジット", "credit", "acknowledg"}))
        return has_any(label, {"名", "表記", "name", "credit as", "credited as"})
                   ? f(F::credit_name)
                   : f(F::credit_wish);
    if (has_any(label, {"他者", "第三者", "他の機関", "他機関", "other part", "anyone else",
                        "elsewhere", "third part"}))
        return f(F::others_informed);
    if (has_any(label, {"再現", "reproduc"})) return f(F::reproduction_steps);
    if (has_any(label, {"検証コード", "検証ツール", "攻撃コード", "proof of concept", "exploit"}))
        return f(F::proof_of_concept);
    if (has_any(label, {"バージョン", "version"})) return f(F::product_version);
    if (has_any(label, {"開発者", "開発元", "ベンダ", "運営者", "vendor", "developer", "operator"}))
        return f(F::developer);
    if (has_any(label, {"影響", "impact"})) return f(F::impact);
    if (has_any(label, {"脆弱性の種", "脆弱性種別", "type of vuln", "vulnerability type"}))
        return f(F::vulnerability_type);
    if (has_any(label, {"url", "ウェブサイト", "webサイト", "website"})) return f(F::site_url);
    if (has_any(label, {"製品名", "product"})) return f(F::product_name);
    if (has_any(label, {"所属", "組織", "会社", "affiliation", "organisation", "organization"}))
        return f(F::organisation);
    if (has_any(label, {"連絡先", "メール", "電話", "email", "e-mail", "phone"}))
        return f(F::contact);
    if (has_any(label, {"氏名", "名前", "your name"})) return f(F::discoverer_name);
    return std::nullopt;
}

// Removes "(...)" and "（...）" notes (already width-folded to ASCII parentheses).
std::string without_notes(std::string_view text) {
    std::string out;
    int depth = 0;
    for (char c : text) {
        if (c == '(') {
            ++depth;
        } else if (c == ')' && depth > 0) {
            --depth;
        } else if (depth == 0) {
            out.push_back(c);
        }
    }
    return out;
}

std::vector<std::string_view> slash_parts(std::string_view label) {
    std::vector<std::string_view> parts;
    for (std::size_t start = 0;;) {
        const auto slash = label.find('/', start);
        parts.push_back(scan::trim(
            label.substr(start, slash == std::string_view::npos ? slash : slash - start)));
        if (slash == std::string_view::npos) return parts;
        start = slash + 1;
    }
}

std::optional<LabelMatch> lookup(std::string_view label, bool allow_keywords) {
    for (const Group& group : exact_labels())
        for (std::string_view candidate : group.labels)
            if (candidate == label) return group.match;
    if (!allow_keywords) return std::nullopt;
    const bool japanese = std::any_of(label.begin(), label.end(),
                                      [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
    // English words inside a sentence ("Check the version: 1.2") must not start a field, so
    // English labels match by keyword only when they are questions.
    if (!japanese && (label.empty() || label.back() != '?')) return std::nullopt;
    return match_keywords(label);
}

}  // namespace

std::optional<LabelMatch> match_label(std::string_view raw, bool allow_keywords) {
    constexpr std::size_t kMaxLabelBytes = 160;
    if (raw.size() > kMaxLabelBytes) return std::nullopt;
    std::string label = scan::fold(without_notes(scan::fold(scan::strip_list_marker(raw))));
    while (!label.empty() && (label.back() == '?' || label.back() == ' ' || label.back() == '*'))
        label.pop_back();
    const bool question = raw.find('?') != std::string_view::npos ||
                          raw.find("\xEF\xBC\x9F") != std::string_view::npos;  // ？
    if (label.empty()) return std::nullopt;
    if (auto m = lookup(label, false)) return m;
    // "Product / 製品名": every part that names a field must name the same one.
    if (label.find('/') != std::string::npos && label.find("//") == std::string::npos) {
        std::optional<LabelMatch> agreed;
        for (auto part : slash_parts(label)) {
            auto m = lookup(part, allow_keywords);
            if (!m) continue;
            if (agreed && !(*agreed == *m)) return std::nullopt;
            agreed = m;
        }
        if (agreed) return agreed;
    }
    if (question) label.push_back('?');
    return lookup(label, allow_keywords);
}

}  // namespace cvd::report::labels
