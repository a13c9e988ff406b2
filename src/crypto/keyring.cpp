// Opening the keyring: everything that can be wrong with the configuration is found here, at
// start-up, rather than on the first message.

#include "cvdbot/crypto/keyring.hpp"

#include <sys/stat.h>

#include <fstream>

#include "agent_signer.hpp"
#include "gpgme_support.hpp"

namespace cvd::crypto {

using core::ErrorKind;
using core::make_error;

const char* to_string(SignatureStatus status) {
    switch (status) {
        case SignatureStatus::none:
            return "none";
        case SignatureStatus::good:
            return "good";
        case SignatureStatus::bad:
            return "bad";
        case SignatureStatus::unknown_key:
            return "unknown_key";
        case SignatureStatus::expired:
            return "expired";
        case SignatureStatus::revoked:
            return "revoked";
        case SignatureStatus::error:
            return "error";
    }
    return "error";
}

const char* to_string(DecryptStatus status) {
    switch (status) {
        case DecryptStatus::ok:
            return "ok";
        case DecryptStatus::not_for_us:
            return "not_for_us";
        case DecryptStatus::password_only:
            return "password_only";
        case DecryptStatus::corrupt:
            return "corrupt";
        case DecryptStatus::unsupported:
            return "unsupported";
    }
    return "corrupt";
}

const Signature* main_signature(const std::vector<Signature>& signatures) {
    for (const auto& s : signatures)
        if (s.status == SignatureStatus::good) return &s;
    return signatures.empty() ? nullptr : &signatures.front();
}

std::string normalize_fingerprint(std::string_view text) {
    std::string out;
    if (text.size() >= 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X'))
        text.remove_prefix(2);
    for (char c : text) {
        if (c == ' ') continue;
        if (c >= 'a' && c <= 'f') c = static_cast<char>(c - 'a' + 'A');
        if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'))) return {};
        out.push_back(c);
    }
    return out;
}

Keyring::Keyring(KeyringSettings settings, std::string passphrase)
    : settings_(std::move(settings)),
      passphrase_(std::move(passphrase)),
      cache_(std::make_shared<detail::KeyCache>(settings_.gnupg_home)),
      pool_(std::make_shared<detail::ContextPool>(settings_.gnupg_home.string())),
      agent_(std::make_shared<detail::AgentSigner>(settings_.gnupg_home.string())) {}

Keyring::FilesChecked::FilesChecked(const Keyring& keyring) : cache_(keyring.cache_) {
    cache_->hold_stamp();
}

Keyring::FilesChecked::~FilesChecked() {
    cache_->release_stamp();
}

core::Result<Keyring> Keyring::open(KeyringSettings settings) {
    if (settings.gnupg_home.empty())
        return make_error(ErrorKind::config, "crypto.gnupg_home is not set");
    std::error_code ec;
    auto home = std::filesystem::absolute(settings.gnupg_home, ec).lexically_normal();
    if (ec) return make_error(ErrorKind::config, "crypto.gnupg_home: " + ec.message());
    std::string home_text = home.string();
    while (home_text.size() > 1 && home_text.back() == '/') home_text.pop_back();
    settings.gnupg_home = home_text;
    if (home_text.size() > max_gnupg_home_length)
        return make_error(ErrorKind::config,
                          "crypto.gnupg_home \"" + home_text + "\" is " +
                              std::to_string(home_text.size()) + " bytes long; gpg-agent needs " +
                              "it to be at most " + std::to_string(max_gnupg_home_length) +
                              " bytes (its sockets live inside it): choose a shorter path");
    if (!std::filesystem::exists(home, ec)) {
        std::filesystem::create_directories(home, ec);
        if (ec)
            return make_error(ErrorKind::config,
                              "cannot create crypto.gnupg_home " + home_text + ": " + ec.message());
        // GnuPG refuses to trust a home directory others can read.
        ::chmod(home_text.c_str(), 0700);
    } else if (!std::filesystem::is_directory(home, ec)) {
        return make_error(ErrorKind::config,
                          "crypto.gnupg_home " + home_text + " exists but is not a directory");
    }

    std::string passphrase;
    if (!settings.passphrase_file.empty()) {
        std::ifstream in(settings.passphrase_file, std::ios::binary);
        if (!in)
            return make_error(ErrorKind::config, "cannot read crypto.passphrase_file " +
                                                     settings.passphrase_file.string());
        std::getline(in, passphrase);
        if (!passphrase.empty() && passphrase.back() == '\r') passphrase.pop_back();
        if (passphrase.empty())
            return make_error(ErrorKind::config, "crypto.passphrase_file " +
                                                     settings.passphrase_file.string() +
                                                     " is empty: its first line is the passphrase");
    }
    Keyring keyring(std::move(settings), std::move(passphrase));
    // Fails early when gpg is missing, rather than on the first message.
    if (auto ctx = ContextAccess::make(keyring, nullptr); !ctx) return ctx.error();
    return keyring;
}

}  // namespace cvd::crypto
