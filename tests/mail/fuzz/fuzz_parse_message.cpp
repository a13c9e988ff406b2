// libFuzzer target: any bytes must parse without a crash, a sanitizer report or a leak, and
// every string in the model must be valid UTF-8.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "cvdbot/core/text.hpp"
#include "cvdbot/mail/bounce.hpp"
#include "cvdbot/mail/describe.hpp"
#include "cvdbot/mail/parser.hpp"
#include "cvdbot/mail/threading.hpp"

namespace {

void check_utf8(std::string_view s) {
    if (!cvd::core::is_valid_utf8(s)) std::abort();
}

void check(const cvd::mail::Message& m) {
    check_utf8(m.subject);
    check_utf8(m.text_body);
    check_utf8(m.message_id);
    for (const auto& id : m.references) check_utf8(id);
    for (const auto& id : m.in_reply_to) check_utf8(id);
    if (m.from) {
        check_utf8(m.from->display_name);
        check_utf8(m.from->address);
    }
    for (const auto* list : {&m.to, &m.cc, &m.reply_to})
        for (const auto& a : *list) {
            check_utf8(a.display_name);
            check_utf8(a.address);
        }
    for (const auto& [name, value] : m.headers) {
        check_utf8(value);
        if (value.find_first_of("\r\n") != std::string::npos) std::abort();
    }
    for (const auto& a : m.attachments) check_utf8(a.filename);
    for (const auto& w : m.warnings) check_utf8(w);
    for (const auto& f : m.forwarded) check(f);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view raw(reinterpret_cast<const char*>(data), size);
    cvd::mail::ParseLimits limits;
    limits.max_message_bytes = 1u << 20;
    cvd::mail::Message m = cvd::mail::parse_message(raw, limits);
    check(m);
    (void)cvd::mail::parse_bounce(m);
    (void)cvd::mail::find_case_tag(m, "CVD");
    cvd::mail::DescribeOptions options;
    options.case_prefix = "CVD";
    (void)cvd::mail::describe_message(m, options);
    (void)cvd::mail::message_to_json(m, options);
    return 0;
}
