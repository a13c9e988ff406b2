#pragma once
// Counting the gpg processes GPGME starts, for tests that hold the crypto module to its cost
// per operation.

#include <gpgme.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "gpg_cli.hpp"

namespace cvd::test {

// Makes GPGME run gpg through a script that logs each run's arguments, for contexts created
// while it lives (a new Keyring's pool); restores the previous program afterwards.
class GpgRunCounter {
  public:
    GpgRunCounter() : dir_(test::make_temp_dir("runs")) {
        gpgme_check_version(nullptr);
        for (gpgme_engine_info_t info = gpgme_get_engine_info_or_null(); info; info = info->next)
            if (info->protocol == GPGME_PROTOCOL_OpenPGP && info->file_name)
                real_gpg_ = info->file_name;
        REQUIRE_FALSE(real_gpg_.empty());
        log_ = dir_ + "/runs.log";
        const std::string script = dir_ + "/gpg";
        std::ofstream(script) << "#!/bin/sh\necho \"$*\" >> '" << log_ << "'\nexec '" << real_gpg_
                              << "' \"$@\"\n";
        std::filesystem::permissions(script, std::filesystem::perms::owner_all);
        REQUIRE(gpgme_set_engine_info(GPGME_PROTOCOL_OpenPGP, script.c_str(), nullptr) == 0);
    }
    ~GpgRunCounter() {
        gpgme_set_engine_info(GPGME_PROTOCOL_OpenPGP, real_gpg_.c_str(), nullptr);
        std::filesystem::remove_all(dir_);
    }

    // The runs so far, one line of arguments each.
    std::vector<std::string> runs() const {
        std::vector<std::string> lines;
        std::ifstream in(log_);
        for (std::string line; std::getline(in, line);) lines.push_back(line);
        return lines;
    }
    // The runs that made a signature (gpg --sign, alone or with --encrypt).
    std::size_t signing_runs() const {
        std::size_t n = 0;
        for (const auto& line : runs())
            if ((" " + line + " ").find(" --sign ") != std::string::npos) ++n;
        return n;
    }
    std::string listing() const {
        std::string out;
        for (const auto& line : runs()) out += line + "\n";
        return out;
    }

  private:
    static gpgme_engine_info_t gpgme_get_engine_info_or_null() {
        gpgme_engine_info_t info = nullptr;
        return gpgme_get_engine_info(&info) == 0 ? info : nullptr;
    }
    std::string dir_, log_, real_gpg_;
};

}  // namespace cvd::test
