#pragma once
// Helpers the CSAF and CVE writers share; not part of the module's interface.

#include "cvdbot/advisory/facts.hpp"

#include <string>

namespace cvd::advisory::internal {

// Advisory dates are JST calendar days, as JVN publishes them.
inline std::string jst_timestamp(const std::string& date) { return date + "T00:00:00+09:00"; }

// The advisory's own page: https://jvn.jp/jp/JVN12345678/ or https://jvn.jp/en/vu/JVNVU12345678/.
std::string advisory_url(const AdvisoryFacts& facts, Lang lang);

// A vendor that stated it is not affected: its listed products are known_not_affected.
bool vendor_not_affected(const AdvisoryFacts& facts, const std::string& vendor);

}  // namespace cvd::advisory::internal
