#include "cvdbot/core/result.hpp"

namespace cvd::core {

const char* to_string(ErrorKind kind) {
    switch (kind) {
        case ErrorKind::invalid_input: return "invalid input";
        case ErrorKind::not_found: return "not found";
        case ErrorKind::conflict: return "conflict";
        case ErrorKind::io: return "I/O error";
        case ErrorKind::network: return "network error";
        case ErrorKind::rejected: return "rejected";
        case ErrorKind::crypto: return "crypto error";
        case ErrorKind::config: return "configuration error";
        case ErrorKind::internal: return "internal error";
    }
    return "error";
}

std::string describe(const Error& error) {
    return std::string(to_string(error.kind)) + ": " + error.message;
}

}  // namespace cvd::core
