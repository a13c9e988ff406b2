#include "cvdbot/mail/threading.hpp"

#include <catch2/catch.hpp>

#include "cvdbot/mail/parser.hpp"

using namespace cvd::mail;

TEST_CASE("reply and forward prefixes are stripped") {
    CHECK(strip_subject_prefixes("Re: Fwd: AW: SV: report") == "report");
    CHECK(strip_subject_prefixes("RE[2]: Re^3: FW:report") == "report");
    CHECK(strip_subject_prefixes("返信: 転送：【CVD#2026-0042】脆弱性") ==
          "【CVD#2026-0042】脆弱性");
    CHECK(strip_subject_prefixes("Regarding the issue") == "Regarding the issue");
    CHECK(strip_subject_prefixes("Re: ") == "");
}

TEST_CASE("case tag behind prefixes, encoded words, brackets and full-width forms") {
    auto tag = [](const std::string& raw_subject) {
        Message m = parse_message("From: a@x.example\r\nSubject: " + raw_subject + "\r\n\r\nx\r\n");
        auto id = find_case_tag(m, "CVD");
        return id ? id->str() : std::string("none");
    };
    CHECK(tag("Re: RE: Fwd: [CVD#2026-0042] report") == "CVD#2026-0042");
    CHECK(tag("=?UTF-8?B?6L+U5L+hOiDjgJBDVkQjMjAyNi0wMDQy44CR6ISG5byx5oCn?=") == "CVD#2026-0042");
    CHECK(tag("=?UTF-8?B?77y7Q1ZE77yDMjAyNi0wMDQy77y9?=") ==
          "CVD#2026-0042");  // ［CVD＃2026-0042］
    std::string long_subject = "Re: ";
    for (int i = 0; i < 20; ++i) long_subject += "=?utf-8?B?6ISG5byx5oCn?=\r\n ";
    long_subject += "[CVD#2026-0077]";
    CHECK(tag(long_subject) == "CVD#2026-0077");
    CHECK(tag("no tag here") == "none");
}

TEST_CASE("case tag from a forwarded message, lookup ids most specific first") {
    Message m;
    m.subject = "Fwd: see below";
    Message inner;
    inner.subject = "[CVD#2026-0001] hello";
    m.forwarded.push_back(inner);
    REQUIRE(find_case_tag(m, "CVD"));
    m.in_reply_to = {"c@x"};
    m.references = {"a@x", "b@x", "c@x"};
    CHECK(thread_lookup_ids(m) == std::vector<std::string>{"c@x", "b@x", "a@x"});
}
