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

struct Entry {
    std::string_view label;  // folded form
    LabelMatch match;
};

constexpr LabelMatch f(Field field) { return {Key::field, field}; }
constexpr LabelMatch kCwe{Key::cwe, Field::vulnerability_type};
constexpr LabelMatch kDescription{Key::description, Field::reproduction_steps};
constexpr LabelMatch kHeading{Key::heading, Field::discoverer_name};

// Exact labels. Keep each group in the Field's order.
const std::vector<Entry>& exact_labels() {
    using F = Field;
    static const std::vector<Entry> table{
        // discoverer_name
        {"届出者氏名", f(F::discoverer_name)}, {"届出者名", f(F::discoverer_name)},
        {"届出者", f(F::discoverer_name)}, {"氏名", f(F::discoverer_name)},
        {"名前", f(F::discoverer_name)}, {"お名前", f(F::discoverer_name)},
        {"発見者", f(F::discoverer_name)}, {"発見者氏名", f(F::discoverer_name)},
        {"報告者", f(F::discoverer_name)}, {"報告者氏名", f(F::discoverer_name)},
        {"name", f(F::discoverer_name)}, {"your name", f(F::discoverer_name)},
        {"full name", f(F::discoverer_name)}, {"reporter", f(F::discoverer_name)},
        {"reporter name", f(F::discoverer_name)}, {"reporter's name", f(F::discoverer_name)},
        {"discoverer", f(F::discoverer_name)}, {"discoverer name", f(F::discoverer_name)},
        {"researcher", f(F::discoverer_name)}, {"researcher name", f(F::discoverer_name)},
        {"finder", f(F::discoverer_name)}, {"submitter", f(F::discoverer_name)},
        // organisation
        {"所属", f(F::organisation)}, {"所属組織", f(F::organisation)},
        {"組織名", f(F::organisation)}, {"会社名", f(F::organisation)},
        {"所属先", f(F::organisation)}, {"所属団体", f(F::organisation)},
        {"組織", f(F::organisation)}, {"団体名", f(F::organisation)}, {"企業名", f(F::organisation)},
        {"organisation", f(F::organisation)}, {"organization", f(F::organisation)},
        {"organisation name", f(F::organisation)}, {"organization name", f(F::organisation)},
        {"affiliation", f(F::organisation)}, {"company", f(F::organisation)},
        {"company name", f(F::organisation)}, {"employer", f(F::organisation)},
        // contact
        {"連絡先", f(F::contact)}, {"メールアドレス", f(F::contact)},
        {"電子メールアドレス", f(F::contact)}, {"メール", f(F::contact)},
        {"電話番号", f(F::contact)}, {"電話", f(F::contact)},
        {"contact", f(F::contact)}, {"contact details", f(F::contact)},
        {"contact information", f(F::contact)}, {"contact info", f(F::contact)},
        {"email", f(F::contact)}, {"e-mail", f(F::contact)}, {"email address", f(F::contact)},
        {"e-mail address", f(F::contact)}, {"mail", f(F::contact)}, {"mail address", f(F::contact)},
        {"phone", f(F::contact)}, {"phone number", f(F::contact)}, {"telephone", f(F::contact)},
        {"tel", f(F::contact)},
        // credit_wish
        {"謝辞", f(F::credit_wish)}, {"クレジット", f(F::credit_wish)},
        {"credit", f(F::credit_wish)}, {"credit wish", f(F::credit_wish)},
        {"credit wanted", f(F::credit_wish)}, {"credit requested", f(F::credit_wish)},
        {"acknowledgement", f(F::credit_wish)}, {"acknowledgment", f(F::credit_wish)},
        {"public credit", f(F::credit_wish)}, {"attribution", f(F::credit_wish)},
        // credit_name
        {"謝辞の表記", f(F::credit_name)}, {"謝辞に記載する名前", f(F::credit_name)},
        {"謝辞に記載する氏名", f(F::credit_name)}, {"クレジット名", f(F::credit_name)},
        {"クレジット表記", f(F::credit_name)}, {"掲載名", f(F::credit_name)},
        {"credit name", f(F::credit_name)}, {"credit as", f(F::credit_name)},
        {"name for credit", f(F::credit_name)}, {"name to credit", f(F::credit_name)},
        {"credit line", f(F::credit_name)}, {"attribution name", f(F::credit_name)},
        // contact_to_vendor_ok
        {"連絡先の開示", f(F::contact_to_vendor_ok)}, {"届出者情報の開示", f(F::contact_to_vendor_ok)},
        {"share contact with vendor", f(F::contact_to_vendor_ok)},
        {"share contact details with vendor", f(F::contact_to_vendor_ok)},
        {"share contact details with developer", f(F::contact_to_vendor_ok)},
        {"contact details to vendor", f(F::contact_to_vendor_ok)},
        {"contact details to developer", f(F::contact_to_vendor_ok)},
        {"share contact", f(F::contact_to_vendor_ok)},
        {"share contact details", f(F::contact_to_vendor_ok)},
        {"disclose contact to vendor", f(F::contact_to_vendor_ok)},
        // product_name
        {"製品名", f(F::product_name)}, {"ソフトウエア製品名", f(F::product_name)},
        {"ソフトウェア製品名", f(F::product_name)}, {"対象製品", f(F::product_name)},
        {"対象製品名", f(F::product_name)}, {"製品", f(F::product_name)},
        {"ソフトウエア名", f(F::product_name)}, {"ソフトウェア名", f(F::product_name)},
        {"ソフトウエア", f(F::product_name)}, {"ソフトウェア", f(F::product_name)},
        {"アプリケーション名", f(F::product_name)},
        {"product", f(F::product_name)}, {"product name", f(F::product_name)},
        {"software", f(F::product_name)}, {"software name", f(F::product_name)},
        {"software product", f(F::product_name)}, {"affected product", f(F::product_name)},
        {"application", f(F::product_name)}, {"application name", f(F::product_name)},
        // product_version
        {"バージョン", f(F::product_version)}, {"製品のバージョン", f(F::product_version)},
        {"対象バージョン", f(F::product_version)}, {"版", f(F::product_version)},
        {"version", f(F::product_version)}, {"versions", f(F::product_version)},
        {"version(s)", f(F::product_version)}, {"product version", f(F::product_version)},
        {"affected version", f(F::product_version)}, {"affected versions", f(F::product_version)},
        {"software version", f(F::product_version)},
        // developer (the site operator on the web form)
        {"開発者", f(F::developer)}, {"製品開発者", f(F::developer)}, {"開発元", f(F::developer)},
        {"開発者名", f(F::developer)}, {"製品開発者名", f(F::developer)},
        {"ベンダ", f(F::developer)}, {"ベンダー", f(F::developer)}, {"ベンダ名", f(F::developer)},
        {"ベンダー名", f(F::developer)}, {"製造元", f(F::developer)}, {"運営者", f(F::developer)},
        {"ウェブサイトの運営者", f(F::developer)}, {"サイト運営者", f(F::developer)},
        {"ウェブサイト運営者", f(F::developer)},
        {"vendor", f(F::developer)}, {"developer", f(F::developer)},
        {"vendor name", f(F::developer)}, {"developer name", f(F::developer)},
        {"product developer", f(F::developer)}, {"manufacturer", f(F::developer)},
        {"maintainer", f(F::developer)}, {"publisher", f(F::developer)},
        {"site operator", f(F::developer)}, {"website operator", f(F::developer)},
        {"operator", f(F::developer)},
        // site_url
        {"url", f(F::site_url)}, {"ウェブサイトのurl", f(F::site_url)},
        {"ウェブサイトurl", f(F::site_url)}, {"webサイトのurl", f(F::site_url)},
        {"サイトのurl", f(F::site_url)}, {"対象url", f(F::site_url)},
        {"ウェブサイトのアドレス", f(F::site_url)}, {"脆弱性が存在するurl", f(F::site_url)},
        {"ウェブサイト", f(F::site_url)}, {"サイト", f(F::site_url)},
        {"site url", f(F::site_url)}, {"website url", f(F::site_url)},
        {"web site url", f(F::site_url)}, {"website", f(F::site_url)}, {"web site", f(F::site_url)},
        {"site", f(F::site_url)}, {"target url", f(F::site_url)}, {"affected url", f(F::site_url)},
        {"vulnerable url", f(F::site_url)}, {"website address", f(F::site_url)},
        // vulnerability_type
        {"脆弱性の種類", f(F::vulnerability_type)}, {"脆弱性の種別", f(F::vulnerability_type)},
        {"脆弱性種別", f(F::vulnerability_type)}, {"種類", f(F::vulnerability_type)},
        {"脆弱性の分類", f(F::vulnerability_type)}, {"脆弱性タイプ", f(F::vulnerability_type)},
        {"脆弱性の名称", f(F::vulnerability_type)},
        {"vulnerability type", f(F::vulnerability_type)},
        {"type of vulnerability", f(F::vulnerability_type)},
        {"vulnerability class", f(F::vulnerability_type)},
        {"vulnerability category", f(F::vulnerability_type)}, {"type", f(F::vulnerability_type)},
        {"vulnerability", f(F::vulnerability_type)}, {"weakness", f(F::vulnerability_type)},
        {"cwe", kCwe}, {"cwe id", kCwe}, {"cwe-id", kCwe}, {"cwe番号", kCwe},
        // description: read into reproduction_steps, ahead of the steps
        {"脆弱性の詳細", kDescription}, {"詳細", kDescription}, {"概要", kDescription},
        {"脆弱性の概要", kDescription}, {"脆弱性の内容", kDescription},
        {"description", kDescription}, {"details", kDescription}, {"summary", kDescription},
        {"vulnerability details", kDescription}, {"vulnerability description", kDescription},
        // reproduction_steps
        {"再現手順", f(F::reproduction_steps)}, {"再現方法", f(F::reproduction_steps)},
        {"再現の手順", f(F::reproduction_steps)}, {"脆弱性の再現手順", f(F::reproduction_steps)},
        {"手順", f(F::reproduction_steps)}, {"再現条件", f(F::reproduction_steps)},
        {"steps to reproduce", f(F::reproduction_steps)},
        {"reproduction steps", f(F::reproduction_steps)},
        {"how to reproduce", f(F::reproduction_steps)}, {"reproduction", f(F::reproduction_steps)},
        {"steps", f(F::reproduction_steps)}, {"to reproduce", f(F::reproduction_steps)},
        // impact
        {"影響", f(F::impact)}, {"想定される影響", f(F::impact)}, {"影響範囲", f(F::impact)},
        {"脆弱性による影響", f(F::impact)}, {"攻撃による影響", f(F::impact)},
        {"想定される脅威", f(F::impact)}, {"脅威", f(F::impact)},
        {"impact", f(F::impact)}, {"potential impact", f(F::impact)},
        {"expected impact", f(F::impact)}, {"severity", f(F::impact)},
        // proof_of_concept
        {"検証コード", f(F::proof_of_concept)}, {"検証ツール", f(F::proof_of_concept)},
        {"検証ツール・コード", f(F::proof_of_concept)}, {"検証用コード", f(F::proof_of_concept)},
        {"攻撃コード", f(F::proof_of_concept)}, {"実証コード", f(F::proof_of_concept)},
        {"poc", f(F::proof_of_concept)}, {"proof of concept", f(F::proof_of_concept)},
        {"proof-of-concept", f(F::proof_of_concept)}, {"exploit", f(F::proof_of_concept)},
        {"exploit code", f(F::proof_of_concept)}, {"poc code", f(F::proof_of_concept)},
        // others_informed
        {"他者への連絡", f(F::others_informed)}, {"他者への連絡状況", f(F::others_informed)},
        {"第三者への連絡", f(F::others_informed)}, {"第三者への開示", f(F::others_informed)},
        {"他者への開示", f(F::others_informed)}, {"他機関への届出", f(F::others_informed)},
        {"other parties informed", f(F::others_informed)},
        {"others informed", f(F::others_informed)}, {"other parties", f(F::others_informed)},
        {"disclosed to others", f(F::others_informed)},
        {"reported elsewhere", f(F::others_informed)},
        {"third parties informed", f(F::others_informed)},
        // section headings of the forms
        {"届出者情報", kHeading}, {"届出者の情報", kHeading}, {"脆弱性情報", kHeading},
        {"脆弱性関連情報", kHeading}, {"製品情報", kHeading}, {"ウェブサイト情報", kHeading},
        {"その他", kHeading}, {"reporter information", kHeading}, {"about you", kHeading},
        {"vulnerability information", kHeading}, {"product information", kHeading},
        {"website information", kHeading},
    };
    return table;
}

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
    if (has_any(label, {"開発者への", "開発者に", "ベンダーへの", "ベンダへの", "ベンダーに", "運営者への",
                        "運営者に"}) &&
        has_any(label, {"開示", "提供", "伝え", "通知", "連絡"}))
        return f(F::contact_to_vendor_ok);
    if (has_any(label, {"share", "disclose", "pass on", "forward", "give"}) &&
        has_any(label, {"contact", "details", "email", "name"}))
        return f(F::contact_to_vendor_ok);
    if (has_any(label, {"謝辞", "クレジット", "credit", "acknowledg"}))
        return has_any(label, {"名", "表記", "name", "credit as", "credited as"}) ? f(F::credit_name)
                                                                           : f(F::credit_wish);
    if (has_any(label, {"他者", "第三者", "他の機関", "他機関", "other part", "anyone else", "elsewhere",
                        "third part"}))
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
    if (has_any(label, {"連絡先", "メール", "電話", "email", "e-mail", "phone"})) return f(F::contact);
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
        parts.push_back(scan::trim(label.substr(start, slash == std::string_view::npos ? slash : slash - start)));
        if (slash == std::string_view::npos) return parts;
        start = slash + 1;
    }
}

std::optional<LabelMatch> lookup(std::string_view label, bool allow_keywords) {
    for (const Entry& e : exact_labels())
        if (e.label == label) return e.match;
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
