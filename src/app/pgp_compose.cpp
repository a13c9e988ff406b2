// compose_pgp: the composer writes the content (and checks every header for injection); this
// file wraps it in PGP/MIME. Layout (RFC 3156 with RFC 9788 header protection):
//
//   outer headers (Subject: [CVD#2026-0042]) + Autocrypt
//   multipart/encrypted; protocol="application/pgp-encrypted"
//     application/pgp-encrypted          "Version: 1"
//     application/octet-stream           armored OpenPGP message, signed and encrypted, of:
//       Content-Type: ...; hp="cipher"   with From, To, Subject (the real one), ... and
//       HP-Outer: Subject: [CVD#...]     what the outside showed instead
//
// Signed only: multipart/signed; protocol="application/pgp-signature" over the same inner
// part (hp="clear", no HP-Outer), then the detached signature.

#include "cvdbot/core/hash.hpp"
#include "cvdbot/core/text.hpp"
#include "cvdbot/crypto/autocrypt.hpp"
#include "pgp_mime.hpp"
#include "pgp_open.hpp"

namespace cvd::app {
namespace {

bool is_content_field(std::string_view name) {
    return core::starts_with_icase(name, "Content-");
}

// Fields whose outer value the inner part records with HP-Outer (what a reader saw outside).
bool is_user_facing(std::string_view name) {
    for (const char* n : {"Date", "From", "To", "Cc", "Reply-To", "Subject", "Message-ID",
                          "In-Reply-To", "References"})
        if (core::iequals_ascii(name, n)) return true;
    return false;
}

std::string ensure_crlf_end(std::string_view field) {
    std::string f(field);
    if (f.size() < 2 || f.compare(f.size() - 2, 2, "\r\n") != 0) f += "\r\n";
    return f;
}

// The inner part: the composed message's fields (no MIME-Version), HP-Outer fields, and the
// Content-Type with the hp parameter.
std::string inner_part(const std::string& composed, std::string_view hp,
                       std::string_view outer_header) {
    const pgp::Entity e = pgp::split_entity(composed);
    std::string out;
    std::string content;
    for (std::string_view field : pgp::header_fields(e.header)) {
        const std::string_view name = pgp::field_name(field);
        if (core::iequals_ascii(name, "MIME-Version")) continue;
        if (core::iequals_ascii(name, "Content-Type")) {
            std::string f = ensure_crlf_end(field);
            f.insert(f.size() - 2, ";\r\n hp=\"" + std::string(hp) + "\"");
            content += f;
        } else if (is_content_field(name)) {
            content += ensure_crlf_end(field);
        } else {
            out += ensure_crlf_end(field);
        }
    }
    for (std::string_view field : pgp::header_fields(outer_header))
        if (is_user_facing(pgp::field_name(field))) out += "HP-Outer: " + ensure_crlf_end(field);
    return out + content + "\r\n" + std::string(e.body);
}

}  // namespace

core::Result<mail::OutgoingAttachment> bot_key_attachment(const crypto::Keyring& keyring) {
    auto key = keyring.signing_key();
    if (!key) return key.error();
    auto armored = keyring.export_public_key(key->fingerprint);
    if (!armored) return armored.error();
    return mail::OutgoingAttachment{"OpenPGP_0x" + key->fingerprint.substr(24) + ".asc",
                                    "application/pgp-keys", std::move(*armored)};
}

core::Result<std::string> compose_pgp(const mail::OutgoingMessage& message,
                                      const PgpComposeOptions& options,
                                      const crypto::Keyring& keyring) {
    const bool encrypt = !options.encrypt_to.empty();
    mail::OutgoingMessage content = message;
    // One Message-ID inside and out.
    if (content.message_id.empty())
        content.message_id = mail::make_message_id(core::address_domain(message.from.address));
    auto composed = mail::compose_message(content);
    if (!composed) return composed.error();

    mail::OutgoingMessage envelope = content;
    envelope.attachments.clear();
    envelope.text_body.clear();
    if (encrypt) envelope.subject = options.outer_subject.empty() ? "..." : options.outer_subject;
    if (!options.autocrypt_address.empty()) {
        auto key = keyring.signing_key();
        if (!key) return key.error();
        // Autocrypt wants the smallest key: primary key, one user id, encryption subkey.
        auto keydata = keyring.export_public_key(key->fingerprint, false, true);
        if (!keydata) return keydata.error();
        envelope.extra_headers.emplace_back(
            "Autocrypt", crypto::format_autocrypt(options.autocrypt_address, *keydata));
    }
    auto outer_composed = mail::compose_message(envelope);
    if (!outer_composed) return outer_composed.error();
    std::string outer_header;
    for (std::string_view field : pgp::header_fields(pgp::split_entity(*outer_composed).header))
        if (!is_content_field(pgp::field_name(field))) outer_header += ensure_crlf_end(field);

    const std::string boundary = "=_cvdbot_pgp_" + core::random_token();
    std::string out = outer_header;
    if (encrypt) {
        const std::string inner = inner_part(*composed, "cipher", outer_header);
        auto ciphertext = keyring.encrypt(inner, options.encrypt_to);
        if (!ciphertext) return ciphertext.error();
        out +=
            "Content-Type: multipart/encrypted;\r\n protocol=\"application/pgp-encrypted\";\r\n"
            " boundary=\"" +
            boundary + "\"\r\n\r\n";
        out += "This is an OpenPGP/MIME encrypted message (RFC 4880 and 3156)\r\n";
        out += "--" + boundary + "\r\n";
        out += "Content-Type: application/pgp-encrypted\r\n";
        out += "Content-Description: PGP/MIME version identification\r\n\r\n";
        out += "Version: 1\r\n\r\n";
        out += "--" + boundary + "\r\n";
        out += "Content-Type: application/octet-stream; name=\"encrypted.asc\"\r\n";
        out += "Content-Description: OpenPGP encrypted message\r\n";
        out += "Content-Disposition: inline; filename=\"encrypted.asc\"\r\n\r\n";
        out += pgp::to_crlf(*ciphertext);
        out += "\r\n--" + boundary + "--\r\n";
        return out;
    }
    // Signed only: the signature covers exactly the bytes between the delimiters.
    const std::string inner = inner_part(*composed, "clear", {});
    auto signature = keyring.sign_detached(inner);
    if (!signature) return signature.error();
    out += "Content-Type: multipart/signed; micalg=" + signature->micalg +
           ";\r\n protocol=\"application/pgp-signature\";\r\n boundary=\"" + boundary +
           "\"\r\n\r\n";
    out += "This is an OpenPGP/MIME signed message (RFC 4880 and 3156)\r\n";
    out += "--" + boundary + "\r\n";
    out += inner;
    out += "\r\n--" + boundary + "\r\n";
    out += "Content-Type: application/pgp-signature; name=\"signature.asc\"\r\n";
    out += "Content-Description: OpenPGP digital signature\r\n";
    out += "Content-Disposition: attachment; filename=\"signature.asc\"\r\n\r\n";
    out += pgp::to_crlf(signature->armored);
    out += "\r\n--" + boundary + "--\r\n";
    return out;
}

}  // namespace cvd::app
