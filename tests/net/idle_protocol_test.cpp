// The IDLE connection's line handling, without a server.

#include "idle_protocol.hpp"

#include <catch2/catch.hpp>

using namespace cvd::net::imap;

TEST_CASE("the line buffer hands out complete lines, however the bytes arrive") {
    LineBuffer buffer;
    buffer.feed("* 3 EXI");
    CHECK_FALSE(buffer.next_line());
    buffer.feed("STS\r\n+ idling\r\nI2 OK");
    CHECK(buffer.next_line() == std::string("* 3 EXISTS"));
    CHECK(buffer.next_line() == std::string("+ idling"));
    CHECK_FALSE(buffer.next_line());
    buffer.feed(" done\n");
    CHECK(buffer.next_line() == std::string("I2 OK done"));
    CHECK_FALSE(buffer.overflowed());
}

TEST_CASE("an endless line overflows the buffer instead of growing it") {
    LineBuffer buffer(16);
    buffer.feed(std::string(17, 'x'));
    CHECK_FALSE(buffer.next_line());
    CHECK(buffer.overflowed());
    buffer.feed("\r\n");
    CHECK_FALSE(buffer.next_line());
    buffer.clear();
    buffer.feed("ok\r\n");
    CHECK(buffer.next_line() == std::string("ok"));

    LineBuffer complete(16);
    complete.feed(std::string(20, 'y') + "\r\n");
    CHECK_FALSE(complete.next_line());
    CHECK(complete.overflowed());
}

TEST_CASE("IDLE responses are told apart") {
    CHECK(classify_idle_line("+ idling", "I3") == IdleLine::continuation);
    CHECK(classify_idle_line("+", "I3") == IdleLine::continuation);
    CHECK(classify_idle_line("* 17 EXISTS", "I3") == IdleLine::mailbox_changed);
    CHECK(classify_idle_line("* 2 recent", "I3") == IdleLine::mailbox_changed);
    CHECK(classify_idle_line("* 17 EXPUNGE", "I3") == IdleLine::other);
    CHECK(classify_idle_line("* OK Still here", "I3") == IdleLine::other);
    CHECK(classify_idle_line("* EXISTS", "I3") == IdleLine::other);
    CHECK(classify_idle_line("* x EXISTS", "I3") == IdleLine::other);
    CHECK(classify_idle_line("* 99999999999 EXISTS", "I3") == IdleLine::other);
    CHECK(classify_idle_line("* BYE Server shutting down.", "I3") == IdleLine::bye);
    CHECK(classify_idle_line("I3 OK Idle completed (0.001 + 2.000 secs).", "I3") ==
          IdleLine::tagged_ok);
    CHECK(classify_idle_line("I3 NO not now", "I3") == IdleLine::tagged_failure);
    CHECK(classify_idle_line("I3 BAD Expected DONE.", "I3") == IdleLine::tagged_failure);
    // Another command's completion is not ours.
    CHECK(classify_idle_line("I2 OK done", "I3") == IdleLine::other);
    CHECK(classify_idle_line("I30 OK done", "I3") == IdleLine::other);
    CHECK(classify_idle_line("", "I3") == IdleLine::other);
}

TEST_CASE("capabilities are read from CAPABILITY responses only") {
    CHECK(lists_capability("* CAPABILITY IMAP4rev1 SASL-IR IDLE MOVE", "IDLE"));
    CHECK(lists_capability("* capability imap4rev1 idle", "IDLE"));
    CHECK(lists_capability("* OK [CAPABILITY IMAP4rev1 IDLE] Dovecot ready.", "IDLE"));
    CHECK_FALSE(lists_capability("* CAPABILITY IMAP4rev1 SASL-IR MOVE", "IDLE"));
    CHECK_FALSE(lists_capability("* CAPABILITY IMAP4rev1 XIDLE", "IDLE"));
    CHECK_FALSE(lists_capability("* OK [CAPABILITY IMAP4rev1] IDLE is not here", "IDLE"));
    CHECK_FALSE(lists_capability("* OK IDLE", "IDLE"));
    CHECK_FALSE(lists_capability("I1 OK CAPABILITY IDLE", "IDLE"));
}

TEST_CASE("FETCH responses give their literal size and UID, before or after the literal") {
    CHECK(literal_size("* 3 FETCH (UID 345 BODY[] {1234}") == 1234u);
    CHECK(literal_size("* 3 FETCH (UID 345 BODY[] {0}") == 0u);
    CHECK_FALSE(literal_size("* 3 FETCH (UID 345 FLAGS (\\Seen))"));
    CHECK_FALSE(literal_size("* 3 FETCH (BODY[] {12x}"));
    CHECK_FALSE(literal_size("* 3 FETCH (BODY[] {}"));
    CHECK_FALSE(literal_size("* 3 FETCH (BODY[] {99999999999}"));
    CHECK_FALSE(literal_size("}"));

    CHECK(fetch_uid("* 3 FETCH (UID 345 BODY[] {12}") == 345u);
    CHECK(fetch_uid(" UID 345)") == 345u);
    CHECK(fetch_uid("* 3 FETCH (UID 4294967295 RFC822.SIZE 7)") == 4294967295u);
    CHECK_FALSE(fetch_uid("* 3 FETCH (UID 4294967296)"));
    CHECK_FALSE(fetch_uid("* 3 FETCH (UID 0)"));
    CHECK_FALSE(fetch_uid("* 3 FETCH (UID x)"));
    CHECK_FALSE(fetch_uid(")"));
    CHECK(fetch_number("* 3 FETCH (UID 5 RFC822.SIZE 2048)", "RFC822.SIZE") == 2048u);
    CHECK(fetch_number("* 3 FETCH (rfc822.size 2048 UID 5)", "RFC822.SIZE") == 2048u);
    CHECK_FALSE(fetch_number("* 3 FETCH (UID 5)", "RFC822.SIZE"));
}
