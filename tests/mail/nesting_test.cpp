// Zip-bomb-like mail: nesting a thousand levels deep, tens of thousands of parts, a large
// base64 part, compressed content. Each must stay within ParseLimits' bounds: a warning, a
// truncated model, and time and memory linear in the input.
#include <catch2/catch.hpp>
#include <chrono>
#include <string>

#include "cvdbot/mail/parser.hpp"
#include "test_util.hpp"

using namespace cvd::mail;
using cvd::mail::test::has_warning;

namespace {

// The total of parts the model holds, forwarded messages included.
std::size_t parts_in(const Message& m) {
    std::size_t n = m.attachments.size();
    for (const auto& f : m.forwarded) n += 1 + parts_in(f);
    return n;
}

// A warning anywhere in the tree: a forwarded message's own warnings stay with it.
bool warned_anywhere(const Message& m, const std::string& text) {
    if (has_warning(m.warnings, text)) return true;
    for (const auto& f : m.forwarded)
        if (warned_anywhere(f, text)) return true;
    return false;
}

int forwarded_depth(const Message& m) {
    int deepest = 0;
    for (const auto& f : m.forwarded) deepest = std::max(deepest, 1 + forwarded_depth(f));
    return deepest;
}

template <typename F>
double seconds_for(F&& f) {
    const auto start = std::chrono::steady_clock::now();
    f();
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

TEST_CASE("a thousand nested multiparts are cut at the depth limit, the text before kept") {
    std::string raw = "From: a@example.org\r\nSubject: deep\r\n";
    for (int i = 0; i < 1000; ++i)
        raw += "Content-Type: multipart/mixed; boundary=b" + std::to_string(i) + "\r\n\r\n--b" +
               std::to_string(i) + "\r\n";
    raw += "Content-Type: text/plain\r\n\r\ninnermost\r\n";
    Message m;
    CHECK(seconds_for([&] { m = parse_message(raw); }) < 5.0);
    CHECK(has_warning(m.warnings, "nesting deeper"));
    CHECK(m.subject == "deep");
    CHECK(m.text_body.find("innermost") == std::string::npos);
}

TEST_CASE("a thousand nested message/rfc822 parts stop at the depth limit") {
    std::string raw = "From: a@example.org\r\nSubject: outer\r\n";
    for (int i = 0; i < 1000; ++i)
        raw += "Content-Type: message/rfc822\r\n\r\nSubject: level " + std::to_string(i) + "\r\n";
    raw += "\r\ninnermost\r\n";
    Message m;
    CHECK(seconds_for([&] { m = parse_message(raw); }) < 5.0);
    CHECK(warned_anywhere(m, "nested too deep"));
    CHECK(m.subject == "outer");
    CHECK(forwarded_depth(m) <= ParseLimits{}.max_depth);
}

TEST_CASE("tens of thousands of parts are cut at the part limit") {
    std::string raw = "From: a@example.org\r\nContent-Type: multipart/mixed; boundary=z\r\n\r\n";
    raw += "--z\r\nContent-Type: text/plain\r\n\r\nthe report\r\n";
    for (int i = 0; i < 30000; ++i)
        raw +=
            "--z\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; "
            "filename=p" +
            std::to_string(i) + "\r\n\r\nx\r\n";
    raw += "--z--\r\n";
    Message m;
    CHECK(seconds_for([&] { m = parse_message(raw); }) < 10.0);
    CHECK(has_warning(m.warnings, "parts"));
    CHECK(parts_in(m) <= ParseLimits{}.max_parts);
    CHECK(m.text_body.find("the report") != std::string::npos);
}

TEST_CASE(
    "a large base64 part decodes to at most the bytes sent; compressed content stays compressed") {
    // 8 MB of base64 lines: decoded 6 MB, never more than its input.
    std::string raw =
        "From: a@example.org\r\nContent-Type: multipart/mixed; boundary=z\r\n\r\n"
        "--z\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n"
        "--z\r\nContent-Type: application/gzip\r\nContent-Transfer-Encoding: base64\r\n"
        "Content-Disposition: attachment; filename=bomb.gz\r\n\r\n";
    const std::string line = std::string(76, 'A') + "\r\n";
    for (int i = 0; i < 8 * 1024 * 1024 / 78; ++i) raw += line;
    raw += "--z--\r\n";
    Message m;
    CHECK(seconds_for([&] { m = parse_message(raw); }) < 10.0);
    REQUIRE(m.attachments.size() == 1);
    CHECK(m.attachments[0].content_type == "application/gzip");
    CHECK(m.attachments[0].bytes.size() <= raw.size() * 3 / 4);
    CHECK(m.text_body.find("see attached") != std::string::npos);

    // Over the message size limit: cut, with a warning, not decoded beyond it.
    ParseLimits small;
    small.max_message_bytes = 1 << 20;
    Message cut = parse_message(raw, small);
    CHECK(has_warning(cut.warnings, "exceeds"));
    CHECK(parts_in(cut) <= 2);
    for (const auto& a : cut.attachments) CHECK(a.bytes.size() <= small.max_message_bytes);
}
