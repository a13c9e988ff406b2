#include "threading.hpp"

#include <cstdio>

#include "cvdbot/core/text.hpp"
#include "cvdbot/mail/address.hpp"

namespace cvd::app {

std::string case_reply_address(const std::string& bot_address, const core::CaseId& id) {
    const auto at = bot_address.rfind('@');
    char tag[40];
    std::snprintf(tag, sizeof tag, "-%04d-%04d", id.year, id.number);
    return bot_address.substr(0, at) + "+" + core::to_lower_ascii(id.prefix) + tag + bot_address.substr(at);
}

std::optional<core::CaseId> case_from_reply_address(const std::string& bot_address, const std::string& prefix,
                                                    std::string_view address) {
    const auto at = bot_address.rfind('@');
    const std::string local = core::to_lower_ascii(bot_address.substr(0, at)) + "+";
    const std::string domain = core::to_lower_ascii(bot_address.substr(at));
    const std::string candidate = core::to_lower_ascii(core::trim(address));
    if (candidate.size() <= local.size() + domain.size() || candidate.rfind(local, 0) != 0 ||
        candidate.compare(candidate.size() - domain.size(), domain.size(), domain) != 0)
        return std::nullopt;
    const std::string token = candidate.substr(local.size(), candidate.size() - local.size() - domain.size());
    // token: <prefix>-YYYY-NNNN
    const auto dash = token.find('-');
    if (dash == std::string::npos || core::to_lower_ascii(prefix) != token.substr(0, dash)) return std::nullopt;
    std::string rest = token.substr(dash + 1);
    return core::parse_case_id(prefix + "#" + rest);
}

core::Result<ThreadMatch> find_thread(store::Store& store, const mail::Message& message,
                                      const std::string& bot_address, const std::string& prefix) {
    // Envelope recipients as Postfix records them count too: a Bcc'd per-case address
    // shows up only there.
    std::vector<std::string> recipients;
    for (const auto* list : {&message.to, &message.cc})
        for (const auto& a : *list) recipients.push_back(a.address);
    for (const auto& [name, value] : message.headers)
        if (core::iequals_ascii(name, "Delivered-To") || core::iequals_ascii(name, "X-Original-To"))
            for (const auto& a : mail::parse_address_list(value)) recipients.push_back(a.address);

    for (const auto& address : recipients) {
        if (auto id = case_from_reply_address(bot_address, prefix, address)) {
            auto found = store.find_case(*id);
            if (!found) return found.error();
            if (*found) return ThreadMatch{*found, "reply address"};
        }
    }
    if (auto id = core::find_case_tag(message.subject, prefix)) {
        auto found = store.find_case(*id);
        if (!found) return found.error();
        if (*found) return ThreadMatch{*found, "subject tag"};
    }
    std::vector<std::string> ids = message.references;
    ids.insert(ids.end(), message.in_reply_to.begin(), message.in_reply_to.end());
    auto found = store.find_case_by_message_ids(ids);
    if (!found) return found.error();
    if (*found) return ThreadMatch{*found, "references"};
    return ThreadMatch{};
}

}  // namespace cvd::app
