// open_pgp: the driver, PGP/MIME, the Autocrypt header, and the report.

#include "pgp_open.hpp"

#include <algorithm>

#include "cvdbot/core/text.hpp"
#include "cvdbot/crypto/autocrypt.hpp"
#include "cvdbot/mail/parser.hpp"
#include "pgp_opener.hpp"

namespace cvd::app {

using crypto::DecryptStatus;
using crypto::SignatureStatus;

const char* to_string(PgpForm form) {
    switch (form) {
        case PgpForm::none:
            return "none";
        case PgpForm::pgp_mime:
            return "pgp_mime";
        case PgpForm::inline_armor:
            return "inline";
        case PgpForm::attachment:
            return "attachment";
    }
    return "none";
}

bool CryptoReport::needs_reply() const {
    if (encrypted && !decrypted_ok) return true;
    return is_signed && signature != SignatureStatus::good &&
           signature != SignatureStatus::unknown_key;
}

namespace detail {

void Opener::problem(std::string text) {
    if (!text.empty()) problems_.push_back(std::move(text));
}

void Opener::part(std::string where, std::string what, std::string outcome, std::string problem) {
    report_.parts.push_back({std::move(where), std::move(what), std::move(outcome), problem});
    this->problem(std::move(problem));
}

bool Opener::budget(const std::string& where) {
    if (operations_ < options_.max_operations) {
        ++operations_;
        return true;
    }
    if (!budget_warned_)
        problem("the message holds more OpenPGP parts than we process (" +
                std::to_string(options_.max_operations) + "); " + where +
                " and later ones were skipped");
    budget_warned_ = true;
    return false;
}

bool Opener::record_decryption(const crypto::Decryption& d, const std::string& where, bool body,
                               bool whole) {
    report_.encrypted = true;
    for (const auto& id : d.recipient_key_ids)
        if (std::find(report_.encrypted_to.begin(), report_.encrypted_to.end(), id) ==
            report_.encrypted_to.end())
            report_.encrypted_to.push_back(id);
    part(where, "encrypted", d.ok() ? "ok" : crypto::to_string(d.status), d.problem);
    if (!d.ok()) {
        if (!decrypt_failed_) report_.decrypt_status = d.status;
        decrypt_failed_ = true;
        return false;
    }
    if (report_.decrypted_with.empty()) report_.decrypted_with = d.decrypted_with;
    if (!d.signatures.empty()) record_signatures(d.signatures, where, body, whole);
    return true;
}

void Opener::record_signatures(const std::vector<crypto::Signature>& sigs, const std::string& where,
                               bool body, bool whole) {
    const crypto::Signature* s = crypto::main_signature(sigs);
    if (s == nullptr) return;
    part(where, "signed", crypto::to_string(s->status), s->problem);
    // The body's signature: the first one found, unless a later one covers more.
    if (!body || (report_.is_signed && (report_.fully_signed || !whole))) return;
    report_.is_signed = true;
    report_.signature = s->status;
    report_.signer_fingerprint = s->fingerprint;
    report_.signer_addresses = s->signer_addresses;
    report_.fully_signed = whole;
}

void Opener::finish() {
    report_.decrypted_ok = report_.encrypted && !decrypt_failed_;
    std::string joined;
    for (const auto& p : problems_) joined += (joined.empty() ? "" : "\n") + p;
    report_.problem = joined;
}

std::string Opener::merge(std::string_view outer_header, std::string_view inner_entity,
                          std::string_view wrapper_header) {
    const pgp::Entity inner = pgp::split_entity(inner_entity);
    // Protected headers travel in the content's header, or in the multipart/signed header
    // that wraps it inside an encryption.
    std::optional<std::string> protected_subject;
    for (std::string_view field : pgp::header_fields(wrapper_header))
        if (core::iequals_ascii(pgp::field_name(field), "Subject"))
            protected_subject = std::string(field);
    for (std::string_view field : pgp::header_fields(inner.header))
        if (core::iequals_ascii(pgp::field_name(field), "Subject"))
            protected_subject = std::string(field);
    const bool inner_subject = protected_subject.has_value();
    auto with_line_end = [](std::string_view field) {
        std::string f(field);
        if (f.empty() || f.back() != '\n') f += "\r\n";
        return f;
    };
    std::string out;
    for (std::string_view field : pgp::header_fields(outer_header)) {
        const std::string_view name = pgp::field_name(field);
        if (core::starts_with_icase(name, "Content-")) continue;
        if (inner_subject && core::iequals_ascii(name, "Subject")) continue;
        out += with_line_end(field);
    }
    if (protected_subject) out += with_line_end(*protected_subject);
    for (std::string_view field : pgp::header_fields(inner.header))
        if (core::starts_with_icase(pgp::field_name(field), "Content-"))
            out += with_line_end(field);
    out += "\r\n";
    out += inner.body;
    return out;
}

core::Status Opener::autocrypt(std::string_view value) {
    auto header = crypto::parse_autocrypt(value);
    if (!header) {
        part("Autocrypt header", "key", "ignored", "");
        return {};
    }
    if (header->address != core::to_lower_ascii(sender_)) {
        // Level 1: a header for another address than From is ignored.
        part("Autocrypt header", "key", "ignored (addr " + header->address + " is not the sender)");
        return {};
    }
    return import(header->keydata, "autocrypt");
}

namespace {

// The ciphertext of a multipart/encrypted body: its second part, transfer-decoded.
std::optional<std::string> encrypted_payload(const pgp::Entity& entity,
                                             const pgp::ContentType& ct) {
    auto parts = pgp::split_multipart(entity.body, ct.param("boundary"), 4);
    if (parts.size() < 2) return std::nullopt;
    const pgp::Entity second = pgp::split_entity(parts[1]);
    return pgp::decode_transfer(
        second.body, pgp::header_value(second.header, "Content-Transfer-Encoding").value_or(""));
}

}  // namespace

core::Result<std::optional<mail::Message>> Opener::pgp_mime_encrypted(const pgp::Entity& entity,
                                                                      const pgp::ContentType& ct) {
    report_.form = PgpForm::pgp_mime;
    const std::string where = "PGP/MIME encrypted body";
    auto payload = encrypted_payload(entity, ct);
    if (!payload) {
        report_.encrypted = true;
        decrypt_failed_ = true;
        report_.decrypt_status = DecryptStatus::corrupt;
        part(where, "encrypted", "corrupt",
             "the encrypted message is incomplete (its MIME structure is broken): please send it "
             "again");
        return std::optional<mail::Message>();
    }
    if (!budget(where)) return std::optional<mail::Message>();
    auto d = keyring_.decrypt(*payload);
    if (!d) return d.error();
    if (!record_decryption(*d, where, true, true)) return std::optional<mail::Message>();
    report_.fully_encrypted = true;

    std::string inner = d->plaintext;
    if (!pgp::looks_like_entity(inner))  // a bare text payload: give it a header
        inner = "Content-Type: text/plain; charset=utf-8\r\n\r\n" + inner;
    const pgp::Entity inner_entity = pgp::split_entity(inner);
    const pgp::ContentType inner_ct = pgp::content_type_of(inner_entity.header);
    if (inner_ct.type == "multipart/signed") {  // RFC 3156 6.1: signed, then encrypted
        // The outer transport headers with the signed part as content.
        auto signed_part = pgp_mime_signed(inner_entity, inner_ct, entity.header);
        if (!signed_part) return signed_part.error();
        if (*signed_part) return signed_part;
    }
    return std::optional(mail::parse_message(merge(entity.header, inner)));
}

core::Result<std::optional<mail::Message>> Opener::pgp_mime_signed(
    const pgp::Entity& entity, const pgp::ContentType& ct, std::string_view transport_header) {
    if (report_.form == PgpForm::none) report_.form = PgpForm::pgp_mime;
    const std::string where = "PGP/MIME signed body";
    auto parts = pgp::split_multipart(entity.body, ct.param("boundary"), 4);
    if (parts.size() < 2) {
        report_.is_signed = true;
        report_.signature = SignatureStatus::error;
        part(where, "signed", "error",
             "the signed message is incomplete (its MIME structure is broken)");
        return std::optional<mail::Message>();
    }
    const pgp::Entity sig_entity = pgp::split_entity(parts[1]);
    const std::string signature = pgp::decode_transfer(
        sig_entity.body,
        pgp::header_value(sig_entity.header, "Content-Transfer-Encoding").value_or(""));
    if (!budget(where)) return std::optional<mail::Message>();
    // The signature covers the part's bytes with CRLF line ends, whatever the store kept.
    auto v = keyring_.verify_detached(pgp::to_crlf(parts[0]), signature);
    if (!v) return v.error();
    if (v->signatures.empty()) {
        crypto::Signature none;
        none.status = SignatureStatus::error;
        none.problem = "the signature part holds no signature";
        v->signatures.push_back(none);
    }
    record_signatures(v->signatures, where, true, true);
    return std::optional(mail::parse_message(merge(transport_header, parts[0], entity.header)));
}

}  // namespace detail

namespace {

// `message` is taken over, not copied: with a 25 MB attachment a copy is 25 MB more at the peak.
core::Result<OpenedMessage> open_once(mail::Message message, std::string_view raw,
                                      crypto::Keyring& keyring, const OpenOptions& options,
                                      bool& imported_new) {
    const std::string sender = message.from ? message.from->address : std::string();
    detail::Opener opener(keyring, options, sender);
    const pgp::Entity entity = pgp::split_entity(raw);
    const pgp::ContentType ct = pgp::content_type_of(entity.header);

    if (const std::string* value = message.header("Autocrypt"); value && options.import_keys)
        if (auto s = opener.autocrypt(*value); !s) return s.error();

    bool done = false;
    if (ct.type == "multipart/encrypted") {
        auto opened = opener.pgp_mime_encrypted(entity, ct);
        if (!opened) return opened.error();
        if (*opened) message = std::move(**opened);
        done = true;
    } else if (ct.type == "multipart/signed") {
        auto opened = opener.pgp_mime_signed(entity, ct, entity.header);
        if (!opened) return opened.error();
        if (*opened) message = std::move(**opened);
        done = true;
    }
    if (!done)
        if (auto s = opener.inline_blocks(raw, message); !s) return s.error();
    if (auto s = opener.attachments(message); !s) return s.error();
    opener.finish();
    imported_new = opener.imported_new_key();
    return OpenedMessage{std::move(message), std::move(opener.report())};
}

}  // namespace

core::Result<OpenedMessage> open_pgp(mail::Message parsed, std::string_view raw,
                                     crypto::Keyring& keyring, const OpenOptions& options) {
    bool imported_new = false;
    auto first = open_once(std::move(parsed), raw, keyring, options, imported_new);
    if (!first) return first;
    // The signer's key may have come inside the message (attached to an encrypted report):
    // now that it is imported, check again.
    const CryptoReport& r = first->report;
    if (r.signature != SignatureStatus::unknown_key || !imported_new) return first;
    bool again = false;
    OpenOptions no_import = options;
    no_import.import_keys = false;
    // Parsed again rather than kept: this second pass is rare, a copy for it would not be.
    auto second = open_once(mail::parse_message(raw), raw, keyring, no_import, again);
    if (!second) return second;
    second->report.keys = r.keys;  // what the first pass imported (is_new as it was then)
    return second;
}

std::optional<std::string> pgp_mime_ciphertext(std::string_view raw) {
    const pgp::Entity entity = pgp::split_entity(raw);
    const pgp::ContentType ct = pgp::content_type_of(entity.header);
    if (ct.type != "multipart/encrypted") return std::nullopt;
    return detail::encrypted_payload(entity, ct);
}

}  // namespace cvd::app
