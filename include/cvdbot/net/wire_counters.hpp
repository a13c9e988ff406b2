#pragma once
// Protocol bytes a client has exchanged, for the app's statistics.

#include <cstdint>

namespace cvd::net {

// Counted above TLS: the IMAP/SMTP lines and message data, the same whether or not the
// connection is encrypted. Totals since the client was made, over all its connections.
struct WireCounters {
    std::uint64_t bytes_sent = 0;
    std::uint64_t bytes_received = 0;
    // Connections opened (each with its greeting, TLS and login): 1 while one is reused.
    std::uint64_t connections = 0;
};

}  // namespace cvd::net
