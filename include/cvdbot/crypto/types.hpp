#pragma once
// What the crypto module reports: plain data, no GPGME types. Fingerprints are upper-case hex
// (40 digits for v4 keys), key ids the last 16 digits of a fingerprint.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cvdbot/core/time.hpp"

namespace cvd::crypto {

struct KeyInfo {
    std::string fingerprint;                       // of the primary key
    std::vector<std::string> user_ids;             // as written ("Name <addr>")
    std::vector<std::string> addresses;            // lower-case addr-specs of the valid user ids
    std::vector<std::string> subkey_fingerprints;  // the primary key's first, then each subkey's
    core::Timestamp created{};
    std::optional<core::Timestamp> expires;  // of the primary key
    bool revoked = false;
    bool expired = false;
    bool disabled = false;
    bool invalid = false;
    bool has_secret = false;        // we hold the secret key: one of the bot's keys
    bool can_encrypt = false;       // some subkey is usable for encryption now
    bool can_sign = false;          // some subkey (or the primary key) is usable for signing now
    bool primary_can_sign = false;  // the primary key itself is usable for signing now
    // The fingerprint of the key gpg encrypts to: the newest subkey usable for encryption now
    // (the primary key when no subkey is); empty when none.
    std::string encryption_key;
    std::optional<core::Timestamp> encryption_key_expires;  // the listing may be a minute old
    // Position in gpg's own listing, which follows the order keys were added to the keyring:
    // it tells apart two keys created within the same second.
    std::size_t keyring_position = 0;

    bool usable() const { return !revoked && !expired && !disabled && !invalid; }
    // Is `fingerprint_or_id` (a fingerprint, or a 16-digit key id) this key or a subkey?
    bool matches(std::string_view fingerprint_or_id) const;
};

// Newest first: by creation time, and of keys created within the same second (creation
// times are whole seconds) the one added to the keyring later.
void sort_newest_first(std::vector<KeyInfo>& keys);

// A signature's verdict on its own terms. Whether the signer is *trusted* (a registered
// participant, a coordinator) is not decided here: see key_bindings.hpp.
enum class SignatureStatus {
    none,         // the data carried no signature
    good,         // made by the key named, over exactly this data
    bad,          // the data was changed after signing, or the signature is forged
    unknown_key,  // we do not have the signer's public key
    expired,      // good, but the signing key or the signature has expired
    revoked,      // good, but the signing key has been revoked
    error,        // could not be checked (unsupported algorithm, malformed signature)
};

const char* to_string(SignatureStatus status);

struct Signature {
    SignatureStatus status = SignatureStatus::none;
    // The signer's primary key fingerprint when we have the key; otherwise what the
    // signature names (an issuer fingerprint or a 16-digit key id).
    std::string fingerprint;
    std::vector<std::string> signer_addresses;  // from the signer's key, when known
    std::optional<core::Timestamp> created;
    std::string problem;  // for a person, empty when good
};

// The signature that speaks for the data: the first good one, else the first one.
const Signature* main_signature(const std::vector<Signature>& signatures);

// Why a message could not be decrypted. Only the message's faults are listed here; failures
// on our side (no gpg, keyring unreadable, wrong passphrase in our configuration) are
// core::Error values, because the sender can do nothing about them.
enum class DecryptStatus {
    ok,
    not_for_us,     // encrypted only to keys we do not hold
    password_only,  // symmetric encryption with a password: we cannot open it
    corrupt,        // not OpenPGP, truncated or damaged
    unsupported,    // an algorithm or a legacy format we refuse (no integrity protection)
};

const char* to_string(DecryptStatus status);

struct Decryption {
    DecryptStatus status = DecryptStatus::ok;
    std::string problem;  // for a person, empty when ok
    std::string plaintext;
    std::vector<std::string> recipient_key_ids;  // every key id the message names
    std::string decrypted_with;                  // fingerprint of our primary key that opened it
    std::vector<Signature> signatures;           // signed and encrypted in one OpenPGP message
    std::string file_name;                       // literal data file name, often empty
    bool mime = false;  // the sender marked the literal data as a MIME entity

    bool ok() const { return status == DecryptStatus::ok; }
};

struct Verification {
    std::vector<Signature> signatures;  // empty when nothing was signed
    std::string plaintext;              // the signed text (clear-signed or opaque signed data)
};

struct DetachedSignature {
    std::string armored;  // "-----BEGIN PGP SIGNATURE-----" ...
    std::string micalg;   // for multipart/signed: "pgp-sha256"
};

struct ImportedKey {
    std::string fingerprint;
    std::vector<std::string> addresses;  // lower-case addr-specs of its user ids
    bool is_new = false;                 // not in the keyring before
    bool secret = false;                 // a secret key came along: refused, see import_keys
};

struct ImportResult {
    std::vector<ImportedKey> keys;
    std::vector<std::string> problems;  // per refused key, for a person
};

}  // namespace cvd::crypto
