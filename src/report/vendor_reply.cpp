// parse_vendor_reply: form lines first, plain sentences second, and the two must agree.
// Every word list is matched on width-folded, lowercased text; negative phrases are erased
// before positive ones are looked for, so "not affected" never counts as "affected".

#include "cvdbot/report/vendor_reply.hpp"

#include <algorithm>
#include <array>

#include "cvdbot/core/text.hpp"
#include "text_scan.hpp"
#include "wished_date_internal.hpp"

namespace cvd::report {

namespace {

using Phrases = std::vector<std::string_view>;

// ---- words ------------------------------------------------------------------------------

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

struct Reading {
    Verification verification = Verification::not_stated;
    FixStatus fix = FixStatus::not_stated;
};

bool any_of(const std::string& text, const Phrases& phrases) {
    for (std::string_view p : phrases)
        if (scan::contains_phrase(text, p)) return true;
    return false;
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

// Several readings of one thing: all that say something must say the same.
template <typename T>
T combine(T a, T b, T not_stated, T unclear) {
    if (a == not_stated) return b;
    if (b == not_stated || a == b) return a;
    return unclear;
}

// ---- lines ------------------------------------------------------------------------------

enum class FormItem { verification, fix, date };

std::optional<FormItem> form_item_of_part(std::string_view part) {
    static const std::array<std::pair<std::string_view, FormItem>, 28> kLabels{{
        {"verification result", FormItem::verification},
        {"verification", FormItem::verification},
        {"result of verification", FormItem::verification},
        {"検証結果", FormItem::verification},
        {"検証", FormItem::verification},
        {"確認結果", FormItem::verification},
        {"影響の有無", FormItem::verification},
        {"影響有無", FormItem::verification},
        {"fix status", FormItem::fix},
        {"fix", FormItem::fix},
        {"status of the fix", FormItem::fix},
        {"修正状況", FormItem::fix},
        {"修正状態", FormItem::fix},
        {"対策状況", FormItem::fix},
        {"対応状況", FormItem::fix},
        {"修正の状況", FormItem::fix},
        {"wished publication date", FormItem::date},
        {"publication date", FormItem::date},
        {"desired publication date", FormItem::date},
        {"preferred publication date", FormItem::date},
        {"requested publication date", FormItem::date},
        {"disclosure date", FormItem::date},
        {"公表希望日", FormItem::date},
        {"公表希望日時", FormItem::date},
        {"公表日", FormItem::date},
        {"公表日時", FormItem::date},
        {"公開希望日", FormItem::date},
        {"希望公表日", FormItem::date},
    }};
    for (const auto& [label, item] : kLabels)
        if (part == label) return item;
    return std::nullopt;
}

std::optional<FormItem> form_item(std::string_view raw_label) {
    if (raw_label.size() > 120) return std::nullopt;
    std::string label = scan::fold(scan::strip_list_marker(raw_label));
    std::optional<FormItem> agreed;
    std::size_t start = 0;
    for (;;) {
        const auto slash = label.find('/', start);
        auto part = scan::trim(std::string_view(label).substr(
            start, slash == std::string::npos ? slash : slash - start));
        if (auto item = form_item_of_part(part)) {
            if (agreed && *agreed != *item) return std::nullopt;
            agreed = item;
        }
        if (slash == std::string::npos) return agreed;
        start = slash + 1;
    }
}

// Where the quoted original begins in replies written by clients that do not quote with ">".
bool starts_quoted_original(std::string_view folded, std::string_view next_lines) {
    if (folded.find("original message") != std::string_view::npos &&
        folded.find("---") != std::string_view::npos)
        return true;
    if (folded.find("元のメッセージ") != std::string_view::npos) return true;
    if (folded.size() > 6 && folded.substr(folded.size() - 6) == "wrote:" &&
        folded.substr(0, 3) == "on ")
        return true;
    if (folded.find("書きました") != std::string_view::npos &&
        folded.find(':') != std::string_view::npos)
        return true;
    // An Outlook header block: "From: ..." followed closely by "Sent:" or "Date:".
    if (folded.substr(0, 5) == "from:" || folded.substr(0, 4) == "差出人") {
        const std::string next = scan::fold(next_lines);
        return next.find("sent:") != std::string::npos || next.find("date:") != std::string::npos ||
               next.find("送信日時") != std::string::npos;
    }
    return false;
}

}  // namespace

std::string_view to_string(Verification verification) {
    switch (verification) {
        case Verification::affected:
            return "affected";
        case Verification::not_affected:
            return "not_affected";
        case Verification::unclear:
            return "unclear";
        case Verification::not_stated:
            break;
    }
    return "not_stated";
}

std::string_view to_string(FixStatus status) {
    switch (status) {
        case FixStatus::fixing:
            return "fixing";
        case FixStatus::fixed:
            return "fixed";
        case FixStatus::will_not_fix:
            return "will_not_fix";
        case FixStatus::unclear:
            return "unclear";
        case FixStatus::not_stated:
            break;
    }
    return "not_stated";
}

bool VendorReply::needs_coordinator() const {
    if (verification == Verification::unclear || fix == FixStatus::unclear ||
        publication_date_unclear)
        return true;
    return verification == Verification::not_stated && fix == FixStatus::not_stated &&
           !publication_date;
}

VendorReply parse_vendor_reply(std::string_view raw, const VendorReplyLimits& limits) {
    VendorReply reply;
    bool cut = false;
    const std::string text = scan::prepare(raw, limits.max_input_bytes, cut);
    if (cut)
        reply.notes.push_back("only the first " + std::to_string(limits.max_input_bytes) +
                              " bytes were read");

    Verification form_verification = Verification::not_stated;
    FixStatus form_fix = FixStatus::not_stated;
    std::vector<WishedDate> form_dates, sentence_dates;
    bool form_date_unreadable = false;
    std::string sentences_en, sentences_ja;  // unquoted prose, joined for phrases split over lines

    auto read_form_value = [&](FormItem item, const std::string& value) {
        switch (item) {
            case FormItem::verification: {
                const Verification v = verification_of_value(value, reply.notes);
                reply.from_form = reply.from_form || v != Verification::not_stated;
                form_verification =
                    combine(form_verification, v, Verification::not_stated, Verification::unclear);
                break;
            }
            case FormItem::fix: {
                const FixStatus f = fix_of(value, true, reply.notes);
                reply.from_form = reply.from_form || f != FixStatus::not_stated;
                form_fix = combine(form_fix, f, FixStatus::not_stated, FixStatus::unclear);
                break;
            }
            case FormItem::date: {
                if (value.find("yyyy") != std::string::npos)
                    break;  // left as the template wrote it
                reply.from_form = true;
                for (std::string_view p : kNoDateWish)
                    if (value == p) return;
                const auto dates = find_dates(value);
                if (dates.empty()) form_date_unreadable = true;
                form_dates.insert(form_dates.end(), dates.begin(), dates.end());
                break;
            }
        }
    };
    // A form label whose answer is on the next line; a blank or quoted line in between ends it.
    std::optional<FormItem> awaiting;

    std::string_view rest = text;
    while (!rest.empty()) {
        const auto newline = rest.find('\n');
        const std::string_view line =
            scan::cut_utf8(rest.substr(0, newline), limits.max_line_bytes);
        rest = newline == std::string_view::npos ? std::string_view{} : rest.substr(newline + 1);
        const std::string_view trimmed = scan::trim(line);
        const std::string folded = scan::fold(trimmed);
        if (folded.empty() || folded.front() == '>' || folded.front() == '|') {  // blank or quoted
            awaiting.reset();
            continue;
        }
        if (starts_quoted_original(folded, rest.substr(0, std::min<std::size_t>(rest.size(), 400))))
            break;

        const std::string_view body = scan::strip_list_marker(trimmed);
        const auto colon = scan::find_colon(body);
        if (colon.pos != std::string_view::npos) {
            if (const auto item = form_item(body.substr(0, colon.pos))) {
                const std::string value = scan::fold(body.substr(colon.pos + colon.length));
                awaiting.reset();
                if (value.empty())
                    awaiting = item;  // "検証結果：" with the answer on the next line
                else
                    read_form_value(*item, value);
                continue;
            }
        }
        if (awaiting) {
            read_form_value(*awaiting, folded);
            awaiting.reset();
            continue;
        }
        sentences_en += folded;
        sentences_en += ' ';
        sentences_ja += folded;
        if (any_of(folded, kPublicationWords)) {
            const auto dates = find_dates(folded);
            sentence_dates.insert(sentence_dates.end(), dates.begin(), dates.end());
        }
    }

    // English phrases were joined with spaces, Japanese ones without: check each in its text.
    const Verification said_en = verification_of_sentences(sentences_en, reply.notes);
    const Verification said_ja = verification_of_sentences(sentences_ja, reply.notes);
    const Verification said =
        combine(said_en, said_ja, Verification::not_stated, Verification::unclear);
    reply.verification =
        combine(form_verification, said, Verification::not_stated, Verification::unclear);
    if (form_verification != said && form_verification != Verification::not_stated &&
        said != Verification::not_stated)
        reply.notes.push_back(
            "the reply form and the text disagree on whether the product is affected");

    const FixStatus fix_said =
        combine(fix_of(sentences_en, false, reply.notes), fix_of(sentences_ja, false, reply.notes),
                FixStatus::not_stated, FixStatus::unclear);
    reply.fix = combine(form_fix, fix_said, FixStatus::not_stated, FixStatus::unclear);
    if (form_fix != fix_said && form_fix != FixStatus::not_stated &&
        fix_said != FixStatus::not_stated)
        reply.notes.push_back("the reply form and the text disagree on the fix status");

    if (reply.verification == Verification::not_affected &&
        (reply.fix == FixStatus::fixing || reply.fix == FixStatus::fixed)) {
        reply.notes.push_back("not affected, yet a fix is reported");
        reply.verification = Verification::unclear;
    }

    std::vector<WishedDate> all_dates = form_dates;
    all_dates.insert(all_dates.end(), sentence_dates.begin(), sentence_dates.end());
    reply.publication_date = single_date(all_dates);
    if (!reply.publication_date && (all_dates.size() > 1 || form_date_unreadable)) {
        reply.publication_date_unclear = true;
        reply.notes.push_back(form_date_unreadable ? "the wished publication date cannot be read"
                                                   : "the reply names different publication dates");
    }
    // The English and the Japanese reading of the same prose may give the same note twice.
    std::vector<std::string> notes;
    for (auto& note : reply.notes)
        if (std::find(notes.begin(), notes.end(), note) == notes.end())
            notes.push_back(std::move(note));
    reply.notes = std::move(notes);
    return reply;
}

}  // namespace cvd::report
