#pragma once
// The few IMAP responses an IDLE connection has to understand, without I/O: splitting the byte
// stream into lines and telling tagged completions, continuations and mailbox changes apart.
// Internal to the net module; unit-tested on its own.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cvd::net::imap {

// Collects received bytes and hands out complete lines (without CRLF). A line longer than
// `max_line` is a protocol violation (or an attack): overflowed() says so and nothing more
// is returned.
class LineBuffer {
  public:
    explicit LineBuffer(std::size_t max_line = 64 * 1024) : max_line_(max_line) {}
    void feed(std::string_view bytes);
    std::optional<std::string> next_line();
    bool overflowed() const { return overflowed_; }
    // Up to `max` bytes of what was fed and not yet handed out: the start of a literal.
    std::string take(std::size_t max);
    void clear();

  private:
    std::string pending_;
    std::size_t max_line_;
    bool overflowed_ = false;
};

enum class IdleLine {
    continuation,     // "+ idling": the server accepted IDLE
    tagged_ok,        // "<tag> OK ..." for our tag
    tagged_failure,   // "<tag> NO/BAD ..." for our tag
    mailbox_changed,  // "* n EXISTS" or "* n RECENT": new mail may be there
    bye,              // "* BYE ...": the server is closing the connection
    other,            // anything else ("* OK Still here", "* n EXPUNGE", FLAGS updates...)
};

IdleLine classify_idle_line(std::string_view line, std::string_view tag);

// The size of the literal that ends a response line ("... BODY[] {1234}"); nullopt if none.
std::optional<std::uint64_t> literal_size(std::string_view line);

// A number in the attribute list of a FETCH response, or in the rest of it after a literal:
// "UID" in "* 3 FETCH (UID 345 BODY[] {12}" or " UID 345)"; nullopt if it is not there.
std::optional<std::uint64_t> fetch_number(std::string_view text, std::string_view name);
// The UID of such a response, 1..2^32-1.
std::optional<std::uint32_t> fetch_uid(std::string_view text);

// Whether a "* CAPABILITY ..." line (or "* OK [CAPABILITY ...]") lists `capability`.
bool lists_capability(std::string_view line, std::string_view capability);

}  // namespace cvd::net::imap
