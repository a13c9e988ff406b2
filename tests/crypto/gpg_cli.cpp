#include "gpg_cli.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

extern char** environ;

namespace cvd::test {
namespace {

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

}  // namespace

std::string make_temp_dir(std::string_view tag) {
    std::string pattern = "/tmp/cvd" + std::string(tag.substr(0, 6)) + "XXXXXX";
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    return pattern;
}

RunResult run(const std::vector<std::string>& argv, std::string_view input,
              const std::vector<std::string>& env) {
    RunResult r;
    const std::string dir = make_temp_dir("run");
    const std::string in_path = dir + "/in", out_path = dir + "/out", err_path = dir + "/err";
    {
        std::ofstream in(in_path, std::ios::binary);
        in.write(input.data(), static_cast<std::streamsize>(input.size()));
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, in_path.c_str(), O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT, 0600);
    posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT, 0600);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    std::vector<std::string> env_strings;
    for (char** e = environ; *e; ++e) env_strings.emplace_back(*e);
    for (const auto& e : env) env_strings.push_back(e);
    std::vector<char*> envp;
    for (auto& e : env_strings) envp.push_back(e.data());
    envp.push_back(nullptr);
    pid_t pid = 0;
    if (posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), envp.data()) == 0) {
        int status = 0;
        while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
        }
        r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
    posix_spawn_file_actions_destroy(&actions);
    r.out = slurp(out_path);
    r.err = slurp(err_path);
    std::filesystem::remove_all(dir);
    return r;
}

GpgHome::GpgHome(std::string_view tag) : path_(make_temp_dir(tag)) {
    ::chmod(path_.c_str(), 0700);
}

GpgHome::~GpgHome() {
    kill_agent();
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
}

void GpgHome::kill_agent() const {
    run({"gpgconf", "--homedir", path_, "--kill", "gpg-agent"});
}

RunResult GpgHome::gpg(const std::vector<std::string>& args, std::string_view input) const {
    std::vector<std::string> argv{
        "gpg",      "--homedir",       path_,      "--batch",      "--yes",
        "--no-tty", "--pinentry-mode", "loopback", "--passphrase", ""};
    argv.insert(argv.end(), args.begin(), args.end());
    return run(argv, input);
}

std::string GpgHome::gpg_ok(const std::vector<std::string>& args, std::string_view input) const {
    RunResult r = gpg(args, input);
    if (r.status != 0) {
        std::string cmd;
        for (const auto& a : args) cmd += " " + a;
        throw std::runtime_error("gpg" + cmd + " failed (" + std::to_string(r.status) +
                                 "): " + r.err);
    }
    return r.out;
}

std::string GpgHome::generate(const std::string& user_id, const std::string& expire,
                              const std::vector<std::string>& extra) const {
    // "future-default" is ed25519 (sign, certify) with a cv25519 encryption subkey: the
    // project's key type, in one gpg run.
    std::vector<std::string> args = extra;
    args.insert(args.end(), {"--status-fd", "1", "--quick-gen-key", user_id, "future-default",
                             "default", expire});
    const std::string status = gpg_ok(args);
    const std::string marker = "[GNUPG:] KEY_CREATED B ";
    const std::size_t at = status.find(marker);
    if (at == std::string::npos) throw std::runtime_error("gpg created no key for " + user_id);
    const std::size_t start = at + marker.size();
    return status.substr(start, status.find_first_of("\r\n", start) - start);
}

std::string GpgHome::export_public(const std::string& fingerprint) const {
    return gpg_ok({"--armor", "--export", fingerprint});
}

void GpgHome::import(std::string_view key_data) const {
    gpg_ok({"--import"}, key_data);
}

std::string GpgHome::revocation(const std::string& fingerprint) const {
    std::ifstream in(path_ + "/openpgp-revocs.d/" + fingerprint + ".rev");
    std::ostringstream out;
    std::string line;
    // gpg prefixes the armor line with ':' so that nobody imports it by accident.
    while (std::getline(in, line))
        out << (line.rfind(":-----", 0) == 0 ? line.substr(1) : line) << "\n";
    return out.str();
}

}  // namespace cvd::test
