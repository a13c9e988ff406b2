#include "language.hpp"

#include <catch2/catch.hpp>

using namespace cvd;

namespace {
store::StoredMessage inbound(std::int64_t from, const std::string& language, std::int64_t at) {
    store::StoredMessage m;
    m.direction = domain::Direction::inbound;
    m.participant_row_id = from;
    m.language = language;
    m.stored_at = core::from_unix(at);
    return m;
}
}  // namespace

TEST_CASE("Language per recipient: preference, else their last mail, else the default") {
    domain::Participant vendor;
    vendor.row_id = 7;
    CHECK(app::choose_language(vendor, {}, "ja").language == "ja");
    CHECK(app::choose_language(vendor, {}, "ja").source == "default");

    const std::vector<store::StoredMessage> mail{inbound(7, "en", 100), inbound(7, "ja", 50), inbound(8, "ja", 200)};
    const auto from_mail = app::choose_language(vendor, mail, "ja");
    CHECK(from_mail.language == "en");  // the latest of theirs, not someone else's
    CHECK(from_mail.source == "their mail");

    vendor.language = "ja";
    CHECK(app::choose_language(vendor, mail, "en").source == "preference");
    CHECK(app::choose_language(vendor, mail, "en").language == "ja");

    vendor.language = "fr";  // unsupported: ignored, never a template that does not exist
    CHECK(app::choose_language(vendor, {}, "xx").language == "en");
}
