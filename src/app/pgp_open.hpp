#pragma once
// OpenPGP mail, where the mail and crypto modules meet (the only place that uses both).
//
// open_pgp: an incoming message as the bot should read it. PGP/MIME encrypted (RFC 3156 4),
// PGP/MIME signed (5), signed-then-encrypted (6.1) and combined (6.2); inline armored blocks
// and clear-signed text in the body; .asc/.gpg/.pgp attachments (encrypted data, keys,
// detached signatures of other attachments); keys in application/pgp-keys parts, key blocks
// in the text and the Autocrypt header are imported. The decrypted content goes back through
// the mail parser, so the result is an ordinary mail::Message.
//
// compose_pgp: outgoing PGP/MIME, encrypted and signed with protected headers (RFC 9788:
// the real subject inside, only the case tag outside), or signed only; with an Autocrypt
// header offering the bot's key.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cvdbot/core/result.hpp"
#include "cvdbot/crypto/keyring.hpp"
#include "cvdbot/crypto/types.hpp"
#include "cvdbot/mail/composer.hpp"
#include "cvdbot/mail/message.hpp"

namespace cvd::app {

enum class PgpForm { none, pgp_mime, inline_armor, attachment };

const char* to_string(PgpForm form);

// One OpenPGP object found in the message, for the audit log.
struct PgpPartReport {
    std::string where;    // "message", "text body", "attachment report.pdf.asc", ...
    std::string what;     // "encrypted", "signed", "key"
    std::string outcome;  // "ok", a DecryptStatus or SignatureStatus name, "imported"
    std::string problem;
};

// A key that came with the message. Link it to the sender as a *learned* key only when
// crypto::may_learn(key, sender) says so.
struct OfferedKey {
    crypto::ImportedKey key;
    std::string source;  // "autocrypt", "attachment NAME", "text body"
};

struct CryptoReport {
    PgpForm form = PgpForm::none;  // how the message body was protected

    bool encrypted = false;        // the body (or part of it) was encrypted
    bool decrypted_ok = false;     // ... and everything encrypted was opened
    bool fully_encrypted = false;  // the whole body was inside the encryption
    crypto::DecryptStatus decrypt_status = crypto::DecryptStatus::ok;  // first failure
    std::vector<std::string> encrypted_to;                             // key ids the message names
    std::string decrypted_with;  // fingerprint of our key that opened it

    bool is_signed = false;
    crypto::SignatureStatus signature = crypto::SignatureStatus::none;  // of the body
    std::string signer_fingerprint;
    std::vector<std::string> signer_addresses;
    bool fully_signed = false;  // the signature covers the whole body, not a quoted block

    std::vector<OfferedKey> keys;
    std::vector<PgpPartReport> parts;
    // For a person (and the reply template): empty when every OpenPGP object was fine.
    std::string problem;

    // The sender must be told something (decryption failed, or the signature is not good).
    bool needs_reply() const;
};

struct OpenedMessage {
    mail::Message message;  // the effective message: decrypted content, protected subject
    CryptoReport report;
};

struct OpenOptions {
    bool import_keys = true;          // false: report offered keys but leave the keyring alone
    std::size_t max_operations = 16;  // gpg runs per message, against hostile mail
};

// Errors are ours only (gpg unusable, keyring unreadable, passphrase wrong): keep the message
// and retry later. Everything wrong with the message is in the report. `parsed` must be
// mail::parse_message(raw); it is taken by value so that a caller done with it moves it in
// (a message with a large attachment is then never copied).
core::Result<OpenedMessage> open_pgp(mail::Message parsed, std::string_view raw,
                                     crypto::Keyring& keyring, const OpenOptions& options = {});

// The ciphertext of a PGP/MIME encrypted message (top-level multipart/encrypted, its second
// part transfer-decoded), as open_pgp hands it to Keyring::decrypt; nullopt for any other.
std::optional<std::string> pgp_mime_ciphertext(std::string_view raw);

struct PgpComposeOptions {
    // Recipients' primary key fingerprints (chosen by crypto::choose_encryption_key). Empty:
    // the message is only signed (multipart/signed), e.g. a request for a key.
    std::vector<std::string> encrypt_to;
    // The visible subject of an encrypted message, e.g. "[CVD#2026-0042]"; empty = "...".
    std::string outer_subject;
    // The Autocrypt header offers the bot's signing key for this address; empty = none.
    std::string autocrypt_address;
};

// CRLF RFC 5322 bytes. Fails with the composer's errors (header injection, bad addresses) or
// the keyring's (recipient key unusable: crypto / not_found; no bot key).
core::Result<std::string> compose_pgp(const mail::OutgoingMessage& message,
                                      const PgpComposeOptions& options,
                                      const crypto::Keyring& keyring);

// The bot's public key as an attachment ("<fingerprint>.asc", application/pgp-keys), for the
// key-request and decryption-failure replies.
core::Result<mail::OutgoingAttachment> bot_key_attachment(const crypto::Keyring& keyring);

}  // namespace cvd::app
