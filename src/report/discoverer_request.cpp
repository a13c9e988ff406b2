#include "cvdbot/report/discoverer_request.hpp"

#include <string>
#include <vector>

#include "text_scan.hpp"

namespace cvd::report {

namespace {

constexpr std::size_t kMaxBytes = 64 * 1024;

// Folded (lower-case, width-folded) phrases.
const std::vector<std::string_view> kLiftPhrases{
    "lift the non-disclosure", "lift non-disclosure", "lift nondisclosure", "lift the nondisclosure",
    "end the non-disclosure", "end non-disclosure", "release me from non-disclosure",
    "非開示の解除", "非開示を解除", "非開示解除", "非公開の解除", "非公開を解除", "開示制限の解除", "開示制限を解除",
    "公表の制限を解除", "情報非開示依頼の解除", "非開示依頼を解除", "非開示依頼の解除"};
const std::vector<std::string_view> kStatusPhrases{
    "status of", "current status", "any update", "any progress", "progress of", "how is the case",
    "how is it going", "update on", "進捗", "現在の状況", "状況を教えて", "状況はいかが", "状況をお知らせ", "対応状況"};

bool any_of(const std::string& text, const std::vector<std::string_view>& phrases) {
    for (const auto phrase : phrases)
        if (scan::contains_phrase(text, phrase)) return true;
    return false;
}

}  // namespace

DiscovererRequest read_discoverer_request(std::string_view text) {
    bool cut = false;
    const std::string prepared = scan::prepare(text, kMaxBytes, cut);
    std::string own;  // their own words: no quotes, nothing after the signature
    std::size_t start = 0;
    while (start <= prepared.size()) {
        auto end = prepared.find('\n', start);
        if (end == std::string::npos) end = prepared.size();
        const std::string_view line(prepared.data() + start, end - start);
        start = end + 1;
        if (line == "-- ") break;
        const auto trimmed = scan::trim(line);
        if (!trimmed.empty() && (trimmed.front() == '>' || trimmed.substr(0, 3) == "\xEF\xBC\x9E")) continue;
        own += scan::fold(line);
        own += '\n';
    }
    DiscovererRequest request;
    request.asks_lift = any_of(own, kLiftPhrases);
    request.asks_status = !request.asks_lift && any_of(own, kStatusPhrases);
    return request;
}

}  // namespace cvd::report
