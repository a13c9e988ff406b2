#pragma once
// Recognising OpenPGP data without GPGME: armored blocks inside text and the kind of a binary
// blob, so that the caller can decide what to do with a mail body or an attachment. Works on
// bytes only; hostile input costs linear time and never more than a bounded packet walk.
// Writing armor too, for the packets cvdbot builds itself (signatures made through the agent).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cvd::crypto {

enum class PgpKind {
    none,            // not OpenPGP as far as we can tell
    message,         // encrypted (or opaque signed) data: "PGP MESSAGE"
    signed_message,  // clear-signed text: "PGP SIGNED MESSAGE"
    public_key,      // "PGP PUBLIC KEY BLOCK"
    secret_key,      // "PGP PRIVATE KEY BLOCK": never imported
    signature,       // a detached signature: "PGP SIGNATURE"
};

const char* to_string(PgpKind kind);

struct ArmoredBlock {
    PgpKind kind = PgpKind::none;
    std::size_t begin = 0;  // offset of "-----BEGIN"
    std::size_t end = 0;    // offset just past the "-----END ...-----" line (and its line end)
};

// Armored blocks in `text`, in order, each closed by its END line (unclosed ones are left
// out). A clear-signed block runs to the END of its signature. At most `max_blocks`.
std::vector<ArmoredBlock> find_armored_blocks(std::string_view text, std::size_t max_blocks = 32);

// The kind of `bytes`: armored (leading whitespace allowed) or binary OpenPGP packets.
// For binary data only the first packets are read: a public-key packet means public_key,
// a secret-key packet secret_key, a session-key packet message, a (one-pass) signature
// packet signature or message.
PgpKind classify(std::string_view bytes);

// True when the data holds a secret-key packet anywhere (armored or binary): such data must
// never reach the bot's keyring, where a secret key would make its owner "one of ours".
bool contains_secret_key(std::string_view bytes);

// The packet tags of binary OpenPGP data, or of the first armored block after its base64 is
// decoded. Stops at the first malformed header or after `max_packets`.
// The binary OpenPGP data of `bytes`: its first armored block decoded, or the bytes themselves
// when they are binary; nullopt when the armor is malformed.
std::optional<std::string> binary_message(std::string_view bytes);

std::vector<int> packet_tags(std::string_view bytes, std::size_t max_packets = 10000);

// Binary OpenPGP data armored as `kind` (not none or signed_message) the way gpg writes it
// (RFC 4880 §6.2): no armor headers, 64 base64 characters a line, the CRC-24 checksum, LF
// line ends.
std::string armor(PgpKind kind, std::string_view bytes);

// The CRC-24 of the armor checksum line (RFC 4880 §6.1).
std::uint32_t crc24(std::string_view bytes);

}  // namespace cvd::crypto
