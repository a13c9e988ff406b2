#include "case_view.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "language.hpp"

namespace cvd::app {

using nlohmann::json;

namespace {

bool same_message(const store::StoredMessage& a, const store::StoredMessage& b) {
    return a.row_id == b.row_id && a.direction == b.direction && a.status == b.status &&
           a.status_reason == b.status_reason && a.case_row_id == b.case_row_id && a.message_id == b.message_id &&
           a.content_hash == b.content_hash && a.sender == b.sender && a.recipients == b.recipients &&
           a.subject == b.subject && a.text_body == b.text_body && a.language == b.language &&
           a.stored_at == b.stored_at && a.participant_row_id == b.participant_row_id &&
           a.named_case_row_id == b.named_case_row_id && a.in_reply_to_ids == b.in_reply_to_ids &&
           a.reference_ids == b.reference_ids && a.crypto == b.crypto && a.signer_fingerprint == b.signer_fingerprint &&
           ((!a.location && !b.location) || (a.location && b.location && a.location->mailbox == b.location->mailbox &&
                                             a.location->uidvalidity == b.location->uidvalidity &&
                                             a.location->uid == b.location->uid));
}

template <typename T>
json optional_json(const std::optional<T>& value) {
    return value ? json(*value) : json(nullptr);
}

std::optional<std::int64_t> optional_int(const json& j, const char* key) {
    if (!j.contains(key) || j.at(key).is_null()) return std::nullopt;
    return j.at(key).get<std::int64_t>();
}

core::Timestamp time_of(const json& j, const char* key) {
    const auto parsed = core::parse_iso8601(j.at(key).get<std::string>());
    if (!parsed) throw json::other_error::create(501, std::string("bad time in ") + key, &j);
    return *parsed;
}

template <typename E, typename Parse>
E enum_of(const json& j, const char* key, Parse parse) {
    const auto value = parse(j.at(key).get<std::string>());
    if (!value) throw json::other_error::create(501, std::string("unknown value in ") + key, &j);
    return *value;
}

std::string who(const CaseView& view, const std::optional<std::int64_t>& participant) {
    if (!participant) return "";
    for (const auto& p : view.participants)
        if (p.row_id == *participant)
            return std::string(domain::to_string(p.role)) + (p.organisation.empty() ? "" : " " + p.organisation);
    return "";
}

}  // namespace

bool CaseView::operator==(const CaseView& other) const {
    const auto& a = record;
    const auto& b = other.record;
    if (a.row_id != b.row_id || !(a.id == b.id) || a.state != b.state || a.track != b.track || a.title != b.title ||
        a.start_date != b.start_date || a.created_at != b.created_at || a.updated_at != b.updated_at)
        return false;
    if (participants != other.participants || messages.size() != other.messages.size()) return false;
    for (std::size_t i = 0; i < messages.size(); ++i)
        if (!same_message(messages[i], other.messages[i])) return false;
    if (events.size() != other.events.size() || timers.size() != other.timers.size()) return false;
    for (std::size_t i = 0; i < events.size(); ++i) {
        const auto &x = events[i], &y = other.events[i];
        if (x.row_id != y.row_id || x.case_row_id != y.case_row_id || x.at != y.at || x.actor != y.actor ||
            x.action != y.action || x.detail != y.detail || x.message_row_id != y.message_row_id)
            return false;
    }
    for (std::size_t i = 0; i < timers.size(); ++i) {
        const auto &x = timers[i], &y = other.timers[i];
        if (x.row_id != y.row_id || x.case_row_id != y.case_row_id || x.participant_row_id != y.participant_row_id ||
            x.name != y.name || x.due_at != y.due_at || x.state != y.state)
            return false;
    }
    return true;
}

core::Result<CaseView> load_case_view(store::Store& store, const core::CaseId& id) {
    auto found = store.find_case(id);
    if (!found) return found.error();
    if (!*found) return core::make_error(core::ErrorKind::not_found, "no case " + id.str());
    CaseView view;
    view.record = **found;
    auto people = store.participants(view.record.row_id);
    if (!people) return people.error();
    view.participants = std::move(*people);
    auto messages = store.case_messages(view.record.row_id);
    if (!messages) return messages.error();
    view.messages = std::move(*messages);
    auto events = store.audit_log(view.record.row_id);
    if (!events) return events.error();
    view.events = std::move(*events);
    auto timers = store.timers(view.record.row_id);
    if (!timers) return timers.error();
    view.timers = std::move(*timers);
    return view;
}

json to_json(const CaseView& view) {
    const auto& c = view.record;
    json out;
    out["case"] = {{"row_id", c.row_id},
                   {"id", c.id.str()},
                   {"state", domain::to_string(c.state)},
                   {"track", domain::to_string(c.track)},
                   {"title", c.title},
                   {"start_date", c.start_date ? json(core::format_iso8601(*c.start_date)) : json(nullptr)},
                   {"created_at", core::format_iso8601(c.created_at)},
                   {"updated_at", core::format_iso8601(c.updated_at)}};
    out["participants"] = json::array();
    for (const auto& p : view.participants)
        out["participants"].push_back({{"row_id", p.row_id},
                                       {"case_row_id", p.case_row_id},
                                       {"role", domain::to_string(p.role)},
                                       {"address", p.address},
                                       {"other_addresses", p.other_addresses},
                                       {"display_name", p.display_name},
                                       {"language", p.language},
                                       {"organisation", p.organisation},
                                       {"vendor_row_id", optional_json(p.vendor_row_id)},
                                       {"reply_token", p.reply_token},
                                       {"vendor_status", p.vendor_status},
                                       {"consent",
                                        {{"credit", p.consent.credit},
                                         {"identity_to_vendor", p.consent.identity_to_vendor},
                                         {"direct_contact", p.consent.direct_contact}}}});
    out["messages"] = json::array();
    for (const auto& m : view.messages) {
        json j = {{"row_id", m.row_id},
                  {"direction", domain::to_string(m.direction)},
                  {"status", domain::to_string(m.status)},
                  {"status_reason", m.status_reason},
                  {"case_row_id", optional_json(m.case_row_id)},
                  {"message_id", m.message_id},
                  {"content_hash", m.content_hash},
                  {"sender", m.sender},
                  {"recipients", m.recipients},
                  {"subject", m.subject},
                  {"text_body", m.text_body},
                  {"language", m.language},
                  {"stored_at", core::format_iso8601(m.stored_at)},
                  {"participant_row_id", optional_json(m.participant_row_id)},
                  {"named_case_row_id", optional_json(m.named_case_row_id)},
                  {"in_reply_to_ids", m.in_reply_to_ids},
                  {"reference_ids", m.reference_ids},
                  {"crypto", m.crypto},
                  {"signer_fingerprint", m.signer_fingerprint},
                  {"location", nullptr}};
        if (m.location)
            j["location"] = {{"mailbox", m.location->mailbox},
                             {"uidvalidity", m.location->uidvalidity},
                             {"uid", m.location->uid}};
        out["messages"].push_back(std::move(j));
    }
    out["events"] = json::array();
    for (const auto& e : view.events)
        out["events"].push_back({{"row_id", e.row_id},
                                 {"case_row_id", optional_json(e.case_row_id)},
                                 {"at", core::format_iso8601(e.at)},
                                 {"actor", e.actor},
                                 {"action", e.action},
                                 {"detail", e.detail},
                                 {"message_row_id", optional_json(e.message_row_id)}});
    out["timers"] = json::array();
    for (const auto& t : view.timers)
        out["timers"].push_back({{"row_id", t.row_id},
                                 {"case_row_id", t.case_row_id},
                                 {"participant_row_id", optional_json(t.participant_row_id)},
                                 {"name", t.name},
                                 {"due_at", core::format_iso8601(t.due_at)},
                                 {"state", t.state}});
    return out;
}

core::Result<CaseView> case_view_from_json(const json& in) {
    try {
        CaseView view;
        const auto& c = in.at("case");
        view.record.row_id = c.at("row_id").get<std::int64_t>();
        const auto id = core::parse_case_id(c.at("id").get<std::string>());
        if (!id) return core::make_error(core::ErrorKind::invalid_input, "case.id is not a case id");
        view.record.id = *id;
        view.record.state = enum_of<domain::CaseState>(c, "state", domain::parse_case_state);
        view.record.track = enum_of<domain::Track>(c, "track", domain::parse_track);
        view.record.title = c.at("title").get<std::string>();
        if (!c.at("start_date").is_null()) view.record.start_date = time_of(c, "start_date");
        view.record.created_at = time_of(c, "created_at");
        view.record.updated_at = time_of(c, "updated_at");
        for (const auto& j : in.at("participants")) {
            domain::Participant p;
            p.row_id = j.at("row_id").get<std::int64_t>();
            p.case_row_id = j.at("case_row_id").get<std::int64_t>();
            p.role = enum_of<domain::Role>(j, "role", domain::parse_role);
            p.address = j.at("address").get<std::string>();
            p.other_addresses = j.at("other_addresses").get<std::vector<std::string>>();
            p.display_name = j.at("display_name").get<std::string>();
            p.language = j.at("language").get<std::string>();
            p.organisation = j.at("organisation").get<std::string>();
            p.vendor_row_id = optional_int(j, "vendor_row_id");
            p.reply_token = j.at("reply_token").get<std::string>();
            p.vendor_status = j.at("vendor_status").get<std::string>();
            const auto& consent = j.at("consent");
            p.consent = domain::Consent{consent.at("credit").get<bool>(), consent.at("identity_to_vendor").get<bool>(),
                                        consent.at("direct_contact").get<bool>()};
            view.participants.push_back(std::move(p));
        }
        for (const auto& j : in.at("messages")) {
            store::StoredMessage m;
            m.row_id = j.at("row_id").get<std::int64_t>();
            m.direction = enum_of<domain::Direction>(j, "direction", domain::parse_direction);
            m.status = enum_of<domain::MessageStatus>(j, "status", domain::parse_message_status);
            m.status_reason = j.at("status_reason").get<std::string>();
            m.case_row_id = optional_int(j, "case_row_id");
            m.message_id = j.at("message_id").get<std::string>();
            m.content_hash = j.at("content_hash").get<std::string>();
            m.sender = j.at("sender").get<std::string>();
            m.recipients = j.at("recipients").get<std::string>();
            m.subject = j.at("subject").get<std::string>();
            m.text_body = j.at("text_body").get<std::string>();
            m.language = j.at("language").get<std::string>();
            m.stored_at = time_of(j, "stored_at");
            m.participant_row_id = optional_int(j, "participant_row_id");
            m.named_case_row_id = optional_int(j, "named_case_row_id");
            m.in_reply_to_ids = j.at("in_reply_to_ids").get<std::string>();
            m.reference_ids = j.at("reference_ids").get<std::string>();
            m.crypto = j.at("crypto").get<std::string>();
            m.signer_fingerprint = j.at("signer_fingerprint").get<std::string>();
            if (!j.at("location").is_null()) {
                const auto& l = j.at("location");
                m.location = store::ServerLocation{l.at("mailbox").get<std::string>(),
                                                   l.at("uidvalidity").get<std::uint32_t>(),
                                                   l.at("uid").get<std::uint32_t>()};
            }
            view.messages.push_back(std::move(m));
        }
        for (const auto& j : in.at("events"))
            view.events.push_back(store::AuditEntry{j.at("row_id").get<std::int64_t>(), optional_int(j, "case_row_id"),
                                                    time_of(j, "at"), j.at("actor").get<std::string>(),
                                                    j.at("action").get<std::string>(), j.at("detail").get<std::string>(),
                                                    optional_int(j, "message_row_id")});
        for (const auto& j : in.at("timers"))
            view.timers.push_back(store::Timer{j.at("row_id").get<std::int64_t>(), j.at("case_row_id").get<std::int64_t>(),
                                               optional_int(j, "participant_row_id"), j.at("name").get<std::string>(),
                                               time_of(j, "due_at"), j.at("state").get<std::string>()});
        return view;
    } catch (const json::exception& e) {
        return core::make_error(core::ErrorKind::invalid_input, std::string("not a case view: ") + e.what());
    }
}

std::string format_case_view(const CaseView& view, const std::string& default_language) {
    const auto& c = view.record;
    std::string out = fmt::format("Case:     {}\nState:    {}\nTrack:    {}\nTitle:    {}\nOpened:   {}\n", c.id.str(),
                                  domain::to_string(c.state), domain::to_string(c.track), c.title,
                                  core::format_iso8601(c.created_at));
    if (c.start_date) out += fmt::format("Start:    {} (起算日)\n", core::format_iso8601(*c.start_date));
    out += "Participants:\n";
    for (const auto& p : view.participants) {
        out += fmt::format("  {:<14} {}{}{}", domain::to_string(p.role), p.address,
                           p.organisation.empty() ? "" : " (" + p.organisation + ")",
                           p.display_name.empty() ? "" : " " + p.display_name);
        for (const auto& other : p.other_addresses) out += ", cc " + other;
        // The fallback chain: stored preference, else the language of their mail, else the default.
        const auto language = choose_language(p, view.messages, default_language);
        out += fmt::format("\n  {:<14} writes to them in {} (from {}){}{}\n", "", language.language,
                           language.source == "preference" ? "their stored preference"
                           : language.source == "default"  ? "the configured default, " + default_language
                                                           : "the language of their last mail",
                           p.vendor_status.empty() ? "" : ", status " + p.vendor_status,
                           p.consent.credit ? ", wishes credit" : "");
    }
    struct Line {
        core::Timestamp at;
        int order;
        std::string text;
    };
    std::vector<Line> lines;
    for (const auto& m : view.messages) {
        const std::string thread = who(view, m.participant_row_id);
        std::string text;
        if (m.direction == domain::Direction::inbound)
            text = fmt::format("<- from {}{}: {}", m.sender, thread.empty() ? "" : " [" + thread + "]", m.subject);
        else
            text = fmt::format("-> to {}{}: {}", m.recipients, thread.empty() ? "" : " [" + thread + "]", m.subject);
        if (m.status == domain::MessageStatus::quarantined) text += "  (QUARANTINED: " + m.status_reason + ")";
        if (!m.crypto.empty()) text += "  {" + m.crypto + "}";
        lines.push_back({m.stored_at, 0, text});
    }
    for (const auto& e : view.events)
        lines.push_back({e.at, 1, fmt::format("** {} by {}{}", e.action, e.actor, e.detail.empty() ? "" : ": " + e.detail)});
    std::stable_sort(lines.begin(), lines.end(), [](const Line& a, const Line& b) {
        return a.at != b.at ? a.at < b.at : a.order < b.order;
    });
    out += "Timeline:\n";
    for (const auto& l : lines) out += fmt::format("  {}  {}\n", core::format_iso8601(l.at), l.text);
    if (!view.timers.empty()) {
        out += "Timers:\n";
        for (const auto& t : view.timers)
            out += fmt::format("  {}  {} ({}){}\n", core::format_iso8601(t.due_at), t.name, t.state,
                               who(view, t.participant_row_id).empty() ? "" : " for " + who(view, t.participant_row_id));
    }
    return out;
}

}  // namespace cvd::app
