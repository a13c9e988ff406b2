#pragma once

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace cvd::report::test {

inline std::string load(const std::string& name) {
    std::ifstream in(std::string(CVDBOT_SOURCE_DIR) + "/tests/data/report/" + name,
                     std::ios::binary);
    if (!in) throw std::runtime_error("missing test file " + name);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

}  // namespace cvd::report::test
