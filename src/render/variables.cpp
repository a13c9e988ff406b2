// The variable catalogue: what each variable means and who may see it. Visibility is the
// privacy rule of the process: the discoverer's identity stays with the discoverer and the
// coordinators, coordinator-only texts stay with coordinators, and what concerns one vendor
// or site is not shown to parties outside that track.

#include "cvdbot/render/template_set.hpp"

namespace cvd::render {

namespace {
using domain::Role;
const Roles kEveryone{Role::discoverer, Role::vendor, Role::site_operator, Role::coordinator};
const Roles kDiscovererSide{Role::discoverer, Role::coordinator};
const Roles kProductTrack{Role::discoverer, Role::vendor, Role::coordinator};
const Roles kWebTrack{Role::discoverer, Role::site_operator, Role::coordinator};
const Roles kVendorSide{Role::vendor, Role::coordinator};
const Roles kCoordinator{Role::coordinator};
}  // namespace

const std::map<std::string, VariableInfo, std::less<>>& variable_catalogue() {
    static const std::map<std::string, VariableInfo, std::less<>> kCatalogue{
        {"case_id", {"the case id, e.g. CVD#2026-0001", kEveryone}},
        {"case_tag", {"the case tag that starts every subject, e.g. [CVD#2026-0001]", kEveryone}},
        {"case_title", {"the case's short title as the coordinators wrote it", kEveryone}},
        {"recipient_name",
         {"the recipient's display name, or their address when they gave none", kEveryone}},
        {"recipient_address", {"the recipient's address", kEveryone}},
        {"recipient_role",
         {"the recipient's role: discoverer, vendor, site_operator or coordinator", kEveryone}},
        {"bot_name", {"the bot's display name", kEveryone}},
        {"bot_address", {"the bot's address", kEveryone}},
        {"reply_address",
         {"the address replies should go to (the recipient's own thread on a case)", kEveryone}},
        {"today", {"today's date (JST), YYYY-MM-DD", kEveryone}},
        // The message being answered may be the discoverer's report or a coordinator's
        // command, so its subject and date are not shown to vendors or site operators.
        {"report_subject", {"the subject of the message being answered", kDiscovererSide}},
        {"report_date",
         {"when the message being answered arrived (UTC, ISO 8601)", kDiscovererSide}},
        {"product_name", {"the affected product (and version)", kProductTrack}},
        {"vendor_name",
         {"the vendor's name (on a vendor's mail: that vendor only)", kProductTrack}},
        {"site_url", {"the affected web site", kWebTrack}},
        {"start_date",
         {"the start date (起算日): the first contact attempt to the vendor, YYYY-MM-DD",
          kEveryone}},
        {"target_date",
         {"the publication target date: start date + 45 days, YYYY-MM-DD", kProductTrack}},
        {"publication_date",
         {"the agreed publication date and time, e.g. 2027-01-15 10:00 JST", kProductTrack}},
        {"lift_date",
         {"the date from which the discoverer may disclose, YYYY-MM-DD", kProductTrack}},
        {"reason",
         {"the coordinators' reason for rejecting or stopping, written for every recipient",
          kEveryone}},
        {"decision", {"the committee's decision: publish or do_not_publish", kProductTrack}},
        {"vulnerability_details",
         {"the vulnerability as reported (type, affected part, impact, how to reproduce)",
          kEveryone}},
        {"discoverer_name",
         {"the discoverer's name: never shown to vendors or site operators", kDiscovererSide}},
        {"credit_name", {"the name to credit in the advisory (public at publication)", kEveryone}},
        {"status_summary",
         {"the case's progress in plain words, for a status reply", kDiscovererSide}},
        {"missing_fields",
         {"the report form fields that were missing, one per line", kDiscovererSide}},
        {"transcript", {"the coordinator commands received and their results", kCoordinator}},
        {"notice_text",
         {"a notice for the coordinators (what needs their attention)", kCoordinator}},
        {"advisory_id",
         {"the advisory id (JVN#12345678), or the case id while none is set", kEveryone}},
        {"advisory_text",
         {"the whole draft advisory in both languages (every vendor's section)", kCoordinator}},
        {"advisory_section",
         {"one vendor's own section of the draft advisory (never another vendor's)", kVendorSide}},
        {"advisory_missing",
         {"what the advisory still lacks before export, one per line", kCoordinator}},
        {"relayed_text",
         {"a message the coordinators approved for relaying to this recipient", kEveryone}},
        {"problem",
         {"what went wrong with the sender's encrypted or signed message, in plain words",
          kEveryone}},
        {"problems",
         {"what could not be read in the sender's own message, one per line", kEveryone}},
        {"bot_fingerprint", {"the fingerprint of the bot's signing key", kEveryone}},
        {"vendor_names",
         {"the vendors a contact-change request concerns (the requester's own)", kVendorSide}},
        {"change_details",
         {"the addresses a contact-change request adds or removes, one per line", kVendorSide}},
    };
    return kCatalogue;
}

std::string roles_text(const Roles& roles) {
    std::string out;
    for (auto r : roles) out += (out.empty() ? "" : ", ") + std::string(domain::to_string(r));
    return out;
}

const std::vector<std::string>& languages() {
    static const std::vector<std::string> kLanguages{"ja", "en"};
    return kLanguages;
}

const Variables& sample_variables() {
    static const Variables kSample{
        {"case_id", "CVD#2026-0042"},
        {"case_tag", "[CVD#2026-0042]"},
        {"case_title", "Stored XSS in Example CMS comment form"},
        {"recipient_name", "山田 太郎"},
        {"recipient_address", "taro.yamada@example.jp"},
        {"recipient_role", "vendor"},
        {"bot_name", "CVD Coordination Desk"},
        {"bot_address", "cvd@cvd.example.org"},
        {"reply_address", "cvd+k3j9x2@cvd.example.org"},
        {"today", "2026-11-26"},
        {"report_subject", "脆弱性関連情報の届出 (Example CMS)"},
        {"report_date", "2026-11-25T23:14:05Z"},
        {"product_name", "Example CMS 4.2.1"},
        {"vendor_name", "Example Software株式会社"},
        {"site_url", "https://shop.example.co.jp/"},
        {"start_date", "2026-11-27"},
        {"target_date", "2027-01-11"},
        {"publication_date", "2027-01-15 10:00 JST"},
        {"lift_date", "2027-01-15"},
        {"reason", "The reported behaviour is the documented default and has no security impact."},
        {"decision", "publish"},
        {"vulnerability_details",
         "Type: stored cross-site scripting (CWE-79)\n"
         "Affected: comment form, parameter \"body\", Example CMS 4.2.1 and earlier\n"
         "Impact: script runs in the browser of any visitor who views the comment\n"
         "Reproduce: post <script>alert(1)</script> as a comment and open the article"},
        {"discoverer_name", "佐藤 花子"},
        {"credit_name", "Hanako Sato"},
        {"status_summary", "The vendor has confirmed the issue and is preparing a fix."},
        {"missing_fields", "- affected version\n- steps to reproduce"},
        {"transcript",
         "> vendor add Example Software\nok: vendor #1 added\n> start\nok: first contact sent"},
        {"notice_text", "Vendor #1 has not answered the final reminder; consider: unreachable 1"},
        {"advisory_id", "JVN#12345678"},
        {"advisory_text",
         "===== ja =====\nJVN#12345678\nExample CMS におけるクロスサイトスクリプティングの脆弱性\n\n"
         "===== en =====\nJVN#12345678\nExample CMS vulnerable to cross-site scripting\n"},
        {"advisory_section",
         "Title: Example CMS vulnerable to cross-site scripting\nAffected product: Example CMS <= 4.2.1"},
        {"advisory_missing", "- cve: no CVE id assigned"},
        {"relayed_text", "The fix will be released as version 4.2.2 on 2027-01-15."},
        {"problem", "the message was encrypted to a key we do not hold"},
        {"problems", "- no address after \"To:\""},
        {"bot_fingerprint", "0123 4567 89AB CDEF 0123  4567 89AB CDEF 0123 4567"},
        {"vendor_names", "Example Software株式会社"},
        {"change_details", "  + to: psirt@example.co.jp\n  - old-contact@example.co.jp"},
    };
    return kSample;
}

}  // namespace cvd::render
