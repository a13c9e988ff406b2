#include "idle_protocol.hpp"

#include <algorithm>

#include "cvdbot/core/text.hpp"

namespace cvd::net::imap {

namespace {

std::string_view next_word(std::string_view& text) {
    auto start = text.find_first_not_of(' ');
    if (start == std::string_view::npos) {
        text = {};
        return {};
    }
    text.remove_prefix(start);
    auto end = std::min(text.find_first_of(" ]"), text.size());
    auto word = text.substr(0, end);
    text.remove_prefix(end);
    if (!text.empty() && text.front() == ']') text.remove_prefix(1);
    return word;
}

bool is_number(std::string_view word) {
    return !word.empty() && word.size() <= 10 &&
           std::all_of(word.begin(), word.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

void LineBuffer::feed(std::string_view bytes) {
    if (overflowed_) return;
    pending_.append(bytes);
}

std::optional<std::string> LineBuffer::next_line() {
    if (overflowed_) return std::nullopt;
    auto end = pending_.find('\n');
    if (end == std::string::npos) {
        if (pending_.size() > max_line_) overflowed_ = true;
        return std::nullopt;
    }
    if (end > max_line_) {
        overflowed_ = true;
        return std::nullopt;
    }
    std::string line = pending_.substr(0, end);
    pending_.erase(0, end + 1);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
}

std::string LineBuffer::take(std::size_t max) {
    std::string bytes = pending_.substr(0, max);
    pending_.erase(0, bytes.size());
    return bytes;
}

void LineBuffer::clear() {
    pending_.clear();
    overflowed_ = false;
}

IdleLine classify_idle_line(std::string_view line, std::string_view tag) {
    if (line == "+" || line.substr(0, 2) == "+ ") return IdleLine::continuation;
    std::string_view rest = line;
    auto first = next_word(rest);
    if (first == "*") {
        auto second = next_word(rest);
        if (core::iequals_ascii(second, "BYE")) return IdleLine::bye;
        auto third = next_word(rest);
        if (is_number(second) &&
            (core::iequals_ascii(third, "EXISTS") || core::iequals_ascii(third, "RECENT"))) {
            return IdleLine::mailbox_changed;
        }
        return IdleLine::other;
    }
    if (!tag.empty() && first == tag) {
        auto status = next_word(rest);
        return core::iequals_ascii(status, "OK") ? IdleLine::tagged_ok : IdleLine::tagged_failure;
    }
    return IdleLine::other;
}

std::optional<std::uint64_t> literal_size(std::string_view line) {
    if (line.size() < 3 || line.back() != '}') return std::nullopt;
    auto open = line.rfind('{');
    if (open == std::string_view::npos) return std::nullopt;
    auto digits = line.substr(open + 1, line.size() - open - 2);
    if (!is_number(digits)) return std::nullopt;
    return std::stoull(std::string(digits));
}

std::optional<std::uint64_t> fetch_number(std::string_view text, std::string_view name) {
    // Words are separated by spaces and parentheses; the name is followed by its number.
    std::string_view previous;
    for (std::size_t pos = 0; pos < text.size();) {
        auto start = text.find_first_not_of(" ()", pos);
        if (start == std::string_view::npos) break;
        auto end = std::min(text.find_first_of(" ()", start), text.size());
        auto word = text.substr(start, end - start);
        if (core::iequals_ascii(previous, name)) {
            if (!is_number(word)) return std::nullopt;
            return std::stoull(std::string(word));
        }
        previous = word;
        pos = end;
    }
    return std::nullopt;
}

std::optional<std::uint32_t> fetch_uid(std::string_view text) {
    auto value = fetch_number(text, "UID");
    if (!value || *value == 0 || *value > 0xffffffffull) return std::nullopt;
    return static_cast<std::uint32_t>(*value);
}

bool lists_capability(std::string_view line, std::string_view capability) {
    std::string_view rest = line;
    if (next_word(rest) != "*") return false;
    auto word = next_word(rest);
    if (core::iequals_ascii(word, "OK")) {
        if (rest.find_first_not_of(' ') == std::string_view::npos) return false;
        rest.remove_prefix(rest.find_first_not_of(' '));
        if (rest.empty() || rest.front() != '[') return false;
        rest.remove_prefix(1);
        rest = rest.substr(0, rest.find(']'));  // the text after the code is not a capability
        word = next_word(rest);
    }
    if (!core::iequals_ascii(word, "CAPABILITY")) return false;
    for (auto cap = next_word(rest); !cap.empty(); cap = next_word(rest)) {
        if (core::iequals_ascii(cap, capability)) return true;
    }
    return false;
}

}  // namespace cvd::net::imap
