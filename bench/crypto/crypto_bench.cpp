// Decrypt+verify throughput: the bot's path (crypto::Keyring, and open_pgp on whole PGP/MIME
// mail) next to a loop of `gpg --decrypt` on the same signed and encrypted messages, in the
// same run and the same GnuPG home. Rounds alternate so that drift hits both alike.
//
//   crypto_bench [MESSAGES_PER_ROUND=100] [ROUNDS=3] [THREADS=2]

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "cvdbot/crypto/keyring.hpp"
#include "cvdbot/mail/parser.hpp"
#include "gpg_cli.hpp"
#include "pgp_mime.hpp"
#include "pgp_open.hpp"

extern char** environ;

namespace {

using Clock = std::chrono::steady_clock;

struct Corpus {
    std::vector<std::string> ciphertexts;  // armored, signed and encrypted
    std::vector<std::string> files;        // the same, on disk for gpg
    std::vector<std::string> mails;        // the same as PGP/MIME messages
};

std::string mail_for(const std::string& ciphertext, std::size_t i) {
    return "From: Taro <disc@example.test>\r\nTo: bot@example.test\r\nSubject: ...\r\n"
           "Message-ID: <bench-" +
           std::to_string(i) +
           "@example.test>\r\nMIME-Version: 1.0\r\n"
           "Content-Type: multipart/encrypted; protocol=\"application/pgp-encrypted\"; "
           "boundary=\"b\"\r\n\r\n"
           "--b\r\nContent-Type: application/pgp-encrypted\r\n\r\nVersion: 1\r\n\r\n"
           "--b\r\nContent-Type: application/octet-stream\r\n\r\n" +
           cvd::app::pgp::to_crlf(ciphertext) + "\r\n--b--\r\n";
}

// One `gpg --decrypt` as an administrator would run it: status on a descriptor, output
// discarded. Returns whether gpg succeeded.
bool gpg_decrypt(const std::string& home, const std::string& file) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    std::vector<std::string> args{"gpg",         "--homedir", home,        "--batch", "--no-tty",
                                  "--status-fd", "2",         "--decrypt", file};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t pid = 0;
    int status = -1;
    if (posix_spawnp(&pid, "gpg", &actions, nullptr, argv.data(), environ) == 0)
        waitpid(pid, &status, 0);
    posix_spawn_file_actions_destroy(&actions);
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

// What one fork() of this process costs (the child exits at once). GPGME forks twice per
// operation (a double fork before exec); the gpg loop below uses posix_spawn, which does not
// copy the parent's page tables. On virtual machines the difference is most of the gap.
double fork_ms() {
    constexpr int n = 50;
    const auto start = Clock::now();
    for (int i = 0; i < n; ++i) {
        pid_t pid = fork();
        if (pid == 0) _exit(0);
        waitpid(pid, nullptr, 0);
    }
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count() / n;
}

// Runs `op(i)` for i in [0, n) on `threads` threads; messages per second.
double rate(std::size_t n, int threads, const std::function<bool(std::size_t)>& op,
            std::atomic<int>& failures) {
    std::atomic<std::size_t> next{0};
    const auto start = Clock::now();
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t)
        pool.emplace_back([&] {
            for (std::size_t i = next++; i < n; i = next++)
                if (!op(i)) ++failures;
        });
    for (auto& t : pool) t.join();
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    return static_cast<double>(n) / seconds;
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
    const std::size_t per_round = argc > 1 ? std::stoul(argv[1]) : 100;
    const int rounds = argc > 2 ? std::stoi(argv[2]) : 3;
    const int threads = argc > 3 ? std::stoi(argv[3]) : 2;

    cvd::test::GpgHome bot_home("bbot"), disc("bdsc");
    cvd::crypto::KeyringSettings settings;
    settings.gnupg_home = bot_home.path();
    settings.bot_user_id = "cvdbot <bot@example.test>";
    auto keyring = cvd::crypto::Keyring::open(settings);
    if (!keyring) return std::fprintf(stderr, "%s\n", keyring.error().message.c_str()), 1;
    auto bot_key = keyring->ensure_bot_key();
    if (!bot_key) return std::fprintf(stderr, "%s\n", bot_key.error().message.c_str()), 1;
    const std::string disc_fpr = disc.generate("Taro <disc@example.test>");
    disc.import(*keyring->export_public_key(bot_key->fingerprint));
    if (auto imported = keyring->import_keys(disc.export_public(disc_fpr)); !imported) return 1;

    // Distinct messages of report size (a few KiB), cycled through.
    Corpus corpus;
    const std::string dir = bot_home.path() + "/msgs";
    std::filesystem::create_directories(dir);
    constexpr std::size_t distinct = 20;
    for (std::size_t i = 0; i < distinct; ++i) {
        std::string text =
            "Content-Type: text/plain; charset=utf-8\r\n\r\nReport " + std::to_string(i) + "\r\n";
        for (int line = 0; line < 60; ++line)
            text += "Steps to reproduce: send a crafted request to /login.\r\n";
        corpus.ciphertexts.push_back(
            disc.gpg_ok({"--armor", "--always-trust", "--sign", "--local-user", disc_fpr,
                         "--encrypt", "-r", bot_key->fingerprint},
                        text));
        corpus.files.push_back(dir + "/m" + std::to_string(i) + ".asc");
        std::ofstream(corpus.files.back(), std::ios::binary) << corpus.ciphertexts.back();
        corpus.mails.push_back(mail_for(corpus.ciphertexts.back(), i));
    }

    std::atomic<int> failures{0};
    auto bot_op = [&](std::size_t i) {
        auto d = keyring->decrypt(corpus.ciphertexts[i % distinct]);
        return d && d->ok() && !d->signatures.empty() &&
               d->signatures[0].status == cvd::crypto::SignatureStatus::good;
    };
    auto open_op = [&](std::size_t i) {
        const std::string& raw = corpus.mails[i % distinct];
        auto opened = cvd::app::open_pgp(cvd::mail::parse_message(raw), raw, *keyring);
        return opened && opened->report.decrypted_ok &&
               opened->report.signature == cvd::crypto::SignatureStatus::good;
    };
    auto gpg_op = [&](std::size_t i) {
        return gpg_decrypt(bot_home.path(), corpus.files[i % distinct]);
    };
    for (std::size_t i = 0; i < 3; ++i) bot_op(i), open_op(i), gpg_op(i);  // agent up, caches warm

    // Sequential: the three paths take turns message by message, so that load from elsewhere
    // on the machine hits all of them alike; the rate is 1 / median latency.
    std::vector<double> bot, open, gpg, bot_par, gpg_par;
    const std::function<bool(std::size_t)> ops[] = {bot_op, gpg_op, open_op};
    std::vector<double>* latencies[] = {&bot, &gpg, &open};
    for (std::size_t i = 0; i < per_round * static_cast<std::size_t>(rounds); ++i)
        for (std::size_t p = 0; p < 3; ++p) {
            const std::size_t which = (p + i) % 3;  // rotate who goes first
            const auto start = Clock::now();
            if (!ops[which](i)) ++failures;
            latencies[which]->push_back(
                1000.0 / std::chrono::duration<double, std::milli>(Clock::now() - start).count());
        }
    for (int r = 0; r < rounds; ++r) {
        bot_par.push_back(rate(per_round, threads, bot_op, failures));
        gpg_par.push_back(rate(per_round, threads, gpg_op, failures));
    }
    const double b = median(bot), o = median(open), g = median(gpg), bp = median(bot_par),
                 gp = median(gpg_par);
    std::printf(
        "decrypt+verify of %zu distinct signed+encrypted reports; sequential: %zu messages each, "
        "turn by turn (1 / median latency); parallel: %d rounds of %zu (median)\n",
        distinct, per_round * static_cast<std::size_t>(rounds), rounds, per_round);
    std::printf("  cvdbot crypto::Keyring::decrypt     %7.1f msg/s\n", b);
    std::printf("  cvdbot open_pgp (parse + PGP/MIME)  %7.1f msg/s\n", o);
    std::printf("  gpg --decrypt loop                  %7.1f msg/s\n", g);
    std::printf("  ratio cvdbot/gpg                    %7.2f (open_pgp/gpg %.2f)\n", b / g, o / g);
    std::printf("  %d threads: cvdbot %.1f msg/s, gpg %.1f msg/s, ratio %.2f\n", threads, bp, gp,
                bp / gp);
    std::printf("  one fork() of this process: %.1f ms (GPGME forks twice per operation)\n",
                fork_ms());
    if (failures)
        std::printf("  FAILURES: %d operations did not decrypt and verify\n", failures.load());
    return failures ? 1 : 0;
}
