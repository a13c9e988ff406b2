#pragma once
// Charset conversion to UTF-8 (glibc iconv, ICU as a fallback for names iconv lacks).

#include <string>
#include <string_view>
#include <vector>

namespace cvd::mail {

// Converts `bytes` declared as `charset` to UTF-8. The result is always valid UTF-8.
// Japanese is read the way Japanese mail means it: ISO-2022-JP with the Microsoft
// extensions (CP50221-like: ①, ㈱, half-width kana), Shift_JIS as CP932, EUC-JP with the
// NEC/IBM extensions. An empty, unknown or wrong charset gives best-effort text (UTF-8 if
// valid, unambiguous Japanese if detected, else windows-1252) plus a warning.
std::string to_utf8(std::string_view bytes, std::string_view charset,
                    std::vector<std::string>* warnings = nullptr);

// The charset `to_utf8` would use for unlabeled 8-bit bytes: "us-ascii", "utf-8",
// "iso-2022-jp", "shift_jis", "euc-jp" or "" when nothing is unambiguous.
std::string detect_charset(std::string_view bytes);

// Canonical lower-case name for a declared charset ("x-sjis" → "shift_jis"); trims quotes
// and an RFC 2231 language suffix.
std::string normalize_charset_name(std::string_view charset);

}  // namespace cvd::mail
