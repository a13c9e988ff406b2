#pragma once

#include <string>
#include <string_view>

namespace cvd::mail {

// Readable plain text from HTML mail (UTF-8 in and out): block elements become line breaks,
// list items "- " lines, links keep their target, script/style/head are dropped, entities
// decoded, whitespace collapsed outside <pre>.
std::string html_to_text(std::string_view html);

}  // namespace cvd::mail
