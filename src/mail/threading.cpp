#include "cvdbot/mail/threading.hpp"

#include <algorithm>
#include <array>

#include "cvdbot/core/text.hpp"

namespace cvd::mail {

std::string strip_subject_prefixes(std::string_view subject) {
    static const std::array<std::string_view, 20> prefixes{
        "re", "fwd", "fw",  "aw",   "sv",   "vs",   "wg",   "antw", "rif", "tr",
        "r",  "odp", "res", "返信", "転送", "回复", "答复", "转发", "返",  "転"};
    std::string s = core::fold_width(subject);
    std::string_view rest = core::trim(s);
    bool stripped = true;
    while (stripped) {
        stripped = false;
        for (std::string_view p : prefixes) {
            if (!core::starts_with_icase(rest, p)) continue;
            std::string_view after = rest.substr(p.size());
            // Optional counter: "Re[2]:", "Re(2):", "RE^2:"
            if (!after.empty() && (after[0] == '[' || after[0] == '(' || after[0] == '^')) {
                std::size_t k = 1;
                while (k < after.size() && std::isdigit(static_cast<unsigned char>(after[k]))) ++k;
                if (k > 1 && after[0] != '^' && k < after.size() &&
                    (after[k] == ']' || after[k] == ')'))
                    ++k;
                if (k > 1) after = after.substr(k);
            }
            after = core::trim(after);
            if (after.empty() || after[0] != ':') continue;
            rest = core::trim(after.substr(1));
            stripped = true;
            break;
        }
    }
    return std::string(rest);
}

std::optional<core::CaseId> find_case_tag(const Message& m, std::string_view prefix) {
    if (auto id = core::find_case_tag(m.subject, prefix)) return id;
    if (auto id = core::find_case_tag(core::fold_width(m.subject), prefix)) return id;
    for (const auto& f : m.forwarded)
        if (auto id = find_case_tag(f, prefix)) return id;
    return std::nullopt;
}

std::vector<std::string> thread_lookup_ids(const Message& m) {
    std::vector<std::string> ids;
    auto add = [&](const std::string& id) {
        if (!id.empty() && std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
    };
    for (const auto& id : m.in_reply_to) add(id);
    for (auto it = m.references.rbegin(); it != m.references.rend(); ++it) add(*it);
    return ids;
}

}  // namespace cvd::mail
