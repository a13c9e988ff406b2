#include "threading.hpp"

#include "cvdbot/core/text.hpp"
#include "cvdbot/mail/address.hpp"
#include "cvdbot/mail/threading.hpp"

namespace cvd::app {

namespace {
bool is_alpha(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alnum(char c) { return is_alpha(c) || is_digit(c); }

core::Result<std::optional<domain::Case>> case_of(store::Store& store, std::int64_t case_row_id) {
    return store.case_by_row(case_row_id);
}
}  // namespace

std::string reply_address(const std::string& bot_address, const std::string& token) {
    const auto at = bot_address.rfind('@');
    return bot_address.substr(0, at) + "+" + token + bot_address.substr(at);
}

std::optional<std::string> reply_token_of(const std::string& bot_address, std::string_view address) {
    const auto at = bot_address.rfind('@');
    const std::string local = core::to_lower_ascii(bot_address.substr(0, at)) + "+";
    const std::string domain = core::to_lower_ascii(bot_address.substr(at));
    const std::string candidate = core::to_lower_ascii(core::trim(address));
    if (candidate.size() <= local.size() + domain.size() || candidate.rfind(local, 0) != 0 ||
        candidate.compare(candidate.size() - domain.size(), domain.size(), domain) != 0)
        return std::nullopt;
    return candidate.substr(local.size(), candidate.size() - local.size() - domain.size());
}

std::vector<std::string> ticket_candidates(std::string_view subject, std::string_view case_prefix) {
    std::vector<std::string> out;
    const auto add = [&](std::string ticket) {
        if (core::starts_with_icase(ticket, std::string(case_prefix) + "#") ||
            core::starts_with_icase(ticket, std::string(case_prefix) + "-"))
            return;
        for (const auto& t : out)
            if (t == ticket) return;
        if (out.size() < 8) out.push_back(std::move(ticket));
    };
    for (std::size_t i = 0; i < subject.size(); ++i) {
        if (i > 0 && is_alnum(subject[i - 1])) continue;  // tokens start at a word boundary
        std::size_t j = i;
        if (subject[i] == '#') {
            // "#123456": four or more digits.
            ++j;
            while (j < subject.size() && is_digit(subject[j])) ++j;
            if (j - i - 1 >= 4 && (j == subject.size() || !is_alnum(subject[j]))) add(std::string(subject.substr(i, j - i)));
            continue;
        }
        if (!is_alpha(subject[i])) continue;
        // LETTERS[ALNUM]* then '-', '_' or '#', then three or more digits: PSIRT-1234, INC#20417.
        while (j < subject.size() && is_alnum(subject[j]) && j - i < 16) ++j;
        if (j >= subject.size() || (subject[j] != '-' && subject[j] != '_' && subject[j] != '#')) continue;
        std::size_t k = j + 1;
        while (k < subject.size() && is_digit(subject[k]) && k - j < 20) ++k;
        if (k - j - 1 >= 3 && (k == subject.size() || !is_alnum(subject[k])))
            add(std::string(subject.substr(i, k - i)));
    }
    return out;
}

core::Result<ThreadMatch> find_thread(store::Store& store, const mail::Message& message, const std::string& sender,
                                      const std::string& bot_address, const std::string& prefix) {
    // Envelope recipients as Postfix records them count too: a Bcc'd reply address shows up
    // only there.
    std::vector<std::string> recipients;
    for (const auto* list : {&message.to, &message.cc})
        for (const auto& a : *list) recipients.push_back(a.address);
    for (const auto& [name, value] : message.headers)
        if (core::iequals_ascii(name, "Delivered-To") || core::iequals_ascii(name, "X-Original-To"))
            for (const auto& a : mail::parse_address_list(value)) recipients.push_back(a.address);

    for (const auto& address : recipients) {
        const auto token = reply_token_of(bot_address, address);
        if (!token) continue;
        auto participant = store.participant_by_token(*token);
        if (!participant) return participant.error();
        if (!*participant) continue;
        auto found = case_of(store, (*participant)->case_row_id);
        if (!found) return found.error();
        if (*found) return ThreadMatch{*found, (*participant)->row_id, "reply address", std::nullopt};
    }

    ThreadMatch result;
    if (auto id = mail::find_case_tag(message, prefix)) {
        auto found = store.find_case(*id);
        if (!found) return found.error();
        if (*found) return ThreadMatch{*found, std::nullopt, "subject tag", std::nullopt};
        result.named_but_unknown = *id;
    }

    auto thread = store.find_thread_by_message_ids(mail::thread_lookup_ids(message));
    if (!thread) return thread.error();
    if (*thread) {
        auto found = case_of(store, (*thread)->case_row_id);
        if (!found) return found.error();
        if (*found) return ThreadMatch{*found, (*thread)->participant_row_id, "references", std::nullopt};
    }

    const auto tickets = ticket_candidates(mail::strip_subject_prefixes(message.subject), prefix);
    if (!tickets.empty()) {
        auto by_ticket = store.find_thread_by_ticket(tickets, sender);
        if (!by_ticket) return by_ticket.error();
        if (*by_ticket) {
            auto found = case_of(store, (*by_ticket)->case_row_id);
            if (!found) return found.error();
            if (*found) return ThreadMatch{*found, (*by_ticket)->participant_row_id, "ticket number", std::nullopt};
        }
    }
    return result;
}

}  // namespace cvd::app
