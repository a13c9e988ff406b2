// parse_vendor_reply: form lines first, plain sentences second, and the two must agree. The
// words themselves are in reply_words.cpp, dates in wished_date.cpp.

#include "cvdbot/report/vendor_reply.hpp"

#include <algorithm>
#include <array>

#include "cvdbot/core/text.hpp"
#include "reply_words.hpp"
#include "text_scan.hpp"
#include "wished_date_internal.hpp"

namespace cvd::report {

namespace {

// Several readings of one thing: all that say something must say the same.
template <typename T>
T combine(T a, T b, T not_stated, T unclear) {
    if (a == not_stated) return b;
    if (b == not_stated || a == b) return a;
    return unclear;
}

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
                const Verification v = words::verification_of_value(value, reply.notes);
                reply.from_form = reply.from_form || v != Verification::not_stated;
                form_verification =
                    combine(form_verification, v, Verification::not_stated, Verification::unclear);
                break;
            }
            case FormItem::fix: {
                const FixStatus f = words::fix_of(value, true, reply.notes);
                reply.from_form = reply.from_form || f != FixStatus::not_stated;
                form_fix = combine(form_fix, f, FixStatus::not_stated, FixStatus::unclear);
                break;
            }
            case FormItem::date: {
                if (value.find("yyyy") != std::string::npos)
                    break;  // left as the template wrote it
                reply.from_form = true;
                if (words::is_no_date_wish(value)) return;
                const auto dates = find_dates(value);
                if (dates.empty()) form_date_unreadable = true;
                form_dates.insert(form_dates.end(), dates.begin(), dates.end());
                break;
            }
        }
    };
    // A form label whose answer is on the next line; a blank or quoted line in between ends it.
    // (A flag and a value, not an optional: g++ 12 -O2 warns falsely about optional<enum> here.)
    bool awaiting = false;
    FormItem awaiting_item = FormItem::verification;

    std::string_view rest = text;
    while (!rest.empty()) {
        const auto newline = rest.find('\n');
        const std::string_view line =
            scan::cut_utf8(rest.substr(0, newline), limits.max_line_bytes);
        rest = newline == std::string_view::npos ? std::string_view{} : rest.substr(newline + 1);
        const std::string_view trimmed = scan::trim(line);
        const std::string folded = scan::fold(trimmed);
        if (folded.empty() || folded.front() == '>' || folded.front() == '|') {  // blank or quoted
            awaiting = false;
            continue;
        }
        if (starts_quoted_original(folded, rest.substr(0, std::min<std::size_t>(rest.size(), 400))))
            break;

        const std::string_view body = scan::strip_list_marker(trimmed);
        const auto colon = scan::find_colon(body);
        if (colon.pos != std::string_view::npos) {
            if (const auto item = form_item(body.substr(0, colon.pos))) {
                const std::string value = scan::fold(body.substr(colon.pos + colon.length));
                awaiting = false;
                if (value.empty()) {
                    awaiting = true;  // "検証結果：" with the answer on the next line
                    awaiting_item = *item;
                } else
                    read_form_value(*item, value);
                continue;
            }
        }
        if (awaiting) {
            read_form_value(awaiting_item, folded);
            awaiting = false;
            continue;
        }
        sentences_en += folded;
        sentences_en += ' ';
        sentences_ja += folded;
        if (words::mentions_publication(folded)) {
            const auto dates = find_dates(folded);
            sentence_dates.insert(sentence_dates.end(), dates.begin(), dates.end());
        }
    }

    // English phrases were joined with spaces, Japanese ones without: check each in its text.
    const Verification said_en = words::verification_of_sentences(sentences_en, reply.notes);
    const Verification said_ja = words::verification_of_sentences(sentences_ja, reply.notes);
    const Verification said =
        combine(said_en, said_ja, Verification::not_stated, Verification::unclear);
    reply.verification =
        combine(form_verification, said, Verification::not_stated, Verification::unclear);
    if (form_verification != said && form_verification != Verification::not_stated &&
        said != Verification::not_stated)
        reply.notes.push_back(
            "the reply form and the text disagree on whether the product is affected");

    const FixStatus fix_said = combine(words::fix_of(sentences_en, false, reply.notes),
                                       words::fix_of(sentences_ja, false, reply.notes),
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
