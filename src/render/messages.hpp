#pragma once
// How the render module words its problems: "FILE:LINE: message".

#include <string>

#include "cvdbot/render/template_set.hpp"

namespace cvd::render {

inline std::string where(const std::string& file, int line) {
    return file + ":" + std::to_string(line) + ": ";
}

}  // namespace cvd::render
