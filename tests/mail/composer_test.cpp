#include "cvdbot/mail/composer.hpp"

#include <catch2/catch.hpp>
#include <functional>

#include "cvdbot/core/text.hpp"
#include "cvdbot/mail/parser.hpp"

using namespace cvd::mail;

namespace {

OutgoingMessage sample() {
    OutgoingMessage m;
    m.from = {"CVD Bot", "bot@example.test"};
    m.to = {{"Taro Yamada", "taro@example.jp"}};
    m.subject = "Acknowledgment";
    m.message_id = "ack-1@example.test";
    m.date = cvd::core::from_unix(1772534100);  // 2026-03-03T10:35:00Z
    m.text_body = "Thank you for your report.\n";
    return m;
}

std::string compose_ok(const OutgoingMessage& m) {
    auto r = compose_message(m);
    INFO((r.ok() ? std::string() : r.error().message));
    REQUIRE(r.ok());
    return r.value();
}

// Header lines of a composed message (up to the blank line).
std::vector<std::string> header_lines(const std::string& bytes) {
    std::vector<std::string> lines;
    std::size_t pos = 0;
    while (true) {
        std::size_t eol = bytes.find("\r\n", pos);
        if (eol == std::string::npos || eol == pos) break;
        lines.push_back(bytes.substr(pos, eol - pos));
        pos = eol + 2;
    }
    return lines;
}

bool only_crlf_line_ends(const std::string& bytes) {
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        if (bytes[i] == '\n' && (i == 0 || bytes[i - 1] != '\r')) return false;
        if (bytes[i] == '\r' && (i + 1 >= bytes.size() || bytes[i + 1] != '\n')) return false;
    }
    return true;
}

}  // namespace

TEST_CASE("plain ASCII mail is 7bit with the expected headers") {
    std::string out = compose_ok(sample());
    CHECK(only_crlf_line_ends(out));
    CHECK(out.find("Date: Tue, 03 Mar 2026 10:35:00 +0000\r\n") != std::string::npos);
    CHECK(out.find("From: CVD Bot <bot@example.test>\r\n") != std::string::npos);
    CHECK(out.find("Message-ID: <ack-1@example.test>\r\n") != std::string::npos);
    CHECK(out.find("MIME-Version: 1.0\r\n") != std::string::npos);
    CHECK(out.find("Content-Type: text/plain; charset=utf-8\r\n") != std::string::npos);
    CHECK(out.find("Content-Transfer-Encoding: 7bit\r\n") != std::string::npos);
    Message back = parse_message(out);
    CHECK(back.text_body == "Thank you for your report.\n");
    CHECK(back.warnings.empty());
}

TEST_CASE("Japanese subject, names and body round-trip") {
    OutgoingMessage m = sample();
    m.subject = "[CVD#2026-0042] 脆弱性のご報告を受け付けました（①～㈱）";
    m.from.display_name = "脆弱性調整ボット";
    m.to = {{"山田 太郎", "taro@example.jp"}, {"Smith, \"Jo\"", "jo@example.org"}};
    m.cc = {{"Café Ops", "ops@example.fr"}};
    m.text_body = "山田様\n\nご報告ありがとうございます。\n受付番号: CVD#2026-0042\n";
    m.in_reply_to = {"report-1@example.jp"};
    m.references = {"report-1@example.jp"};
    m.auto_submitted = "auto-replied";
    std::string out = compose_ok(m);
    for (const auto& line : header_lines(out)) {
        INFO(line);
        CHECK(line.size() <= 78);
        CHECK(cvd::core::is_valid_utf8(line));
        for (unsigned char c : line) CHECK(c < 0x80);
    }
    CHECK(out.find("Content-Transfer-Encoding: base64") != std::string::npos);
    Message back = parse_message(out);
    CHECK(back.subject == m.subject);
    CHECK(back.from->display_name == "脆弱性調整ボット");
    REQUIRE(back.to.size() == 2);
    CHECK(back.to[0].display_name == "山田 太郎");
    CHECK(back.to[1].display_name == "Smith, \"Jo\"");
    CHECK(back.to[1].address == "jo@example.org");
    CHECK(back.cc[0].display_name == "Café Ops");
    CHECK(back.text_body == m.text_body);
    CHECK(back.in_reply_to == m.in_reply_to);
    CHECK(back.references == m.references);
    CHECK(back.automatic == AutomaticKind::auto_reply);
    CHECK(back.warnings.empty());
}

TEST_CASE("long subjects fold within 78 columns and keep their tag") {
    OutgoingMessage m = sample();
    m.subject = "Re: [CVD#2026-0042] ";
    for (int i = 0; i < 12; ++i) m.subject += "a long subject word ";
    m.subject += "end";
    std::string out = compose_ok(m);
    for (const auto& line : header_lines(out)) CHECK(line.size() <= 78);
    CHECK(parse_message(out).subject == m.subject);

    m.subject = "[CVD#2026-0042] ";
    for (int i = 0; i < 30; ++i) m.subject += "長い件名";
    out = compose_ok(m);
    for (const auto& line : header_lines(out)) CHECK(line.size() <= 78);
    CHECK(parse_message(out).subject == m.subject);
}

TEST_CASE("mostly ASCII text uses quoted-printable; long lines too") {
    OutgoingMessage m = sample();
    m.text_body = "Café au lait = good.\n" + std::string(120, 'x') + "\nend  \n.leading dot\n";
    std::string out = compose_ok(m);
    CHECK(out.find("Content-Transfer-Encoding: quoted-printable") != std::string::npos);
    std::size_t body = out.find("\r\n\r\n");
    std::size_t pos = body + 4;
    while (pos < out.size()) {
        std::size_t eol = out.find("\r\n", pos);
        CHECK(eol - pos <= 76);
        pos = eol + 2;
    }
    CHECK(parse_message(out).text_body == m.text_body);
}

TEST_CASE("attachments make multipart/mixed with RFC 2231 file names") {
    OutgoingMessage m = sample();
    m.attachments.push_back({"報告書 最終版（確定）とても長いファイル名のテスト.pdf",
                             "application/pdf", std::string("%PDF-1.4\0binary\xff", 17)});
    m.attachments.push_back({"key.asc", "application/pgp-keys", "-----BEGIN PGP PUBLIC KEY-----"});
    std::string out = compose_ok(m);
    for (const auto& line : header_lines(out)) CHECK(line.size() <= 78);
    Message back = parse_message(out);
    CHECK(back.text_body == m.text_body);
    REQUIRE(back.attachments.size() == 2);
    CHECK(back.attachments[0].filename == m.attachments[0].filename);
    CHECK(back.attachments[0].content_type == "application/pdf");
    CHECK(back.attachments[0].bytes == m.attachments[0].bytes);
    CHECK(back.attachments[1].filename == "key.asc");
    CHECK(back.warnings.empty());
}

TEST_CASE("header injection is refused for every field") {
    const std::vector<std::string> evil{"x\r\nBcc: victim@example.org", "x\nBcc: v@example.org",
                                        "x\rBcc: v@example.org", std::string("x\0y", 3)};
    for (const auto& bad : evil) {
        std::vector<std::function<void(OutgoingMessage&)>> setters{
            [&](OutgoingMessage& m) { m.subject = bad; },
            [&](OutgoingMessage& m) { m.from.display_name = bad; },
            [&](OutgoingMessage& m) { m.from.address = bad; },
            [&](OutgoingMessage& m) { m.to[0].display_name = bad; },
            [&](OutgoingMessage& m) { m.to[0].address = bad; },
            [&](OutgoingMessage& m) {
                m.cc = {{bad, "c@example.org"}};
            },
            [&](OutgoingMessage& m) {
                m.cc = {{"C", bad}};
            },
            [&](OutgoingMessage& m) { m.message_id = bad; },
            [&](OutgoingMessage& m) { m.in_reply_to = {bad}; },
            [&](OutgoingMessage& m) {
                m.references = {"ok@x", bad};
            },
            [&](OutgoingMessage& m) { m.auto_submitted = bad; },
            [&](OutgoingMessage& m) {
                m.extra_headers = {{"X-Case", bad}};
            },
            [&](OutgoingMessage& m) {
                m.extra_headers = {{bad, "v"}};
            },
            [&](OutgoingMessage& m) {
                m.attachments = {{bad, "text/plain", "x"}};
            },
            [&](OutgoingMessage& m) {
                m.attachments = {{"a.txt", bad, "x"}};
            },
        };
        for (std::size_t i = 0; i < setters.size(); ++i) {
            OutgoingMessage m = sample();
            setters[i](m);
            auto r = compose_message(m);
            INFO("setter " << i);
            REQUIRE_FALSE(r.ok());
            CHECK(r.error().kind == cvd::core::ErrorKind::invalid_input);
        }
    }
}

TEST_CASE("implausible addresses and reserved extra headers are refused") {
    for (std::string bad :
         {"no-at", "a@", "@b", "a b@c.example", "<a@b.example>", "a@b.example, c@d"}) {
        OutgoingMessage m = sample();
        m.to[0].address = bad;
        CHECK_FALSE(compose_message(m).ok());
    }
    OutgoingMessage m = sample();
    m.extra_headers = {{"Content-Type", "text/html"}};
    CHECK_FALSE(compose_message(m).ok());
    m.extra_headers = {{"X-CVD-Case", "CVD#2026-0042"}, {"X-Note", "日本語の値"}};
    std::string out = compose_ok(m);
    Message back = parse_message(out);
    REQUIRE(back.header("X-Note"));
    CHECK(*back.header("X-Note") == "日本語の値");
}

TEST_CASE("References are trimmed to the root and the latest ids") {
    OutgoingMessage m = sample();
    for (int i = 0; i < 30; ++i) m.references.push_back("r" + std::to_string(i) + "@x.example");
    Message back = parse_message(compose_ok(m));
    REQUIRE(back.references.size() == 20);
    CHECK(back.references.front() == "r0@x.example");
    CHECK(back.references[1] == "r11@x.example");
    CHECK(back.references.back() == "r29@x.example");
}

TEST_CASE("make_message_id") {
    std::string id = make_message_id("example.test");
    CHECK(id.size() > 20);
    CHECK(id.substr(id.size() - 13) == "@example.test");
    CHECK(make_message_id("example.test") != id);
    CHECK(make_message_id("bad domain").find("@cvdbot.invalid") != std::string::npos);
    OutgoingMessage m = sample();
    m.message_id.clear();
    CHECK(parse_message(compose_ok(m)).message_id.find("@example.test") != std::string::npos);
}

TEST_CASE("regression: display names made of specials survive a round trip") {
    for (std::string name : {"<", ">", "\"", "\\", "a <b@c> d", "x, y; z:", "(comment)", "=?x?="}) {
        OutgoingMessage m = sample();
        m.to[0].display_name = name;
        Message back = parse_message(compose_ok(m));
        REQUIRE(back.to.size() == 1);
        CHECK(back.to[0].display_name == name);
        CHECK(back.to[0].address == "taro@example.jp");
    }
}

TEST_CASE("regression: several spaces between non-ASCII words survive") {
    OutgoingMessage m = sample();
    m.subject = "\xEF\xBF\xBD   \xEF\xBF\xBD\xEF\xBF\xBD end";
    CHECK(parse_message(compose_ok(m)).subject == m.subject);
    m.subject = "日本  語   x  y";
    CHECK(parse_message(compose_ok(m)).subject == m.subject);
}
