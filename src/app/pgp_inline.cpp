// open_pgp: inline armored blocks in the text body, OpenPGP attachments, and key imports.

#include <algorithm>

#include "cvdbot/core/text.hpp"
#include "cvdbot/crypto/armor.hpp"
#include "cvdbot/mail/charset.hpp"
#include "cvdbot/mail/parser.hpp"
#include "pgp_opener.hpp"

namespace cvd::app::detail {

using crypto::PgpKind;

namespace {

struct RawText {
    std::string bytes;    // transfer-decoded, still in its charset
    std::string charset;  // normalized, may be empty
};

// The first text/plain part that is not an attachment, as sent: a clear-signature covers
// these bytes, not their UTF-8 conversion (ISO-2022-JP mail would never verify).
std::optional<RawText> find_raw_text(std::string_view raw, int depth) {
    const pgp::Entity e = pgp::split_entity(raw);
    const pgp::ContentType ct = pgp::content_type_of(e.header);
    const auto disposition = pgp::header_value(e.header, "Content-Disposition");
    if (disposition && core::starts_with_icase(*disposition, "attachment")) return std::nullopt;
    if (ct.type == "text/plain") {
        const auto cte = pgp::header_value(e.header, "Content-Transfer-Encoding");
        return RawText{pgp::decode_transfer(e.body, cte.value_or("")),
                       mail::normalize_charset_name(ct.param("charset"))};
    }
    if (depth >= 4 || !core::starts_with_icase(ct.type, "multipart/") ||
        ct.type == "multipart/signed" || ct.type == "multipart/encrypted")
        return std::nullopt;
    for (std::string_view part : pgp::split_multipart(e.body, ct.param("boundary"), 50))
        if (auto t = find_raw_text(part, depth + 1)) return t;
    return std::nullopt;
}

// The "Charset:" armor header of a block (between the BEGIN line and the empty line).
std::string armor_charset(std::string_view block) {
    std::size_t pos = block.find('\n');
    while (pos != std::string_view::npos && pos + 1 < block.size()) {
        std::size_t next = block.find('\n', pos + 1);
        std::string_view line = core::trim(
            block.substr(pos + 1, next == std::string_view::npos ? next : next - pos - 1));
        if (line.empty()) break;
        if (core::starts_with_icase(line, "Charset:"))
            return mail::normalize_charset_name(core::trim(line.substr(8)));
        pos = next;
    }
    return {};
}

std::string as_utf8(const std::string& bytes, const std::string& charset) {
    if ((charset.empty() || charset == "utf-8" || charset == "us-ascii") &&
        core::is_valid_utf8(bytes))
        return bytes;
    return mail::to_utf8(bytes, charset);
}

bool only_space(std::string_view s) {
    return std::all_of(s.begin(), s.end(),
                       [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; });
}

// What an attachment holds. One still encoded (parse_message_deferred) is judged from its first
// MiB: a 25 MB capture is not decoded to learn that it is none of ours. Where that could judge
// otherwise than the whole (a signature may be followed by signed data; white space or an armor
// line that runs past the first MiB), the whole is decoded.
PgpKind classify_attachment(const mail::Attachment& a) {
    if (!a.deferred) return crypto::classify(a.bytes);
    constexpr std::size_t kHead = 1u << 20;
    const std::string head = a.content_prefix(kHead);
    const PgpKind kind = crypto::classify(head);
    const auto start = head.find_first_not_of(" \t\r\n");
    const bool decided = kind != PgpKind::signature && start != std::string::npos &&
                         head.size() - start >= 64 && head.find('\n', start) != std::string::npos;
    if (decided) return kind;
    std::string scratch;
    return crypto::classify(a.content(scratch));
}

std::string lower_name(const mail::Attachment& a) {
    return core::to_lower_ascii(a.filename);
}

// "report.pdf.asc" → "report.pdf"; names without an OpenPGP extension stay.
std::string strip_pgp_extension(const std::string& name) {
    const std::string lower = core::to_lower_ascii(name);
    for (const char* ext : {".asc", ".gpg", ".pgp", ".sig"})
        if (lower.size() > 4 && lower.compare(lower.size() - 4, 4, ext) == 0)
            return name.substr(0, name.size() - 4);
    return name;
}

struct Replacement {
    std::size_t begin = 0, end = 0;  // in the parsed text body
    std::string text;                // UTF-8, LF line ends
};

}  // namespace

core::Status Opener::inline_blocks(std::string_view raw, mail::Message& message) {
    const auto body_blocks = crypto::find_armored_blocks(message.text_body);
    if (body_blocks.empty()) return {};
    // Work on the raw bytes when they show the same blocks (they should).
    const auto raw_text = find_raw_text(raw, 0);
    std::vector<crypto::ArmoredBlock> raw_blocks;
    if (raw_text) raw_blocks = crypto::find_armored_blocks(raw_text->bytes);
    bool use_raw = raw_text && raw_blocks.size() == body_blocks.size();
    for (std::size_t i = 0; use_raw && i < raw_blocks.size(); ++i)
        use_raw = raw_blocks[i].kind == body_blocks[i].kind;
    const std::string& source = use_raw ? raw_text->bytes : message.text_body;
    const std::string charset = use_raw ? raw_text->charset : "utf-8";
    const auto& blocks = use_raw ? raw_blocks : body_blocks;

    const bool single = blocks.size() == 1 &&
                        only_space(message.text_body.substr(0, body_blocks[0].begin)) &&
                        only_space(message.text_body.substr(body_blocks[0].end));
    std::vector<Replacement> replacements;
    for (std::size_t i = 0; i < blocks.size(); ++i) {
        const std::string_view block =
            std::string_view(source).substr(blocks[i].begin, blocks[i].end - blocks[i].begin);
        const std::string where =
            blocks.size() == 1 ? "text body" : "text body block " + std::to_string(i + 1);
        const std::string block_charset =
            armor_charset(block).empty() ? charset : armor_charset(block);
        switch (blocks[i].kind) {
            case PgpKind::message: {
                if (report_.form == PgpForm::none) report_.form = PgpForm::inline_armor;
                if (!budget(where)) break;
                auto d = keyring_.decrypt(block);
                if (!d) return d.error();
                if (!record_decryption(*d, where, true, single)) break;
                if (single) report_.fully_encrypted = true;
                if (single && pgp::looks_like_entity(d->plaintext)) {
                    // A whole MIME entity sent inline: read it as the message.
                    const pgp::Entity outer = pgp::split_entity(raw);
                    message = mail::parse_message(merge(outer.header, d->plaintext));
                    return {};
                }
                replacements.push_back({body_blocks[i].begin, body_blocks[i].end,
                                        core::to_lf(as_utf8(d->plaintext, block_charset))});
                break;
            }
            case PgpKind::signed_message: {
                if (report_.form == PgpForm::none) report_.form = PgpForm::inline_armor;
                if (!budget(where)) break;
                auto v = keyring_.verify_inline(block);
                if (!v) return v.error();
                record_signatures(v->signatures, where, true, single);
                if (!v->plaintext.empty())
                    replacements.push_back({body_blocks[i].begin, body_blocks[i].end,
                                            core::to_lf(as_utf8(v->plaintext, block_charset))});
                break;
            }
            case PgpKind::public_key:
                if (auto s = import(block, where); !s) return s;
                break;
            case PgpKind::secret_key:
                part(where, "key", "refused",
                     "the message contains a secret (private) key; it was not imported. It is no "
                     "longer secret: please revoke it and create a new one");
                break;
            default:
                break;
        }
    }
    for (auto r = replacements.rbegin(); r != replacements.rend(); ++r) {
        std::string text = r->text;
        if (!text.empty() && text.back() != '\n') text.push_back('\n');
        message.text_body.replace(r->begin, r->end - r->begin, text);
    }
    return {};
}

core::Status Opener::attachments(mail::Message& message) {
    // A PGP/MIME body that could not be opened is still there as "encrypted.asc": once is
    // enough.
    if (report_.form == PgpForm::pgp_mime && decrypt_failed_) return {};
    auto& list = message.attachments;
    for (std::size_t i = 0; i < list.size(); ++i) {
        const std::string where =
            "attachment " + (list[i].filename.empty() ? list[i].content_type : list[i].filename);
        const PgpKind kind = classify_attachment(list[i]);
        // Decoded here, where it is used, if the parser left it encoded.
        std::string scratch;
        if (list[i].content_type == "application/pgp-keys" || kind == PgpKind::public_key) {
            if (auto s = import(list[i].content(scratch), where); !s) return s;
            continue;
        }
        if (kind == PgpKind::secret_key) {
            part(where, "key", "refused",
                 "a secret (private) key was attached; it was not imported. It is no longer "
                 "secret: please revoke it and create a new one");
            continue;
        }
        if (kind == PgpKind::message) {
            if (!budget(where)) continue;
            auto d = keyring_.decrypt(list[i].content(scratch));
            if (!d) return d.error();
            if (!record_decryption(*d, where, false, false)) continue;
            if (report_.form == PgpForm::none) report_.form = PgpForm::attachment;
            std::string name = strip_pgp_extension(list[i].filename);
            if (name == list[i].filename && !d->file_name.empty()) name = d->file_name;
            list[i].filename = name;
            list[i].bytes = std::move(d->plaintext);
            list[i].deferred = false;
            list[i].encoded = {};
            list[i].transfer_encoding.clear();
            list[i].content_type = "application/octet-stream";
            continue;
        }
        if (kind == PgpKind::signature) {
            // "report.pdf.asc" signs "report.pdf" in the same message.
            const std::string target = core::to_lower_ascii(strip_pgp_extension(list[i].filename));
            auto signed_file =
                std::find_if(list.begin(), list.end(), [&](const mail::Attachment& a) {
                    return &a != &list[i] && lower_name(a) == target;
                });
            if (signed_file == list.end()) {
                part(where, "signature", "no signed file");
                continue;
            }
            if (!budget(where)) continue;
            std::string signed_scratch;
            auto v = keyring_.verify_detached(signed_file->content(signed_scratch),
                                              list[i].content(scratch));
            if (!v) return v.error();
            record_signatures(v->signatures, where, false, false);
            continue;
        }
        if (kind == PgpKind::signed_message) {
            if (!budget(where)) continue;
            auto v = keyring_.verify_inline(list[i].content(scratch));
            if (!v) return v.error();
            record_signatures(v->signatures, where, false, false);
        }
    }
    return {};
}

core::Status Opener::import(std::string_view key_data, const std::string& source) {
    if (!options_.import_keys) {
        part(source, "key", "not imported (import disabled)");
        return {};
    }
    if (!budget(source)) return {};
    auto result = keyring_.import_keys(key_data);
    if (!result) {
        if (result.error().kind != core::ErrorKind::invalid_input) return result.error();
        part(source, "key", "refused", result.error().message);
        return {};
    }
    std::string fingerprints;
    for (const auto& k : result->keys) {
        report_.keys.push_back({k, source});
        imported_new_ = imported_new_ || k.is_new;
        fingerprints += " " + k.fingerprint;
    }
    std::string problems;
    for (const auto& p : result->problems) problems += (problems.empty() ? "" : "; ") + p;
    part(source, "key", result->keys.empty() ? "no key" : "imported" + fingerprints, problems);
    return {};
}

}  // namespace cvd::app::detail
