#include "fair_order.hpp"

#include <algorithm>
#include <unordered_map>

#include "cvdbot/domain/types.hpp"
#include "cvdbot/mail/parser.hpp"

namespace cvd::app {

std::vector<std::int64_t> fair_order(const std::vector<WaitingMessage>& waiting,
                                     std::size_t per_sender) {
    // Each sender's queue, the senders in the order they first appear.
    std::unordered_map<std::string, std::size_t> queue_of;
    std::vector<std::vector<std::int64_t>> queues;
    for (const auto& m : waiting) {
        auto [it, added] = queue_of.try_emplace(m.sender, queues.size());
        if (added) queues.emplace_back();
        if (queues[it->second].size() < per_sender) queues[it->second].push_back(m.row_id);
    }
    std::vector<std::int64_t> order;
    std::size_t longest = 0;
    for (const auto& q : queues) longest = std::max(longest, q.size());
    for (std::size_t turn = 0; turn < longest; ++turn)
        for (const auto& q : queues)
            if (turn < q.size()) order.push_back(q[turn]);
    return order;
}

std::string sender_of(std::string_view raw) {
    // The header block only: a large body is no reason to parse the whole message twice.
    auto end = raw.find("\r\n\r\n");
    if (end == std::string_view::npos) end = raw.find("\n\n");
    const auto header = raw.substr(0, end == std::string_view::npos ? raw.size() : end);
    mail::ParseLimits limits;
    limits.max_message_bytes = 1u << 20;
    const auto parsed = mail::parse_message(header, limits);
    return parsed.from ? domain::normalize_address(parsed.from->address) : std::string();
}

}  // namespace cvd::app
