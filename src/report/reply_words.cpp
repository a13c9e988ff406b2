// The words of vendors' replies, in English and Japanese. Every list is matched on
// width-folded, lowercased text; negative phrases are erased before positive ones are looked
// for, so "not affected" never counts as "affected".

#include "reply_words.hpp"

#include "text_scan.hpp"

namespace cvd::report::words {

namespace {

using Phrases = std::vector<std::string_view>;

// clang-format off
const Phrases kFormNotAffected{
    "not affected", "unaffected", "not vulnerable", "not impacted", "影響を受けません",
    "影響を受けない", "影響はありません", "影響はない", "影響なし", "影響無し", "非該当",
    "該当しません", "該当しない", "該当なし", "影響しない", "脆弱性なし", "再現しませんでした",
    "再現しない", "再現せず", "対象外", "なし", "無し", "no",
};
const Phrases kFormAffected{
    "affected", "vulnerable", "impacted", "confirmed", "reproduced", "影響を受けます",
    "影響を受ける", "影響あり", "影響有り", "該当します", "該当する", "該当", "脆弱性あり",
    "再現しました", "再現した", "あり", "有り", "yes",
};
const Phrases kUnsure{
    "may be affected", "might be affected", "could be affected", "possibly", "probably", "likely",
    "not sure", "unsure", "unknown", "tbd", "to be determined", "not able to reproduce",
    "unable to reproduce", "could not reproduce", "couldn't reproduce", "cannot reproduce",
    "可能性", "不明", "わからない", "分からない", "未確認", "再現できませんでした", "再現できない",
};
const Phrases kStillVerifying{
    "verifying", "investigating", "under investigation", "調査中", "検証中", "確認中",
};

// Sentences say more than a form value; bare "yes", "no", "affected" do not count there.
const Phrases kSentenceNotAffected{
    "not affected", "unaffected", "not vulnerable", "not impacted", "does not affect",
    "do not affect", "doesn't affect", "don't affect", "影響を受けません", "影響を受けない",
    "影響はありません", "影響はない", "影響なし", "該当しません", "非該当", "脆弱性は存在しません",
    "脆弱性は存在しない",
};
const Phrases kSentenceAffected{
    "we are affected", "is affected", "are affected", "were affected",
    "confirmed the vulnerability", "confirmed the issue", "able to reproduce",
    "reproduced the issue", "reproduced the vulnerability", "影響を受けます", "影響があります",
    "影響があることを確認", "該当します", "脆弱性を確認しました", "脆弱性が存在することを確認",
    "再現を確認しました", "再現しました", "影響あり",
};

const Phrases kWillNotFix{
    "no fix planned", "no plans to fix", "do not plan to fix", "not plan to fix", "will not fix",
    "won't fix", "wont fix", "no fix", "not planned", "no plans", "no plan", "none",
    "修正予定はありません", "修正の予定はありません", "対応の予定はありません",
    "対策の予定はありません", "修正予定なし", "修正予定無し", "対応予定なし", "対策予定なし",
    "修正しません", "修正しない", "対応しません", "対応しない", "修正なし", "予定なし", "なし",
};
const Phrases kNotYetFixed{
    "not yet fixed", "not been fixed", "not fixed", "not yet", "未修正", "未対応", "未対策",
};
const Phrases kFixing{
    "fixed version will be released", "fixed version to be released", "working on a fix",
    "working on it", "working on", "fix is in progress", "in progress", "are fixing", "fixing",
    "will release a fix", "will be fixed", "will fix", "plan to fix", "planned", "scheduled",
    "under development", "fixed version will", "will be released", "to be released", "be released",
    "リリース予定", "修正を予定", "修正予定", "対応予定", "修正を進めて", "修正中", "対応中",
    "対策中", "開発中", "作業中",
};
const Phrases kFixed{
    "has been fixed", "have been fixed", "have fixed", "we fixed", "is now fixed", "is fixed",
    "released a fix", "released a patch", "released", "patched", "resolved", "fixed",
    "修正しました", "修正済み", "修正済", "対策済み", "対策済", "対策しました", "修正完了",
    "修正が完了", "対応済み", "対応済", "対応完了", "対応しました", "リリース済み", "公開済み",
    "修正版をリリース", "修正版を公開",
};
// In prose only whole phrases count: "released" or "none" alone say nothing about a fix.
const Phrases kSentenceWillNotFix{
    "no plans to fix", "do not plan to fix", "not plan to fix", "will not fix", "won't fix",
    "修正予定はありません", "修正の予定はありません", "対応の予定はありません",
    "対策の予定はありません", "修正しません", "対応しません",
};
const Phrases kSentenceNotYetFixed{
    "not yet fixed", "not been fixed", "not fixed", "未修正",
};
const Phrases kSentenceFixing{
    "fixed version will be released", "fixed version to be released", "working on a fix",
    "fix is in progress", "are fixing", "will release a fix", "will be fixed", "fixed version will",
    "will be released", "to be released", "be released", "plan to fix", "修正を予定", "修正予定",
    "修正を進めて", "修正中", "対策中", "リリース予定",
};
const Phrases kSentenceFixed{
    "has been fixed", "have been fixed", "have fixed", "we fixed", "is now fixed", "is fixed",
    "fixed version has been", "fixed version is available", "released a fixed version",
    "released a fix", "released a patch", "fixed", "修正しました", "修正済み", "対策済み",
    "対策しました", "修正版をリリース", "修正版を公開", "修正が完了", "対応しました", "対応済み",
};
const Phrases kSentenceUnsure{
    "may be affected", "might be affected", "could be affected", "possibly affected",
    "not able to reproduce", "unable to reproduce", "could not reproduce", "couldn't reproduce",
    "cannot reproduce", "影響を受ける可能性", "影響がある可能性", "該当する可能性",
    "再現できませんでした", "再現できない",
};
// Only in form values: "not applicable" leaves the fix status unstated.
const Phrases kNotApplicable{
    "n/a", "na", "-", "not applicable", "該当なし", "対象外", "なし(非該当)",
};

const Phrases kNoDateWish{
    "none", "no preference", "no wish", "any", "特になし", "希望なし", "なし", "指定なし",
};
const Phrases kPublicationWords{
    "publication", "publish", "disclosure date", "disclose on", "公表",
};
// clang-format on

bool any_of(const std::string& text, const Phrases& phrases) {
    for (std::string_view p : phrases)
        if (scan::contains_phrase(text, p)) return true;
    return false;
}

}  // namespace

bool is_no_date_wish(const std::string& value) {
    for (std::string_view p : kNoDateWish)
        if (value == p) return true;
    return false;
}

bool mentions_publication(const std::string& text) {
    return any_of(text, kPublicationWords);
}

// A form line left as the template wrote it ("affected | not affected") states nothing.
bool is_unfilled_choice(const std::string& value) {
    return value.find('|') != std::string::npos;
}

Verification verification_of_value(std::string value, std::vector<std::string>& notes) {
    if (value.empty()) return Verification::not_stated;
    if (any_of(value, kStillVerifying)) {
        notes.push_back("the verification is still in progress: \"" + value + "\"");
        return Verification::unclear;
    }
    if (any_of(value, kUnsure)) {
        notes.push_back("the verification result is hedged: \"" + value + "\"");
        return Verification::unclear;
    }
    std::string rest = value;
    const bool no = scan::erase_phrases(rest, kFormNotAffected);
    const bool yes = any_of(rest, kFormAffected);
    if (yes && no && is_unfilled_choice(value)) return Verification::not_stated;
    if (yes != no) return yes ? Verification::affected : Verification::not_affected;
    notes.push_back("the verification result cannot be read: \"" + value + "\"");
    return Verification::unclear;
}

FixStatus fix_of(std::string text, bool form_value, std::vector<std::string>& notes) {
    if (text.empty()) return FixStatus::not_stated;
    const std::string original = text;
    if (form_value) {
        for (std::string_view p : kNotApplicable)
            if (text == p) return FixStatus::not_stated;
    }
    const bool will_not = scan::erase_phrases(text, form_value ? kWillNotFix : kSentenceWillNotFix);
    const bool not_yet =
        scan::erase_phrases(text, form_value ? kNotYetFixed : kSentenceNotYetFixed);
    const bool fixing = scan::erase_phrases(text, form_value ? kFixing : kSentenceFixing);
    const bool fixed = scan::erase_phrases(text, form_value ? kFixed : kSentenceFixed);
    const int said = int{will_not} + int{fixing} + int{fixed};
    if (said > 1 && form_value && is_unfilled_choice(original)) return FixStatus::not_stated;
    if (said == 1)
        return will_not ? FixStatus::will_not_fix : fixing ? FixStatus::fixing : FixStatus::fixed;
    if (said == 0 && !not_yet && !form_value) return FixStatus::not_stated;
    notes.push_back(form_value ? "the fix status cannot be read: \"" + original + "\""
                               : std::string("the text is unclear about the fix"));
    return FixStatus::unclear;
}

Verification verification_of_sentences(std::string text, std::vector<std::string>& notes) {
    if (any_of(text, kSentenceUnsure)) {
        notes.push_back("the reply hedges on whether the product is affected");
        return Verification::unclear;
    }
    const bool no = scan::erase_phrases(text, kSentenceNotAffected);
    const bool yes = any_of(text, kSentenceAffected);
    if (yes && no) {
        notes.push_back("the reply says both affected and not affected");
        return Verification::unclear;
    }
    return yes  ? Verification::affected
           : no ? Verification::not_affected
                : Verification::not_stated;
}

}  // namespace cvd::report::words
