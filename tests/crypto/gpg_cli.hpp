#pragma once
// The gpg command line as a separate OpenPGP client, for tests and the benchmark: throwaway
// home directories with generated keys, and runs of gpg on them. Nothing here uses cvdbot's
// crypto module, so what it produces is independent evidence.

#include <string>
#include <string_view>
#include <vector>

namespace cvd::test {

struct RunResult {
    int status = -1;  // exit status; -1 when it could not run or was killed
    std::string out, err;
};

// Runs argv[0] (found on PATH) with `input` on stdin; output captured through files, so any
// size works without pipe deadlocks.
RunResult run(const std::vector<std::string>& argv, std::string_view input = {},
              const std::vector<std::string>& env = {});

// A GnuPG home under /tmp (short: agent socket paths), removed with its agent at destruction.
class GpgHome {
  public:
    explicit GpgHome(std::string_view tag);
    ~GpgHome();
    GpgHome(const GpgHome&) = delete;
    GpgHome& operator=(const GpgHome&) = delete;

    const std::string& path() const { return path_; }

    // gpg --homedir HOME --batch --pinentry-mode loopback --passphrase '' --yes ARGS...
    RunResult gpg(const std::vector<std::string>& args, std::string_view input = {}) const;
    // gpg that must succeed: fails the test (throws) otherwise, with gpg's stderr.
    std::string gpg_ok(const std::vector<std::string>& args, std::string_view input = {}) const;

    // ed25519 sign+certify and cv25519 encryption, as the project's keys; returns the
    // fingerprint. `extra` goes before --quick-gen-key (e.g. --faked-system-time).
    std::string generate(const std::string& user_id, const std::string& expire = "never",
                         const std::vector<std::string>& extra = {}) const;
    std::string export_public(const std::string& fingerprint) const;
    void import(std::string_view key_data) const;
    // The revocation certificate gpg stored when it generated the key, ready to import.
    std::string revocation(const std::string& fingerprint) const;

    void kill_agent() const;

  private:
    std::string path_;
};

// Unique scratch directory under /tmp (removed by the caller).
std::string make_temp_dir(std::string_view tag);

}  // namespace cvd::test
