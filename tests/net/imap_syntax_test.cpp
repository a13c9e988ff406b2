// The IMAP syntax helpers, without a server: quoting, validation, response parsing.

#include "imap_syntax.hpp"

#include <catch2/catch.hpp>

using namespace cvd;
using namespace cvd::net;

TEST_CASE("mailbox names are printable ASCII and get quoted safely") {
    CHECK(imap::check_mailbox_name("INBOX").ok());
    CHECK(imap::check_mailbox_name("Archive/2026 \"done\"").ok());
    CHECK_FALSE(imap::check_mailbox_name("").ok());
    CHECK_FALSE(imap::check_mailbox_name("Done\r\nA1 LOGOUT").ok());
    CHECK_FALSE(imap::check_mailbox_name(std::string("a\0b", 3)).ok());
    CHECK_FALSE(imap::check_mailbox_name("Entw\xc3\xbcrfe").ok());
    CHECK(imap::check_mailbox_name("Done\n").error().kind == core::ErrorKind::invalid_input);
    CHECK(imap::quote("Done") == "\"Done\"");
    CHECK(imap::quote(R"(a "b" \c)") == R"("a \"b\" \\c")");
}

TEST_CASE("flags are atoms, optionally with a backslash") {
    CHECK(imap::check_flags("\\Seen").ok());
    CHECK(imap::check_flags("\\Seen $Processed  \\Flagged").ok());
    CHECK_FALSE(imap::check_flags("").ok());
    CHECK_FALSE(imap::check_flags("   ").ok());
    CHECK_FALSE(imap::check_flags("\\").ok());
    CHECK_FALSE(imap::check_flags("\\Seen)").ok());
    CHECK_FALSE(imap::check_flags("\\Seen\r\nA1 LOGOUT").ok());
    CHECK_FALSE(imap::check_flags("\\Seen\t$x").ok());
    CHECK_FALSE(imap::check_flags("a\"b").ok());
    CHECK_FALSE(imap::check_flags("\\\\Seen").ok());
}

TEST_CASE("SELECT responses give UIDVALIDITY, UIDNEXT and EXISTS") {
    const char* response =
        "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\r\n"
        "* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft \\*)] Flags "
        "permitted.\r\n"
        "* 17 EXISTS\r\n"
        "* 0 RECENT\r\n"
        "* OK [UIDVALIDITY 3857529045] UIDs valid\r\n"
        "* OK [UIDNEXT 4392] Predicted next UID\r\n";
    auto status = imap::parse_select(response);
    REQUIRE(status);
    CHECK(status->uidvalidity == 3857529045u);
    CHECK(status->uidnext == 4392u);
    CHECK(status->exists == 17u);

    // LF only, lower case, no UIDNEXT: still fine.
    auto minimal = imap::parse_select("* 0 exists\n* ok [uidvalidity 7] x\n");
    REQUIRE(minimal);
    CHECK(minimal->uidvalidity == 7u);
    CHECK(minimal->uidnext == 0u);
    CHECK(minimal->exists == 0u);

    CHECK_FALSE(imap::parse_select("* 3 EXISTS\r\n"));
    CHECK_FALSE(imap::parse_select("* OK [UIDVALIDITY 99999999999] too big\r\n"));
}

TEST_CASE("FETCH FLAGS is matched to its UID") {
    const char* response =
        "* 3 FETCH (FLAGS (\\Seen) UID 40)\r\n"
        "* 4 FETCH (UID 41 FLAGS (\\Seen $Processed \\Flagged))\r\n"
        "* 5 FETCH (UID 42 FLAGS ())\r\n";
    CHECK(imap::parse_fetch_flags(response, 40) == std::vector<std::string>{"\\Seen"});
    CHECK(imap::parse_fetch_flags(response, 41) ==
          std::vector<std::string>{"\\Seen", "$Processed", "\\Flagged"});
    CHECK(imap::parse_fetch_flags(response, 42) == std::vector<std::string>{});
    CHECK_FALSE(imap::parse_fetch_flags(response, 4));
    // An unsolicited flag update of another message, without UID, is not ours.
    CHECK_FALSE(imap::parse_fetch_flags("* 4 FETCH (FLAGS (\\Seen))\r\n", 4));
}

TEST_CASE("MOVE success, and the server's failure text") {
    CHECK(imap::move_succeeded("* OK [COPYUID 1795 3 1] Moved UIDs.\r\n* 2 EXPUNGE\r\n"));
    CHECK(imap::move_succeeded("* 2 EXPUNGE\r\n"));
    CHECK_FALSE(imap::move_succeeded(""));
    CHECK_FALSE(imap::move_succeeded("* 2 EXISTS\r\n"));

    std::vector<std::string> lines = {"* OK [CAPABILITY IMAP4rev1] ready", "A001 OK Logged in",
                                      "A002 NO [TRYCREATE] Mailbox doesn't exist: Done",
                                      "* BYE later"};
    auto failure = imap::last_failure(lines);
    CHECK(failure == "NO [TRYCREATE] Mailbox doesn't exist: Done");
    CHECK(imap::response_code(failure) == "TRYCREATE");
    CHECK(imap::response_code("NO Mailbox doesn't exist: [x]").empty());
    CHECK(imap::response_code("BAD [ALREADYEXISTS]").size() == 13);
    CHECK(imap::last_failure({"A001 OK done"}).empty());
}

TEST_CASE("UID sets collapse runs and stay short") {
    CHECK(imap::uid_sets({}).empty());
    CHECK(imap::uid_sets({0}).empty());
    CHECK(imap::uid_sets({7}) == std::vector<std::string>{"7"});
    CHECK(imap::uid_sets({9, 1, 2, 3, 7, 10, 3, 0}) == std::vector<std::string>{"1:3,7,9:10"});
    CHECK(imap::uid_sets({1, 3, 5, 6, 8}, 2) == std::vector<std::string>{"1,3", "5:6,8"});
    CHECK(imap::uid_sets({4294967295u, 4294967294u}) ==
          std::vector<std::string>{"4294967294:4294967295"});
}

TEST_CASE("STATUS responses give UIDNEXT, UIDVALIDITY and the message count") {
    auto status = imap::parse_status(
        "* STATUS INBOX (UIDNEXT 100001 UIDVALIDITY 1764136800 MESSAGES 100000)\r\n");
    REQUIRE(status);
    CHECK(status->uidnext == 100001u);
    CHECK(status->uidvalidity == 1764136800u);
    CHECK(status->exists == 100000u);
    CHECK(imap::parse_status("* 3 EXISTS\r\n* STATUS \"A (b)\" (uidvalidity 7 uidnext 9)\r\n")
              ->uidnext == 9u);
    CHECK_FALSE(imap::parse_status("* STATUS INBOX (UIDNEXT 5)\r\n"));
    CHECK_FALSE(imap::parse_status("* STATUS INBOX (UIDVALIDITY 5)\r\n"));
    CHECK_FALSE(imap::parse_status("* STATUS INBOX (UIDNEXT x UIDVALIDITY 5)\r\n"));
    CHECK_FALSE(imap::parse_status("* OK [UIDNEXT 5] x\r\n"));
}
