#pragma once
// Which form labels name which field, in Japanese and English. Internal.

#include <optional>
#include <string_view>

#include "cvdbot/report/report_form.hpp"

namespace cvd::report::labels {

// A label names a field, one of two helpers that parse_report folds into fields, or a
// section heading ("■届出者情報") that ends the field before it.
enum class Key { field, cwe, description, heading };

struct LabelMatch {
    Key key = Key::field;
    Field field = Field::discoverer_name;  // when key == Key::field
    bool operator==(const LabelMatch&) const = default;
};

// The field a label names: `raw` is the text before the colon or inside 【】, as written.
// `allow_keywords` also accepts longer Japanese labels and English questions by the words
// they contain; off for a label standing alone on a line without a colon.
std::optional<LabelMatch> match_label(std::string_view raw, bool allow_keywords);

}  // namespace cvd::report::labels
