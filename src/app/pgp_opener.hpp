#pragma once
// The state of one open_pgp run (internal to pgp_open.cpp and pgp_inline.cpp).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pgp_mime.hpp"
#include "pgp_open.hpp"

namespace cvd::app::detail {

class Opener {
  public:
    Opener(crypto::Keyring& keyring, const OpenOptions& options, std::string sender)
        : keyring_(keyring), options_(options), sender_(std::move(sender)) {}

    CryptoReport& report() { return report_; }
    bool imported_new_key() const { return imported_new_; }
    // Sets the summary fields that depend on everything seen (call once, at the end).
    void finish();

    // --- pgp_open.cpp
    core::Status autocrypt(std::string_view value);
    // multipart/encrypted at the top: the effective message, or nullopt when not opened.
    core::Result<std::optional<mail::Message>> pgp_mime_encrypted(const pgp::Entity& entity,
                                                                  const pgp::ContentType& ct);
    // multipart/signed, at the top or inside an encryption: the signed part under the
    // transport headers.
    core::Result<std::optional<mail::Message>> pgp_mime_signed(const pgp::Entity& entity,
                                                               const pgp::ContentType& ct,
                                                               std::string_view transport_header);

    // --- pgp_inline.cpp
    // Armored blocks in the text body; may replace the whole message when an inline
    // encrypted body is a MIME entity.
    core::Status inline_blocks(std::string_view raw, mail::Message& message);
    core::Status attachments(mail::Message& message);
    // Imports key data found in the message, recording what came of it.
    core::Status import(std::string_view key_data, const std::string& source);

    void problem(std::string text);
    void part(std::string where, std::string what, std::string outcome, std::string problem = {});
    // One more gpg run allowed?
    bool budget(const std::string& where);

    // Records a decryption's outcome; returns whether it worked. `body`: the data was (part
    // of) the message body; `whole`: all of it.
    bool record_decryption(const crypto::Decryption& d, const std::string& where, bool body,
                           bool whole);
    // Records the signatures over the body (or over a part when !body).
    void record_signatures(const std::vector<crypto::Signature>& sigs, const std::string& where,
                           bool body, bool whole);

    // Outer header fields (no Content-*; no Subject when the inner entity has one: protected
    // headers) followed by the inner entity: a message the parser reads like any other.
    static std::string merge(std::string_view outer_header, std::string_view inner_entity,
                             std::string_view wrapper_header = {});

  private:
    crypto::Keyring& keyring_;
    const OpenOptions& options_;
    std::string sender_;
    CryptoReport report_;
    std::vector<std::string> problems_;
    std::size_t operations_ = 0;
    bool budget_warned_ = false;
    bool decrypt_failed_ = false;
    bool imported_new_ = false;
};

}  // namespace cvd::app::detail
