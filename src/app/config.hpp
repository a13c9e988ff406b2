#pragma once
// The daemon's configuration: one TOML file. Unknown keys, missing required keys and bad
// values stop start-up with a message naming the file, the line and the key.

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "cvdbot/core/result.hpp"

namespace cvd::app {

struct ImapConfig {
    std::string url;
    std::string user;
    std::string password;
    std::string mailbox = "INBOX";
    std::string processed_folder;  // empty: flag \Seen and leave the message in place
    // IMAP IDLE: new mail is fetched as soon as the server reports it; polling stays as the
    // fallback for servers without IDLE and bounds every wait.
    bool idle = true;
    // IDLE is ended and started again this often, before the server's inactivity timeout
    // (RFC 2177: at most every 29 minutes).
    std::chrono::seconds idle_reissue{25 * 60};
};

struct SmtpConfig {
    std::string url;
    std::string user;
    std::string password;
};

struct BotConfig {
    std::string address;
    std::string name = "cvdbot";
    std::string case_prefix = "CVD";
    // Messages go out in the recipient's language: their stored preference, else the
    // language of their last mail, else this.
    std::string language = "ja";
};

struct CryptoConfig {
    std::filesystem::path gnupg_home;       // empty: "gnupg" next to the database
    std::filesystem::path passphrase_file;  // empty: the bot key has no passphrase
    int key_validity_days = 0;              // of a generated bot key; 0 = never expires
};

// [advisory]: who publishes the advisories and CVE records (advisory_config.cpp).
struct AdvisoryConfig {
    std::string publisher_name = "JPCERT/CC";
    std::string publisher_namespace = "https://www.jpcert.or.jp/";
    std::string cna_org_id;  // the CNA's UUID at the CVE Program; CVE records need it
    std::string cna_short_name = "jpcert";
    std::string id_pattern = "^JVN(VU)?#[0-9]{8}$";
    std::string advisory_url_base = "https://jvn.jp/";
};

struct Config {
    ImapConfig imap;
    SmtpConfig smtp;
    BotConfig bot;
    std::filesystem::path database = "./cvdbot.db";
    std::filesystem::path templates_dir = "./templates";
    std::filesystem::path rules_dir = "./rules";
    std::chrono::seconds poll_interval{60};
    // Coordinators' addresses: their mail to a case is filed on it (commands need more:
    // a registered signing key).
    std::vector<std::string> coordinators;
    CryptoConfig crypto;
    AdvisoryConfig advisory;
};

core::Result<Config> load_config(const std::filesystem::path& path);
// `source` names the file in messages; `base_dir` resolves password_file paths.
core::Result<Config> parse_config(std::string_view toml_text, const std::string& source,
                                  const std::filesystem::path& base_dir);

}  // namespace cvd::app
