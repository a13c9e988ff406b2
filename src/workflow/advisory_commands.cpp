// The advisory's facts by command line:
//   advisory-id JVN#12345678
//   advisory title|overview|description|impact|solution|workaround|credit ja|en TEXT
//     (solution, workaround, impact, overview and description also without "advisory")
//   advisory published YYYY-MM-DD
//   advisory revision YYYY-MM-DD SUMMARY-JA | SUMMARY-EN
//   cve [remove] CVE-2027-12345
//   cvss [3.1|4.0] CVSS:3.1/AV:N/...        cwe CWE-79 [OFFICIAL NAME]
//   cve CVE-2027-12345 cwe|cvss|description ...   (that CVE's own fact, same forms as above)
//   affected [remove] VENDOR | PRODUCT | VERSIONS [| FIXED-VERSION]
//   reference [remove] URL [TITLE]
//   vendor-statement VENDOR | affected|not-affected|fixed|under-investigation [| ja|en TEXT]
//   advisory draft       (the draft in both languages, and what is missing, to the coordinators)
//   advisory review [VENDOR]   (each vendor, or the one named, gets its own section to review)
#include "advisory_commands.hpp"

#include <array>
#include <string_view>

#include "cvdbot/core/text.hpp"

namespace cvd::workflow::detail {
namespace {

constexpr std::array<std::string_view, 7> kTextFacts{
    "title", "overview", "description", "impact", "solution", "workaround", "credit"};
constexpr std::array<std::string_view, 5> kBareTextFacts{"overview", "description", "impact",
                                                         "solution", "workaround"};

// `text` is taken by value: callers pass the same string as `text` and `rest`.
std::string first_word(std::string text, std::string& rest) {
    const auto space = text.find(' ');
    rest = space == std::string::npos ? "" : text.substr(space + 1);
    return core::to_lower_ascii(text.substr(0, space));
}

template <std::size_t N>
bool one_of(const std::array<std::string_view, N>& words, const std::string& word) {
    for (auto w : words)
        if (w == word) return true;
    return false;
}

std::optional<AdvisoryFactCommand> text_fact(const std::string& name, const std::string& rest,
                                             std::string& error) {
    std::string text;
    const std::string lang = first_word(rest, text);
    if ((lang != "ja" && lang != "en") || text.empty()) {
        error = "advisory " + name + " needs ja or en and the text";
        return std::nullopt;
    }
    return AdvisoryFactCommand{name, lang, text};
}

std::optional<AdvisoryFactCommand> list_fact(const std::string& name, const std::string& rest,
                                             std::string& error, const char* what) {
    std::string value;
    const bool remove = first_word(rest, value) == "remove";
    if (!remove) value = rest;
    if (value.empty()) {
        error = name + " needs " + what;
        return std::nullopt;
    }
    return AdvisoryFactCommand{name, "", value, remove};
}

}  // namespace

std::optional<AdvisoryFactCommand> parse_advisory_fact(const std::string& line,
                                                       std::string& error) {
    std::string rest;
    std::string verb = first_word(line, rest);
    if (verb == "advisory") {
        verb = first_word(rest, rest);
        if (one_of(kTextFacts, verb)) return text_fact(verb, rest, error);
        if (verb == "draft" && rest.empty()) return AdvisoryFactCommand{"draft", "", ""};
        if (verb == "review") return AdvisoryFactCommand{"review", "", rest};
        if (verb == "published" && !rest.empty()) return AdvisoryFactCommand{"published", "", rest};
        if (verb == "revision" && rest.find(' ') != std::string::npos)
            return AdvisoryFactCommand{"revision", "", rest};
        error =
            "advisory needs title, overview, description, impact, solution, workaround or credit "
            "with ja|en "
            "and the text; or published DATE; or revision DATE SUMMARY-JA | SUMMARY-EN; or draft; "
            "or review [VENDOR]";
        return std::nullopt;
    }
    if (one_of(kBareTextFacts, verb)) return text_fact(verb, rest, error);
    if (verb == "advisory-id") {
        if (rest.empty() || rest.find(' ') != std::string::npos) {
            error = "advisory-id needs one id, e.g. JVN#12345678";
            return std::nullopt;
        }
        return AdvisoryFactCommand{"advisory_id", "", rest};
    }
    if (verb == "cve") {
        // "cve CVE-… cwe CWE-79": a fact of that CVE alone when it differs from the others.
        std::string fact;
        const std::string id = first_word(rest, fact);
        if (id.rfind("cve-", 0) == 0 && !fact.empty()) {
            std::string fact_rest;
            const std::string name = first_word(fact, fact_rest);
            if (name != "cwe" && name != "cvss" && name != "description") {
                error = "cve " + id + " needs cwe, cvss or description and its value";
                return std::nullopt;
            }
            auto own = parse_advisory_fact(fact, error);
            if (own) own->cve = rest.substr(0, id.size());  // as written; the app checks it
            return own;
        }
        return list_fact("cve", rest, error, "a CVE id, e.g. CVE-2027-12345");
    }
    if (verb == "reference")
        return list_fact("reference", rest, error, "a URL and optionally a title");
    if (verb == "affected")
        return list_fact("affected", rest, error, "VENDOR | PRODUCT | VERSIONS [| FIXED-VERSION]");
    if (verb == "cvss") {
        std::string vector;
        const std::string version = first_word(rest, vector);
        if (version != "3.1" && version != "4.0") vector = rest;
        if (vector.rfind("CVSS:3.1/", 0) == 0) return AdvisoryFactCommand{"cvss31", "", vector};
        if (vector.rfind("CVSS:4.0/", 0) == 0) return AdvisoryFactCommand{"cvss40", "", vector};
        error = "cvss needs a vector starting CVSS:3.1/ or CVSS:4.0/";
        return std::nullopt;
    }
    if (verb == "cwe") {
        std::string name;
        const std::string id = first_word(rest, name);
        if (id.empty()) {
            error = "cwe needs an id, e.g. CWE-79";
            return std::nullopt;
        }
        return AdvisoryFactCommand{"cwe", "", id + (name.empty() ? "" : " " + name)};
    }
    if (verb == "vendor-statement") {
        if (rest.find(" | ") == std::string::npos) {
            error = "vendor-statement needs VENDOR | STATUS [| ja|en TEXT]";
            return std::nullopt;
        }
        return AdvisoryFactCommand{"vendor_statement", "", rest};
    }
    return std::nullopt;
}

}  // namespace cvd::workflow::detail
