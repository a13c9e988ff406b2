#include "pgp_world.hpp"

#include <stdexcept>

namespace cvd::test {

std::string Party::encrypt_to(const std::string& recipient, std::string_view text,
                              bool sign) const {
    std::vector<std::string> args{"--armor", "--always-trust", "--encrypt", "-r", recipient};
    if (sign) args.insert(args.begin(), {"--sign", "--local-user", fingerprint});
    return gpg(args, text);
}

std::string Party::clearsign(std::string_view text) const {
    return gpg({"--local-user", fingerprint, "--clearsign"}, text);
}

std::string Party::detach_sign(std::string_view data) const {
    return gpg({"--local-user", fingerprint, "--armor", "--detach-sign"}, data);
}

Party make_party(const std::string& tag, const std::string& name,
                 const std::vector<std::string>& extra, const std::string& expire) {
    Party p;
    p.home = std::make_unique<GpgHome>(tag);
    p.address = tag + "@example.test";
    p.fingerprint = p.home->generate(name + " <" + p.address + ">", expire, extra);
    return p;
}

crypto::Keyring open_keyring(const std::string& home, const std::string& passphrase_file) {
    crypto::KeyringSettings settings;
    settings.gnupg_home = home;
    settings.passphrase_file = passphrase_file;
    settings.bot_user_id = "cvdbot <bot@example.test>";
    auto keyring = crypto::Keyring::open(settings);
    if (!keyring) throw std::runtime_error("Keyring::open: " + keyring.error().message);
    return std::move(*keyring);
}

PgpWorld::PgpWorld(std::unique_ptr<GpgHome> home, crypto::Keyring keyring)
    : bot_home(std::move(home)), bot(std::move(keyring)) {}

PgpWorld& PgpWorld::get() {
    // Destroyed at exit, after the tests: the homes and their agents go with it.
    static PgpWorld world = [] {
        // The gpg command line makes the bot's key in one run (generation through the crypto
        // module has its own tests in keys_test.cpp).
        auto home = std::make_unique<GpgHome>("bot");
        home->generate("cvdbot <bot@example.test>");
        auto keyring = open_keyring(home->path());
        PgpWorld w(std::move(home), std::move(keyring));
        auto key = w.bot.signing_key();
        if (!key) throw std::runtime_error("signing_key: " + key.error().message);
        w.bot_fingerprint = key->fingerprint;
        w.bot_public = w.bot.export_public_key(w.bot_fingerprint).value();
        return w;
    }();
    return world;
}

Party& PgpWorld::party(Who who) {
    if (auto it = parties_.find(who); it != parties_.end()) return it->second;
    Party p;
    switch (who) {
        case Who::discoverer:
            p = make_party("disc", "Taro Discoverer");
            break;
        case Who::vendor:
            p = make_party("vendor", "Vendor PSIRT");
            break;
        case Who::coordinator:
            p = make_party("coord", "Coordinator");
            break;
        case Who::stranger:
            p = make_party("strng", "Stranger");
            break;
        case Who::expired:
            p = make_party("exp", "Old Key", {"--faked-system-time", "20200101T000000"}, "2d");
            expired_clearsigned_ = p.gpg({"--faked-system-time", "20200101T120000", "--local-user",
                                          p.fingerprint, "--clearsign"},
                                         "signed in 2020\n");
            break;
        case Who::revoked:
            p = make_party("rev", "Revoked Key");
            revoked_clearsigned_ = p.clearsign("signed before the revocation\n");
            break;
    }
    p.home->import(bot_public);
    if (who != Who::stranger) {
        const std::string pub = p.home->export_public(p.fingerprint);
        auto imported = bot.import_keys(pub);
        if (!imported || imported->keys.empty())
            throw std::runtime_error("the bot could not import " + p.address);
        // Everyone the bot knows knows each other (mail to the wrong party needs that).
        for (auto& [other_who, other] : parties_) {
            if (other_who == Who::stranger) continue;
            other.home->import(pub);
            p.home->import(other.home->export_public(other.fingerprint));
        }
    }
    if (who == Who::revoked) {
        auto revocation = bot.import_keys(p.home->revocation(p.fingerprint));
        if (!revocation) throw std::runtime_error("revocation: " + revocation.error().message);
    }
    return parties_.emplace(who, std::move(p)).first->second;
}

const std::string& PgpWorld::expired_clearsigned() {
    party(Who::expired);
    return expired_clearsigned_;
}

const std::string& PgpWorld::revoked_clearsigned() {
    party(Who::revoked);
    return revoked_clearsigned_;
}

}  // namespace cvd::test
