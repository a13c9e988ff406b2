// Time per Keyring::encrypt as the daemon calls it for a reply: signed, to two recipients and
// to the bot itself, a report-sized text (~3 KB). A `gpg --sign --encrypt` loop on the same
// home is the reference. Uses only the public Keyring API, so the same file measures any
// version of the crypto module.
//
//   encrypt_bench [MESSAGES=100]

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "cvdbot/crypto/keyring.hpp"
#include "gpg_cli.hpp"

namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point start) {
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

void print(const char* what, std::vector<double> ms) {
    std::sort(ms.begin(), ms.end());
    double sum = 0;
    for (double m : ms) sum += m;
    std::printf("  %-36s median %6.2f ms  mean %6.2f ms  p90 %6.2f ms\n", what, ms[ms.size() / 2],
                sum / static_cast<double>(ms.size()), ms[ms.size() * 9 / 10]);
}

}  // namespace

int main(int argc, char** argv) {
    const std::size_t n = argc > 1 ? std::stoul(argv[1]) : 100;
    cvd::test::GpgHome bot_home("ebot"), a("eda"), b("edb");
    cvd::crypto::KeyringSettings settings;
    settings.gnupg_home = bot_home.path();
    settings.bot_user_id = "cvdbot <bot@example.test>";
    auto keyring = cvd::crypto::Keyring::open(settings);
    if (!keyring) return std::fprintf(stderr, "%s\n", keyring.error().message.c_str()), 1;
    auto bot_key = keyring->ensure_bot_key();
    if (!bot_key) return std::fprintf(stderr, "%s\n", bot_key.error().message.c_str()), 1;
    std::vector<std::string> recipients;
    for (auto* home : {&a, &b}) {
        recipients.push_back(home->generate("Reader <r@example.test>"));
        if (auto imported = keyring->import_keys(home->export_public(recipients.back())); !imported)
            return 1;
    }
    std::string text = "Content-Type: text/plain; charset=utf-8\r\n\r\n";
    while (text.size() < 3000) text += "Thank you for your report; we will contact the vendor.\r\n";

    int failures = 0;
    for (int i = 0; i < 3; ++i)  // agent up, caches warm
        if (!keyring->encrypt(text, recipients)) ++failures;
    std::vector<double> bot, gpg;
    const std::vector<std::string> gpg_args{"--armor",
                                            "--always-trust",
                                            "--sign",
                                            "--local-user",
                                            bot_key->fingerprint,
                                            "--encrypt",
                                            "-r",
                                            recipients[0],
                                            "-r",
                                            recipients[1],
                                            "-r",
                                            bot_key->fingerprint};
    for (std::size_t i = 0; i < n; ++i) {
        auto start = Clock::now();
        if (!keyring->encrypt(text, recipients)) ++failures;
        bot.push_back(ms_since(start));
        start = Clock::now();
        if (bot_home.gpg(gpg_args, text).status != 0) ++failures;
        gpg.push_back(ms_since(start));
    }
    std::printf("sign+encrypt of %zu bytes to 2 recipients + the bot, %zu messages, turn by turn\n",
                text.size(), n);
    print("cvdbot crypto::Keyring::encrypt", bot);
    print("gpg --sign --encrypt (command line)", gpg);
    if (failures) std::printf("  FAILURES: %d\n", failures);
    return failures ? 1 : 0;
}
