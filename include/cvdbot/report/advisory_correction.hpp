#pragma once
// Reading a vendor's corrections to its section of the draft advisory. The advisory_review
// template carries this form (labels in English, Japanese or both, as in the template):
//   Statement (en) / ベンダのコメント (英語): TEXT
//   Statement (ja) / ベンダのコメント (日本語): TEXT
//   Advisory status / 公表文の状況: affected | not affected | fixed | under investigation
//   Versions for the advisory / 公表文に記載するバージョン: TEXT
//   Other corrections / その他の修正: TEXT
// Quoted lines ("> ...") are ignored; a label given twice keeps the last value. Pure: no I/O,
// never throws, bounded against hostile input.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace cvd::report {

enum class AdvisoryStatus { affected, not_affected, fixed, under_investigation };

struct AdvisoryCorrection {
    std::string statement_ja;
    std::string statement_en;
    std::optional<AdvisoryStatus> status;
    bool status_unclear = false;  // a status was written but is none of the four
    std::string affected_versions;
    std::string other;
    bool empty() const {
        return statement_ja.empty() && statement_en.empty() && !status && !status_unclear &&
               affected_versions.empty() && other.empty();
    }
};

// nullopt when the text holds no filled-in line of the form.
std::optional<AdvisoryCorrection> parse_advisory_correction(std::string_view text,
                                                            std::size_t max_input_bytes = 64 *
                                                                                          1024);

}  // namespace cvd::report
