#pragma once
// A vendor's review of the draft advisory: the part of the facts that vendor may see. Only its
// own affected products and statement; the shared texts (title, overview, description, impact,
// solution, workaround) and the vulnerability's CVE, CWE and CVSS; never another vendor's name
// or statement, references (they may name other vendors) or the credit (the discoverer's name).

#include <string>

#include "cvdbot/advisory/facts.hpp"

namespace cvd::advisory {

// `vendor` as the facts name it (case-insensitive ASCII match).
AdvisoryFacts vendor_section(const AdvisoryFacts& facts, const std::string& vendor);

// The vendor's section as text in one language, without the checks an export makes (a draft
// for review may still lack a date or an id).
std::string render_vendor_section(const AdvisoryFacts& section, Lang lang);

}  // namespace cvd::advisory
