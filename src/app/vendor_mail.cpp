// Contact-change requests by mail: recognised by words in the subject or opening lines, read
// from labelled lines, recorded as pending for a coordinator.

#include "vendor_mail.hpp"

#include <algorithm>
#include <array>

#include "cvdbot/core/text.hpp"
#include "cvdbot/domain/types.hpp"

namespace cvd::app {

namespace {

constexpr std::array<std::string_view, 10> kPhrases{
    "contact change", "change of contact", "contact point change", "contact address change",
    "change contact", "窓口変更",          "連絡先変更",           "連絡窓口の変更",
    "窓口の変更",     "連絡先の変更",
};

constexpr int kOpeningLines = 5;  // how far into the body the phrase may appear

bool has_phrase(std::string_view text) {
    const auto lower = core::to_lower_ascii(text);
    return std::any_of(kPhrases.begin(), kPhrases.end(),
                       [&](std::string_view p) { return lower.find(p) != std::string::npos; });
}

bool ends_with(std::string_view text, std::string_view suffix) {
    return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

// Replaces the Japanese spaces and punctuation that separate values with ASCII ones.
std::string ascii_separators(std::string_view text) {
    std::string out(text);
    for (const auto& [from, to] :
         std::array<std::pair<std::string_view, std::string_view>, 5>{{{"\xE3\x80\x80", " "},
                                                                       {"\xE3\x80\x81", ","},
                                                                       {"\xEF\xBC\x8C", ","},
                                                                       {"\xEF\xBC\x9B", ";"},
                                                                       {"\xEF\xBC\x9A", ":"}}}) {
        for (auto pos = out.find(from); pos != std::string::npos;
             pos = out.find(from, pos + to.size()))
            out.replace(pos, from.size(), to);
    }
    return out;
}

enum class Label { none, to, cc, remove, from, sent };

struct Line {
    Label label = Label::none;
    std::string value;  // after the colon
};

Line classify(std::string_view raw) {
    const std::string text = ascii_separators(raw);
    std::string_view line = core::trim(text);
    // Bullets people put before list items.
    while (!line.empty() && (line.front() == '-' || line.front() == '*'))
        line = core::trim(line.substr(1));
    if (line.substr(0, 3) == "\xE3\x83\xBB") line = core::trim(line.substr(3));  // ・
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) return {};
    const auto label = core::to_lower_ascii(core::trim(line.substr(0, colon)));
    const std::string value(core::trim(line.substr(colon + 1)));
    if (label == "to" || label == "宛先") return {Label::to, value};
    if (label == "cc") return {Label::cc, value};
    if (label == "remove" || label == "削除") return {Label::remove, value};
    if (label == "from" || label == "差出人" || label == "送信者") return {Label::from, value};
    if (label == "sent" || label == "date" || label == "送信日時" || label == "日付")
        return {Label::sent, value};
    return {};
}

// Where quoted or forwarded mail begins: nothing below it is the sender's own request.
bool starts_quoted_original(std::string_view line) {
    const auto trimmed = core::trim(line);
    if (trimmed == "--" || line == "-- ") return true;
    for (std::string_view rule : {"-----", "_____", "====="})
        if (trimmed.substr(0, rule.size()) == rule) return true;
    const auto lower = core::to_lower_ascii(trimmed);
    return ends_with(lower, "wrote:") || ends_with(trimmed, "書きました:") ||
           ends_with(trimmed, "書きました：");
}

// Address-like tokens of a value: "Acme PSIRT <psirt@acme.example>, mailto:b@x" → both.
std::vector<std::string> address_tokens(std::string_view value) {
    std::vector<std::string> out;
    std::string token;
    auto flush = [&] {
        std::string_view t = token;
        while (!t.empty() && std::string_view("<([\"'").find(t.front()) != std::string_view::npos)
            t.remove_prefix(1);
        while (!t.empty() && std::string_view(">)]\"'.").find(t.back()) != std::string_view::npos)
            t.remove_suffix(1);
        if (core::starts_with_icase(t, "mailto:")) t.remove_prefix(7);
        if (t.find('@') != std::string_view::npos) out.push_back(domain::normalize_address(t));
        token.clear();
    };
    for (char c : value) {
        if (c == ',' || c == ';' || c == ' ' || c == '\t')
            flush();
        else
            token += c;
    }
    flush();
    return out;
}

}  // namespace

bool mentions_contact_change(const mail::Message& parsed) {
    if (has_phrase(parsed.subject)) return true;
    int seen = 0;
    for (auto line : core::split(parsed.text_body, '\n')) {
        const auto trimmed = core::trim(line);
        if (trimmed.empty() || trimmed.front() == '>') continue;
        if (has_phrase(trimmed)) return true;
        if (++seen >= kOpeningLines) break;
    }
    return false;
}

ContactChangeText read_contact_change(std::string_view body) {
    ContactChangeText result;
    const auto lines = core::split(body, '\n');
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const auto raw = lines[i];
        if (core::trim(raw).empty() || core::trim(raw).front() == '>') continue;
        if (starts_quoted_original(raw)) break;
        const auto line = classify(raw);
        if (line.label == Label::from) {
            // An Outlook-style header block of the mail being answered: From, then Sent/Date.
            std::size_t next = i + 1;
            while (next < lines.size() && core::trim(lines[next]).empty()) ++next;
            if (next < lines.size() && classify(lines[next]).label == Label::sent) break;
            continue;
        }
        if (line.label != Label::to && line.label != Label::cc && line.label != Label::remove)
            continue;
        const auto addresses = address_tokens(line.value);
        if (addresses.empty())
            result.problems.push_back("the line '" + std::string(core::trim(raw)) +
                                      "' names no address");
        for (const auto& address : addresses) {
            if (!store::is_contact_address(address)) {
                result.problems.push_back("'" + address + "' is not an email address");
                continue;
            }
            if (line.label == Label::remove) {
                if (std::find(result.change.remove.begin(), result.change.remove.end(), address) ==
                    result.change.remove.end())
                    result.change.remove.push_back(address);
                continue;
            }
            const auto kind =
                line.label == Label::to ? store::ContactKind::to : store::ContactKind::cc;
            std::erase_if(result.change.add,
                          [&](const store::VendorContact& c) { return c.address == address; });
            result.change.add.push_back({address, kind});
        }
    }
    // An address both added and removed is a contradiction we do not resolve for the sender.
    for (const auto& added : result.change.add)
        if (std::find(result.change.remove.begin(), result.change.remove.end(), added.address) !=
            result.change.remove.end())
            result.problems.push_back("'" + added.address + "' is both added and removed");
    return result;
}

core::Result<ContactChangeMail> handle_contact_change_mail(store::Store& store,
                                                           const mail::Message& parsed,
                                                           std::int64_t message_row_id,
                                                           core::Timestamp now) {
    ContactChangeMail outcome;
    if (parsed.automatic != mail::AutomaticKind::none || !parsed.from ||
        !mentions_contact_change(parsed))
        return outcome;
    outcome.sender = domain::normalize_address(parsed.from->address);
    store::VendorDirectory directory(store);
    auto vendors = directory.find_by_contact(outcome.sender);
    if (!vendors) return vendors.error();
    if (vendors->empty()) return outcome;
    for (const auto& v : *vendors) outcome.vendor_names.push_back(v.name);

    auto text = read_contact_change(parsed.text_body);
    outcome.request = text.change;
    outcome.problems = std::move(text.problems);
    if (outcome.problems.empty() && outcome.request.empty())
        outcome.problems.push_back(
            "the mail lists no addresses on lines like 'To: address', 'Cc: address' or "
            "'Remove: address'");
    if (!outcome.problems.empty()) {
        outcome.verdict = ContactChangeVerdict::unreadable;
        return outcome;
    }
    auto status = store.transaction([&]() -> core::Status {
        for (const auto& v : *vendors) {
            auto id = directory.request_change(v.row_id, outcome.sender, message_row_id,
                                               outcome.request, now);
            if (!id) return id.error();
            outcome.change_ids.push_back(*id);
        }
        return {};
    });
    if (!status) return status.error();
    outcome.verdict = ContactChangeVerdict::recorded;
    return outcome;
}

}  // namespace cvd::app
