#pragma once
// The order in which stored, not yet processed messages are processed: senders take turns
// (round-robin, each sender's messages oldest first) and each gets at most a share per pass,
// so ten thousand messages from one address neither hold up another sender's one report nor
// make a pass so long that newly arrived mail waits for the whole flood.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cvd::app {

struct WaitingMessage {
    std::int64_t row_id = 0;
    std::string sender;  // normalised address; "" when unreadable (all such share one turn)
};

// Row ids to process in this pass, in order; at most `per_sender` of any one sender. Input
// order is each sender's own order (oldest first).
std::vector<std::int64_t> fair_order(const std::vector<WaitingMessage>& waiting,
                                     std::size_t per_sender);

// The normalised From address of raw message bytes, read from the header block alone; "" if
// there is none.
std::string sender_of(std::string_view raw);

}  // namespace cvd::app
