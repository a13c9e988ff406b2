#include "cvdbot/report/advisory_correction.hpp"

#include <array>
#include <sstream>

#include "cvdbot/core/text.hpp"

namespace cvd::report {
namespace {

enum class Field { statement_ja, statement_en, status, affected, other };

struct Label {
    std::string_view text;  // lower case, exactly as the template writes it
    Field field;
};

// The advisory_review template's labels; distinct from the vendor_details form's, so a reply
// to the details is never read as a correction.
constexpr std::array<Label, 10> kLabels{{{"statement (en)", Field::statement_en},
                                         {"ベンダのコメント (英語)", Field::statement_en},
                                         {"statement (ja)", Field::statement_ja},
                                         {"ベンダのコメント (日本語)", Field::statement_ja},
                                         {"versions for the advisory", Field::affected},
                                         {"公表文に記載するバージョン", Field::affected},
                                         {"other corrections", Field::other},
                                         {"その他の修正", Field::other},
                                         {"advisory status", Field::status},
                                         {"公表文の状況", Field::status}}};

std::optional<AdvisoryStatus> status_of(const std::string& value) {
    const std::string v = core::to_lower_ascii(value);
    if (v == "affected" || v == "影響あり") return AdvisoryStatus::affected;
    if (v == "not affected" || v == "not-affected" || v == "影響なし")
        return AdvisoryStatus::not_affected;
    if (v == "fixed" || v == "修正済み" || v == "対策済み") return AdvisoryStatus::fixed;
    if (v == "under investigation" || v == "調査中") return AdvisoryStatus::under_investigation;
    return std::nullopt;
}

// The label ends at the first colon, ASCII or full-width.
bool split_label(const std::string& line, std::string& label, std::string& value) {
    auto colon = line.find(':');
    std::size_t width = 1;
    if (auto wide = line.find("\xEF\xBC\x9A"); wide != std::string::npos && wide < colon)
        colon = wide, width = 3;
    if (colon == std::string::npos) return false;
    label = core::to_lower_ascii(line.substr(0, colon));
    value = std::string(core::trim(line.substr(colon + width)));
    return true;
}

std::optional<Field> field_of(const std::string& label) {
    std::optional<Field> field;
    std::size_t start = 0;
    for (;;) {
        const auto slash = label.find('/', start);
        const std::string part(core::trim(
            label.substr(start, slash == std::string::npos ? std::string::npos : slash - start)));
        std::optional<Field> found;
        for (const auto& known : kLabels)
            if (part == known.text) found = known.field;
        if (!found || (field && *field != *found)) return std::nullopt;
        field = found;
        if (slash == std::string::npos) return field;
        start = slash + 1;
    }
}

}  // namespace

std::optional<AdvisoryCorrection> parse_advisory_correction(std::string_view text,
                                                            std::size_t max_input_bytes) {
    if (text.size() > max_input_bytes) text = text.substr(0, max_input_bytes);
    AdvisoryCorrection out;
    std::istringstream in{std::string(text)};
    std::string line;
    while (std::getline(in, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        const std::string trimmed(core::trim(line));
        if (trimmed.empty() || trimmed[0] == '>') continue;  // our own form quoted back
        std::string label, value;
        if (!split_label(trimmed, label, value) || value.empty()) continue;
        // A label in one language or both ("Advisory status / 公表文の状況"), exactly.
        const auto field = field_of(label);
        if (!field) continue;
        switch (*field) {
            case Field::statement_ja:
                out.statement_ja = value;
                break;
            case Field::statement_en:
                out.statement_en = value;
                break;
            case Field::affected:
                out.affected_versions = value;
                break;
            case Field::other:
                out.other = value;
                break;
            case Field::status:
                out.status = status_of(value);
                out.status_unclear = !out.status;
                break;
        }
    }
    if (out.empty()) return std::nullopt;
    return out;
}

}  // namespace cvd::report
