#pragma once
// Throwaway keys for a test process: the bot (its keyring driven by cvdbot's crypto module)
// and the people it talks to, each a separate gpg command-line client in its own home. The
// bot's home is made on first use; each person when a test first asks for them, so a test
// pays only for the people it needs. Everything, gpg-agents included, goes at exit.

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "cvdbot/crypto/keyring.hpp"
#include "gpg_cli.hpp"

namespace cvd::test {

struct Party {
    std::unique_ptr<GpgHome> home;
    std::string fingerprint;
    std::string address;

    // Output of the party's gpg run with `args` and the data on stdin.
    std::string gpg(const std::vector<std::string>& args, std::string_view input) const {
        return home->gpg_ok(args, input);
    }
    std::string encrypt_to(const std::string& recipient, std::string_view text, bool sign) const;
    std::string clearsign(std::string_view text) const;
    std::string detach_sign(std::string_view data) const;
};

// A new person with their own home and key (not known to the bot).
Party make_party(const std::string& tag, const std::string& name,
                 const std::vector<std::string>& extra = {}, const std::string& expire = "never");

class PgpWorld {
  public:
    static PgpWorld& get();

    std::unique_ptr<GpgHome> bot_home;
    crypto::Keyring bot;
    std::string bot_fingerprint;
    std::string bot_public;  // armored

    // Known to the bot (their public keys imported) and to each other; each has the bot's key.
    const Party& discoverer() { return party(Who::discoverer); }
    const Party& vendor() { return party(Who::vendor); }
    const Party& coordinator() { return party(Who::coordinator); }
    const Party& expired() { return party(Who::expired); }  // valid two days in January 2020
    const Party& revoked() { return party(Who::revoked); }  // the bot has its revocation
    // Has the bot's key; the bot does not have theirs.
    const Party& stranger() { return party(Who::stranger); }

    const std::string& expired_clearsigned();  // made in 2020, while the key was valid
    const std::string& revoked_clearsigned();  // made before the revocation

  private:
    enum class Who { discoverer, vendor, coordinator, stranger, expired, revoked };
    PgpWorld(std::unique_ptr<GpgHome> home, crypto::Keyring keyring);
    Party& party(Who who);

    std::map<Who, Party> parties_;
    std::string expired_clearsigned_, revoked_clearsigned_;
};

// Keyring::open on a directory (bot user id "cvdbot <bot@example.test>"); throws on error.
crypto::Keyring open_keyring(const std::string& home, const std::string& passphrase_file = {});

}  // namespace cvd::test
