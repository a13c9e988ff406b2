#include "cvdbot/mail/parser.hpp"

#include <catch2/catch.hpp>

#include "cvdbot/core/text.hpp"
#include "cvdbot/core/time.hpp"
#include "cvdbot/mail/address.hpp"
#include "cvdbot/mail/composer.hpp"
#include "cvdbot/mail/date.hpp"
#include "test_util.hpp"

using namespace cvd::mail;
using cvd::mail::test::has_warning;
using cvd::mail::test::load;

TEST_CASE("plain ASCII message") {
    Message m = parse_message(load("plain_ascii.eml"));
    REQUIRE(m.from);
    CHECK(m.from->display_name == "Alice Example");
    CHECK(m.from->address == "alice@example.org");
    REQUIRE(m.to.size() == 1);
    CHECK(m.to[0].address == "cvd@example.test");
    REQUIRE(m.cc.size() == 2);
    CHECK(m.cc[0].display_name == "Bob, Jr.");
    CHECK(m.cc[1].display_name == "Carol C");
    CHECK(m.cc[1].address == "carol@example.org");
    CHECK(m.subject == "Vulnerability report: SQL injection in login form");
    CHECK(m.message_id == "report-1@example.org");
    REQUIRE(m.date);
    CHECK(cvd::core::format_iso8601(*m.date) == "2026-03-02T09:00:00Z");
    CHECK(m.text_body.find("I found an SQL injection") != std::string::npos);
    CHECK(m.text_body.find('\r') == std::string::npos);
    CHECK(m.text_charset == "us-ascii");
    CHECK(m.automatic == AutomaticKind::none);
    CHECK(m.warnings.empty());
    REQUIRE(m.header("received"));
    CHECK(m.header("Received")->find("by mail.example.test") != std::string::npos);
}

TEST_CASE("multipart/alternative prefers text/plain, QP decoded") {
    Message m = parse_message(load("multipart_alternative.eml"));
    CHECK(m.text_body ==
          "Thanks, we are looking into it — expect news within 5 days.\nCafé team\n");
    CHECK(m.text_charset == "utf-8");
    CHECK(m.attachments.empty());
    CHECK(m.in_reply_to == std::vector<std::string>{"ack-42@example.test"});
    CHECK(m.references == std::vector<std::string>{"report-1@example.org", "ack-42@example.test"});
    CHECK(m.message_id == "CAF=abc123@mail.vendor.example");
    CHECK(m.warnings.empty());
}

TEST_CASE("base64 UTF-8 body and encoded-word headers") {
    Message m = parse_message(load("base64_utf8_body.eml"));
    CHECK(m.subject == "テスト");
    CHECK(m.from->display_name == "山田");
    CHECK(m.text_body == "こんにちは、世界。\nHello, world.\n");
}

TEST_CASE("quoted-printable Latin-1 with soft breaks and LF line ends") {
    Message m = parse_message(load("qp_latin1.eml"));
    CHECK(m.subject == "Problème de sécurité");
    CHECK(m.from->display_name == "François Müller");
    CHECK(m.text_body ==
          "Bonjour, j'ai trouvé une faille très sérieuse dans votre produit qui "
          "permet l'exécution de code.\n");
    REQUIRE(m.date);
    CHECK(cvd::core::format_iso8601(*m.date) == "2026-03-05T09:00:00Z");
}

TEST_CASE("ISO-2022-JP subject, sender and body written by iconv") {
    Message m = parse_message(load("ja_iso2022jp_iconv.eml"));
    CHECK(m.subject == "脆弱性のご報告");
    CHECK(m.from->display_name == "山田太郎");
    CHECK(m.text_body ==
          "お世話になっております。\nクロスサイトスクリプティングの脆弱性を発見しました。\n"
          "よろしくお願いいたします。\n");
    CHECK(m.text_charset == "iso-2022-jp");
    CHECK(m.warnings.empty());
}

TEST_CASE("ISO-2022-JP with Microsoft extensions") {
    Message m = parse_message(load("ja_iso2022jp_ms_ext.eml"));
    CHECK(m.subject == "①件目：㈱テスト製品の脆弱性～ｶﾅ");
    CHECK(m.text_body == "①ログイン画面\n②管理画面\n㈱サンプル　～　ﾃｽﾄ\n");
    CHECK(m.warnings.empty());
}

TEST_CASE("Shift_JIS and EUC-JP bodies") {
    Message s = parse_message(load("ja_shift_jis.eml"));
    CHECK(s.subject == "製品の不具合について①");
    CHECK(s.text_body == "表示が崩れます。\n髙橋様（①～⑩）\n");
    CHECK(s.text_charset == "shift_jis");
    Message e = parse_message(load("ja_euc_jp_qp.eml"));
    CHECK(e.subject == "報告");
    CHECK(e.text_body == "日本語のテキストです。\n");
}

TEST_CASE("unlabeled and mislabeled Japanese is detected") {
    Message u = parse_message(load("ja_unlabeled_sjis.eml"));
    CHECK(u.text_body == "ラベルのない日本語です。\n");
    CHECK(u.text_charset == "shift_jis");
    Message m = parse_message(load("ja_mislabeled_sjis_as_jis.eml"));
    CHECK(m.text_body == "こんにちは、世界。\n");
    CHECK(has_warning(m.warnings, "read as shift_jis"));
}

TEST_CASE("html-only mail becomes readable text") {
    Message m = parse_message(load("html_only.eml"));
    CHECK(m.text_body.find("Name: Eve") != std::string::npos);
    CHECK(m.text_body.find("XSS in search <https://app.example.com/search> & profile") !=
          std::string::npos);
    CHECK(m.text_body.find("- Step one\n- Step two") != std::string::npos);
    CHECK(m.text_body.find("alert") == std::string::npos);
    CHECK(m.text_body.find("color") == std::string::npos);
}

TEST_CASE("attachments with RFC 2231 and RFC 2047 file names") {
    Message m = parse_message(load("attachment_rfc2231.eml"));
    CHECK(m.text_body == "See the attached proof of concept.\n");
    REQUIRE(m.attachments.size() == 2);
    CHECK(m.attachments[0].filename == "報告書.pdf");
    CHECK(m.attachments[0].content_type == "application/pdf");
    CHECK(m.attachments[0].bytes.substr(0, 8) == "%PDF-1.4");
    CHECK(m.attachments[1].filename == "poc.py");
    CHECK(m.attachments[1].bytes == "print(\"hello\")");
}

TEST_CASE("forwarded message/rfc822 is a nested message") {
    Message m = parse_message(load("forwarded_rfc822.eml"));
    CHECK(m.text_body == "Forwarding the vendor's answer.\n");
    REQUIRE(m.forwarded.size() == 1);
    CHECK(m.forwarded[0].subject == "We confirm the issue");
    CHECK(m.forwarded[0].message_id == "inner.1@vendor.example");
    CHECK(m.forwarded[0].text_body == "Confirmed; fix planned for April.\n");
}

TEST_CASE("missing headers, empty input, garbage and NUL bytes never fail") {
    Message empty = parse_message("");
    CHECK_FALSE(empty.warnings.empty());
    CHECK_FALSE(empty.from);

    Message body_only = parse_message("just some text\nwithout any header\n");
    CHECK(body_only.text_body == "just some text\nwithout any header\n");
    CHECK(has_warning(body_only.warnings, "no header"));

    std::string garbage;
    for (int i = 0; i < 4096; ++i) garbage.push_back(static_cast<char>((i * 7919) & 0xFF));
    Message g = parse_message(garbage);
    CHECK(cvd::core::is_valid_utf8(g.text_body));
    CHECK_FALSE(g.warnings.empty());

    std::string nul("Subject: a\0b\r\nFrom: x@example.org\r\n\r\nbody\0with nul", 48);
    Message n = parse_message(nul);
    CHECK(n.subject == "a b");
    CHECK(has_warning(n.warnings, "NUL"));

    Message no_blank = parse_message("Subject: hi\r\nHello there\r\n");
    CHECK(no_blank.subject == "hi");
    CHECK(no_blank.text_body == "Hello there\n");
    CHECK(has_warning(no_blank.warnings, "without a blank line"));

    Message headers_only = parse_message("Subject: only\r\nFrom: a@example.org\r\n");
    CHECK(headers_only.subject == "only");
    CHECK(headers_only.text_body.empty());
}

TEST_CASE("malformed MIME structure gives warnings and usable text") {
    Message no_boundary = parse_message(
        "From: a@example.org\r\nContent-Type: multipart/mixed\r\n\r\nplain after all\r\n");
    CHECK(no_boundary.text_body == "plain after all\n");
    CHECK(has_warning(no_boundary.warnings, "without a boundary"));

    Message unclosed = parse_message(
        "From: a@example.org\r\nContent-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\n"
        "Content-Type: text/plain\r\n\r\nfirst\r\n--x\r\n\r\nsecond\r\n");
    CHECK(unclosed.text_body == "first\nsecond\n");
    CHECK(has_warning(unclosed.warnings, "no closing boundary"));

    Message bad_b64 = parse_message(
        "From: a@example.org\r\nContent-Transfer-Encoding: base64\r\n\r\naGVs!!bG8=\r\n");
    CHECK(bad_b64.text_body == "hello\n");
    CHECK(has_warning(bad_b64.warnings, "invalid base64"));
}

TEST_CASE("limits: depth, parts, size, header bytes") {
    std::string deep = "From: a@example.org\r\n";
    for (int i = 0; i < 200; ++i)
        deep += "Content-Type: multipart/mixed; boundary=b" + std::to_string(i) + "\r\n\r\n--b" +
                std::to_string(i) + "\r\n";
    deep += "\r\ninnermost\r\n";
    Message d = parse_message(deep);
    CHECK(has_warning(d.warnings, "nesting deeper"));

    std::string many = "From: a@example.org\r\nContent-Type: multipart/mixed; boundary=z\r\n\r\n";
    for (int i = 0; i < 50; ++i) many += "--z\r\nContent-Type: text/plain\r\n\r\npart\r\n";
    many += "--z--\r\n";
    ParseLimits small;
    small.max_parts = 10;
    Message p = parse_message(many, small);
    CHECK(has_warning(p.warnings, "parts"));

    ParseLimits tiny;
    tiny.max_message_bytes = 40;
    Message t = parse_message("Subject: x\r\n\r\n" + std::string(100, 'a'), tiny);
    CHECK(has_warning(t.warnings, "exceeds"));
    CHECK(t.text_body.size() < 40);

    ParseLimits hdr;
    hdr.max_header_bytes = 100;
    Message h = parse_message(
        "Subject: " + std::string(500, 'x') + "\r\nFrom: a@b.example\r\n\r\nbody", hdr);
    CHECK(has_warning(h.warnings, "header exceeds"));
    CHECK(h.text_body == "body\n");
}

TEST_CASE("message ids are parsed robustly") {
    CHECK(parse_message_ids("<a@b>") == std::vector<std::string>{"a@b"});
    CHECK(parse_message_ids("a@b") == std::vector<std::string>{"a@b"});
    CHECK(parse_message_ids(" <a@b>\r\n\t<c@d>  junk <a@b>") ==
          std::vector<std::string>{"a@b", "c@d"});
    CHECK(parse_message_ids("<a@b> (from x@y) \"Your message of <z@w>\"") ==
          std::vector<std::string>{"a@b"});
    CHECK(parse_message_ids("<long-id\r\n @example.org>") ==
          std::vector<std::string>{"long-id@example.org"});
    CHECK(parse_message_ids("a@b, c@d") == std::vector<std::string>{"a@b", "c@d"});
    CHECK(parse_message_ids("").empty());
    CHECK(parse_message_ids("no ids here").empty());
}

TEST_CASE("address lists") {
    auto l = parse_address_list(
        "=?utf-8?Q?Doe,_J?= <j@x.example>, undisclosed-recipients:;, \"A \\\"q\\\"\" "
        "<a@x.example>");
    REQUIRE(l.size() == 2);
    CHECK(l[0].display_name == "Doe, J");
    CHECK(l[1].display_name == "A \"q\"");
    auto g = parse_address_list("team: a@x.example, b@x.example;, c@x.example");
    REQUIRE(g.size() == 3);
    CHECK(g[2].address == "c@x.example");
}

TEST_CASE("dates in the forms clients write") {
    auto iso = [](std::string_view v) {
        auto t = parse_rfc5322_date(v);
        return t ? cvd::core::format_iso8601(*t) : std::string("none");
    };
    CHECK(iso("Tue, 3 Mar 2026 10:15:00 +0900") == "2026-03-03T01:15:00Z");
    CHECK(iso("3 Mar 26 10:15 JST") == "2026-03-03T01:15:00Z");
    CHECK(iso("Tue Mar  3 10:15:00 2026") == "2026-03-03T10:15:00Z");
    CHECK(iso("Tue, 03 Mar 2026 10:15:00 -0500 (EST)") == "2026-03-03T15:15:00Z");
    CHECK(iso("31 Feb 2026 10:00:00 +0000") == "none");
    CHECK(iso("garbage") == "none");
}

TEST_CASE("format=flowed is unflowed, quotes kept apart") {
    Message m = parse_message(
        "From: a@x.example\r\nContent-Type: text/plain; charset=utf-8; format=flowed\r\n\r\n"
        "This is a long \r\nparagraph.\r\n> quoted \r\n> more\r\n-- \r\nsig\r\n");
    CHECK(m.text_body == "This is a long paragraph.\n> quoted more\n-- \nsig\n");
    Message d = parse_message(
        "From: a@x.example\r\nContent-Type: text/plain; charset=utf-8; format=flowed; "
        "delsp=yes\r\n\r\n"
        "日本語の長い\r\n行です。\r\n");
    CHECK(d.text_body == "日本語の長い\n行です。\n");
    Message e = parse_message(
        "From: a@x.example\r\nContent-Type: text/plain; charset=utf-8; format=flowed; "
        "delsp=yes\r\n\r\n"
        "日本語の長い \r\n行です。\r\n");
    CHECK(e.text_body == "日本語の長い行です。\n");
}

TEST_CASE("CR-only line ends are read") {
    Message m = parse_message("From: a@x.example\rSubject: old mac\r\rbody line\r");
    CHECK(m.subject == "old mac");
    CHECK(m.text_body == "body line\n");
}

TEST_CASE("HTML without a charset parameter uses its meta charset") {
    std::string sjis_html =
        "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; "
        "charset=Shift_JIS\"></head><body>\x83\x65\x83\x58\x83\x67</body></html>";
    Message m = parse_message("From: a@x.example\r\nContent-Type: text/html\r\n\r\n" + sjis_html);
    CHECK(m.text_body == "テスト\n");
    CHECK(m.text_charset == "shift_jis");
}

// parse_message_deferred (what intake uses): large attachments stay encoded in the raw bytes
// and are decoded on demand, with the same content and the same warnings as parse_message.
TEST_CASE("deferred attachments decode to what parse_message gives") {
    auto part = [](const std::string& name, const std::string& cte, const std::string& body) {
        return "--b\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; "
               "filename=\"" +
               name + "\"\r\n" + (cte.empty() ? "" : "Content-Transfer-Encoding: " + cte + "\r\n") +
               "\r\n" + body + "\r\n";
    };
    const std::string raw =
        "From: a@example.org\r\nSubject: files\r\nMIME-Version: 1.0\r\n"
        "Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n"
        "--b\r\nContent-Type: text/plain\r\n\r\nthe report\r\n" +
        part("good.bin", "base64", "aGVsbG8g\r\nd29ybGQ=") +
        part("bad.bin", "base64", "aGVs!!bG8=\r\n") +
        part("qp.txt", "quoted-printable", "caf=C3=A9 =\r\nsoft break") +
        part("plain.txt", "", "as it is\r\n") + part("odd.bin", "x-uuencode", "begin 644 x") +
        part("tiny.bin", "base64", "eA==") +
        "--b\r\nContent-Type: message/rfc822\r\n\r\nFrom: c@example.org\r\nContent-Type: "
        "multipart/mixed; "
        "boundary=\"i\"\r\n\r\n--i\r\nContent-Type: application/zip\r\nContent-Disposition: "
        "attachment; "
        "filename=\"inner.zip\"\r\nContent-Transfer-Encoding: base64\r\n\r\nUEsDBA==\r\n--i--\r\n"
        "\r\n--b--\r\n";
    const Message eager = parse_message(raw);
    const Message deferred = parse_message_deferred(raw, 6);
    CHECK(deferred.warnings == eager.warnings);
    CHECK(has_warning(deferred.warnings, "invalid base64"));
    CHECK(has_warning(deferred.warnings, "unknown Content-Transfer-Encoding"));
    CHECK(deferred.text_body == eager.text_body);
    REQUIRE(deferred.attachments.size() == eager.attachments.size());
    REQUIRE(deferred.attachments.size() == 6);
    for (std::size_t i = 0; i < eager.attachments.size(); ++i) {
        const auto& e = eager.attachments[i];
        const auto& d = deferred.attachments[i];
        INFO(e.filename);
        CHECK_FALSE(e.deferred);
        CHECK(d.filename == e.filename);
        CHECK(d.content_type == e.content_type);
        std::string scratch;
        CHECK(d.content(scratch) == e.bytes);
        for (std::size_t n : {0, 1, 3, 5, 100}) CHECK(d.content_prefix(n) == e.bytes.substr(0, n));
    }
    CHECK(deferred.attachments[0].deferred);
    CHECK_FALSE(deferred.attachments[5].deferred);  // "eA==" is under the threshold: decoded
    // A forwarded message is parsed from a decoded copy that ends with the parse: never deferred.
    REQUIRE(deferred.forwarded.size() == 1);
    REQUIRE(deferred.forwarded[0].attachments.size() == 1);
    CHECK_FALSE(deferred.forwarded[0].attachments[0].deferred);
    CHECK(deferred.forwarded[0].attachments[0].bytes == "PK\x03\x04");
}

TEST_CASE("a deferred base64 attachment's prefix is exact across lines") {
    std::string bytes;
    for (int i = 0; i < 5000; ++i) bytes += static_cast<char>((i * 7919) & 0xff);
    // Base64 in lines as the composer writes it.
    OutgoingMessage out;
    out.from = {"", "a@example.org"};
    out.to = {{"", "b@example.org"}};
    out.subject = "x";
    out.text_body = "see\n";
    out.attachments.push_back({"x.bin", "application/octet-stream", bytes});
    auto composed = compose_message(out);
    REQUIRE(composed.ok());
    const std::string& raw = *composed;
    const Message m = parse_message_deferred(raw, 1);
    REQUIRE(m.attachments.size() == 1);
    REQUIRE(m.attachments[0].deferred);
    std::string scratch;
    CHECK(m.attachments[0].content(scratch) == bytes);
    for (std::size_t n : {1, 2, 3, 4, 57, 100, 1000, 3333, 4999, 5000, 6000})
        CHECK(m.attachments[0].content_prefix(n) == bytes.substr(0, n));
}
