#pragma once

#include <fstream>
#include <sstream>
#include <string>

namespace cvd::mail::test {

inline std::string load(const std::string& name) {
    std::ifstream in(std::string(CVDBOT_SOURCE_DIR) + "/tests/data/mail/" + name, std::ios::binary);
    if (!in) throw std::runtime_error("missing test file " + name);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

inline bool has_warning(const std::vector<std::string>& warnings, const std::string& part) {
    for (const auto& w : warnings)
        if (w.find(part) != std::string::npos) return true;
    return false;
}

}  // namespace cvd::mail::test
