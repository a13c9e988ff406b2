// libFuzzer target: whatever a subject, display name and body contain, composing either
// refuses (line breaks, NUL) or writes mail that parses back to the same values.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "cvdbot/core/text.hpp"
#include "cvdbot/core/time.hpp"
#include "cvdbot/mail/composer.hpp"
#include "cvdbot/mail/parser.hpp"

namespace {

bool has_controls(const std::string& s) {
    for (unsigned char c : s)
        if (c < 0x20 || c == 0x7F) return true;
    return false;
}

std::string trimmed(const std::string& s) {
    return std::string(cvd::core::trim(s));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string input(reinterpret_cast<const char*>(data), size);
    // Three fields separated by 0xFF bytes (never valid UTF-8 on its own).
    std::size_t a = input.find('\xff');
    std::size_t b = a == std::string::npos ? a : input.find('\xff', a + 1);
    cvd::mail::OutgoingMessage m;
    m.from = {"Bot", "bot@example.test"};
    m.subject = cvd::core::sanitize_utf8(input.substr(0, a));
    m.to = {{a == std::string::npos ? "" : cvd::core::sanitize_utf8(input.substr(a + 1, b - a - 1)),
             "to@example.org"}};
    m.text_body = b == std::string::npos ? "" : cvd::core::sanitize_utf8(input.substr(b + 1));
    m.message_id = "id@example.test";
    m.date = cvd::core::from_unix(1772534100);
    auto composed = cvd::mail::compose_message(m);
    if (!composed) return 0;
    cvd::mail::Message back = cvd::mail::parse_message(*composed);
    // Controls other than line breaks are neutralized on the way back; compare the rest.
    if (!has_controls(m.subject) && back.subject != trimmed(m.subject)) std::abort();
    if (back.to.size() != 1 || back.to[0].address != "to@example.org") std::abort();
    if (!has_controls(m.to[0].display_name) &&
        back.to[0].display_name != trimmed(m.to[0].display_name))
        std::abort();
    return 0;
}
