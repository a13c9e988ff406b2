// Recognition only: gpg does the real parsing. Lines quoted with '>' are never blocks (they
// belong to an earlier message in the thread).

#include "cvdbot/crypto/armor.hpp"

#include <array>
#include <optional>

#include "base64.hpp"

namespace cvd::crypto {
namespace {

struct Label {
    const char* text;
    PgpKind kind;
};
constexpr std::array<Label, 5> labels{{
    {"SIGNED MESSAGE", PgpKind::signed_message},
    {"MESSAGE", PgpKind::message},
    {"PUBLIC KEY BLOCK", PgpKind::public_key},
    {"PRIVATE KEY BLOCK", PgpKind::secret_key},
    {"SIGNATURE", PgpKind::signature},
}};

std::string_view trim_line_end(std::string_view line) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t'))
        line.remove_suffix(1);
    return line;
}

// The kind named by "-----BEGIN PGP <label>-----" (or END), or none.
PgpKind armor_label(std::string_view line, std::string_view word) {
    line = trim_line_end(line);
    const std::string prefix = "-----" + std::string(word) + " PGP ";
    if (line.substr(0, prefix.size()) != prefix || line.size() < prefix.size() + 5 ||
        line.substr(line.size() - 5) != "-----")
        return PgpKind::none;
    std::string_view label = line.substr(prefix.size(), line.size() - prefix.size() - 5);
    for (const auto& l : labels)
        if (label == l.text) return l.kind;
    return PgpKind::none;
}

struct Line {
    std::string_view text;  // without the line end
    std::size_t begin = 0;
    std::size_t next = 0;  // offset of the following line
};

class Lines {
  public:
    explicit Lines(std::string_view s, std::size_t pos = 0) : s_(s), pos_(pos) {}
    std::optional<Line> next() {
        if (pos_ >= s_.size()) return std::nullopt;
        std::size_t eol = s_.find('\n', pos_);
        Line l;
        l.begin = pos_;
        l.text = s_.substr(pos_, eol == std::string_view::npos ? eol : eol - pos_);
        l.next = eol == std::string_view::npos ? s_.size() : eol + 1;
        pos_ = l.next;
        return l;
    }

  private:
    std::string_view s_;
    std::size_t pos_;
};

// The base64 body of the armored block starting at `begin` (after the armor headers, before
// the checksum), decoded; nullopt when malformed.
std::optional<std::string> dearmor(std::string_view text, std::size_t begin) {
    Lines lines(text, begin);
    auto first = lines.next();
    if (!first) return std::nullopt;
    bool in_headers = true;
    std::string body;
    while (auto l = lines.next()) {
        std::string_view t = trim_line_end(l->text);
        if (in_headers) {
            // Armor headers ("Version: ...") end at the first empty line. Some writers omit
            // it when there are no headers.
            if (t.empty())
                in_headers = false;
            else if (t.find(':') == std::string_view::npos)
                in_headers = false;
            else
                continue;
            if (t.empty()) continue;
        }
        if (t.substr(0, 5) == "-----") return detail::decode_base64(body);
        if (!t.empty() && t.front() == '=' && t.size() == 5) return detail::decode_base64(body);
        body += t;
    }
    return std::nullopt;
}

// Reads one packet header at `pos`; returns the tag and moves `pos` past the packet.
// Partial body lengths (new format) are followed chunk by chunk.
std::optional<int> read_packet(std::string_view data, std::size_t& pos) {
    if (pos >= data.size()) return std::nullopt;
    const auto b = static_cast<unsigned char>(data[pos]);
    if ((b & 0x80) == 0) return std::nullopt;
    auto byte = [&](std::size_t i) { return static_cast<unsigned char>(data[i]); };
    if (b & 0x40) {  // new format
        const int tag = b & 0x3F;
        ++pos;
        while (true) {
            if (pos >= data.size()) return std::nullopt;
            const unsigned o1 = byte(pos);
            std::size_t len = 0;
            bool partial = false;
            if (o1 < 192) {
                len = o1;
                pos += 1;
            } else if (o1 < 224) {
                if (pos + 1 >= data.size()) return std::nullopt;
                len = ((o1 - 192) << 8) + byte(pos + 1) + 192;
                pos += 2;
            } else if (o1 == 255) {
                if (pos + 4 >= data.size()) return std::nullopt;
                len = (std::size_t{byte(pos + 1)} << 24) | (std::size_t{byte(pos + 2)} << 16) |
                      (std::size_t{byte(pos + 3)} << 8) | byte(pos + 4);
                pos += 5;
            } else {
                len = std::size_t{1} << (o1 & 0x1F);
                partial = true;
                pos += 1;
            }
            if (len > data.size() - pos) {
                pos = data.size();  // truncated: the tag is still known
                return tag;
            }
            pos += len;
            if (!partial) return tag;
        }
    }
    const int tag = (b >> 2) & 0x0F;
    const int type = b & 0x03;
    ++pos;
    if (type == 3) {  // indeterminate: to the end
        pos = data.size();
        return tag;
    }
    const std::size_t n = type == 0 ? 1 : type == 1 ? 2 : 4;
    if (pos + n > data.size()) return std::nullopt;
    std::size_t len = 0;
    for (std::size_t i = 0; i < n; ++i) len = (len << 8) | byte(pos + i);
    pos += n;
    pos = len > data.size() - pos ? data.size() : pos + len;
    return tag;
}

std::vector<int> binary_tags(std::string_view data, std::size_t max_packets) {
    std::vector<int> tags;
    std::size_t pos = 0;
    while (tags.size() < max_packets) {
        auto tag = read_packet(data, pos);
        if (!tag) break;
        tags.push_back(*tag);
    }
    return tags;
}

// The first body byte of the packet at the start of `data`, if its header is complete.
std::optional<unsigned char> first_body_byte(std::string_view data) {
    if (data.empty() || (static_cast<unsigned char>(data[0]) & 0x80) == 0) return std::nullopt;
    const auto b = static_cast<unsigned char>(data[0]);
    std::size_t header = 0;
    if (b & 0x40) {  // new format: one, two or five length octets (or one partial)
        if (data.size() < 2) return std::nullopt;
        const auto o1 = static_cast<unsigned char>(data[1]);
        header = o1 < 192 ? 2 : o1 < 224 ? 3 : o1 == 255 ? 6 : 2;
    } else {
        const int type = b & 0x03;
        header = type == 3 ? 1 : 1 + (type == 0 ? 1 : type == 1 ? 2 : 4);
    }
    if (data.size() <= header) return std::nullopt;
    return static_cast<unsigned char>(data[header]);
}

// Random bytes (a capture, an image) start with what reads as a packet header about one time
// in five; the version or format octet every real packet of that kind starts with rules most
// of them out (RFC 4880 §5; v5/v6 from RFC 9580).
bool plausible_first_packet(std::string_view data, int tag) {
    const auto first = first_body_byte(data);
    if (!first) return false;
    const unsigned v = *first;
    switch (tag) {
        case 1:  // public-key encrypted session key
            return v == 3 || v == 6;
        case 2:  // signature
            return v == 3 || v == 4 || v == 5 || v == 6;
        case 3:  // symmetric-key encrypted session key
            return v == 4 || v == 5 || v == 6;
        case 4:  // one-pass signature
            return v == 3 || v == 6;
        case 5:  // secret key
        case 6:  // public key
            return v == 3 || v == 4 || v == 5 || v == 6;
        case 8:  // compressed: the algorithm
            return v <= 3;
        case 11:  // literal: the format
            return v == 'b' || v == 't' || v == 'u' || v == 'l' || v == '1' || v == 'm';
        case 18:  // integrity-protected encrypted data
            return v == 1 || v == 2;
        default:  // 9, data encrypted without integrity protection: gpg refuses it anyway
            return false;
    }
}

std::string_view skip_space(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n')) ++i;
    return s.substr(i);
}

}  // namespace

const char* to_string(PgpKind kind) {
    switch (kind) {
        case PgpKind::none:
            return "none";
        case PgpKind::message:
            return "message";
        case PgpKind::signed_message:
            return "signed_message";
        case PgpKind::public_key:
            return "public_key";
        case PgpKind::secret_key:
            return "secret_key";
        case PgpKind::signature:
            return "signature";
    }
    return "none";
}

std::vector<ArmoredBlock> find_armored_blocks(std::string_view text, std::size_t max_blocks) {
    std::vector<ArmoredBlock> blocks;
    Lines lines(text);
    while (blocks.size() < max_blocks) {
        auto l = lines.next();
        if (!l) break;
        const PgpKind kind = armor_label(l->text, "BEGIN");
        if (kind == PgpKind::none) continue;
        // A clear-signed text ends with its signature block.
        const PgpKind closing = kind == PgpKind::signed_message ? PgpKind::signature : kind;
        bool signature_started = kind != PgpKind::signed_message;
        std::optional<std::size_t> end;
        Lines rest(text, l->next);
        while (auto r = rest.next()) {
            if (!signature_started) {
                if (armor_label(r->text, "BEGIN") == PgpKind::signature) signature_started = true;
                continue;
            }
            if (armor_label(r->text, "END") == closing) {
                end = r->next;
                break;
            }
        }
        if (!end) break;  // unclosed: neither this nor anything after it is a block
        blocks.push_back({kind, l->begin, *end});
        lines = Lines(text, *end);
    }
    return blocks;
}

std::vector<int> packet_tags(std::string_view bytes, std::size_t max_packets) {
    std::string_view s = skip_space(bytes);
    if (s.substr(0, 15) == "-----BEGIN PGP ") {
        auto decoded = dearmor(s, 0);
        return decoded ? binary_tags(*decoded, max_packets) : std::vector<int>{};
    }
    return binary_tags(bytes, max_packets);
}

std::optional<std::string> binary_message(std::string_view bytes) {
    std::string_view s = skip_space(bytes);
    if (s.substr(0, 15) == "-----BEGIN PGP ") return dearmor(s, 0);
    return std::string(bytes);
}

PgpKind classify(std::string_view bytes) {
    std::string_view s = skip_space(bytes);
    if (s.substr(0, 15) == "-----BEGIN PGP ") {
        std::size_t eol = s.find('\n');
        return armor_label(s.substr(0, eol), "BEGIN");
    }
    const auto tags = binary_tags(bytes, 2);
    if (tags.empty() || !plausible_first_packet(bytes, tags.front())) return PgpKind::none;
    switch (tags.front()) {
        case 1:   // public-key encrypted session key
        case 3:   // symmetric-key encrypted session key
        case 4:   // one-pass signature
        case 8:   // compressed data
        case 11:  // literal data
        case 18:  // integrity-protected encrypted data
            return PgpKind::message;
        case 2:  // a signature alone is detached; followed by data it is an old signed message
            return tags.size() > 1 && (tags[1] == 8 || tags[1] == 11) ? PgpKind::message
                                                                      : PgpKind::signature;
        case 5:
            return PgpKind::secret_key;
        case 6:
            return PgpKind::public_key;
        default:
            return PgpKind::none;
    }
}

bool contains_secret_key(std::string_view bytes) {
    auto has_secret_tag = [](const std::vector<int>& tags) {
        for (int t : tags)
            if (t == 5 || t == 7) return true;
        return false;
    };
    std::string_view s = skip_space(bytes);
    if (s.substr(0, 5) != "-----" && (s.empty() || (static_cast<unsigned char>(s[0]) & 0x80)))
        return has_secret_tag(binary_tags(bytes, 100000));
    // Text: any private-key block, or a public-key block that really holds secret packets.
    for (const auto& block : find_armored_blocks(bytes, 1000)) {
        if (block.kind == PgpKind::secret_key) return true;
        if (block.kind == PgpKind::public_key) {
            auto decoded = dearmor(bytes, block.begin);
            if (decoded && has_secret_tag(binary_tags(*decoded, 100000))) return true;
        }
    }
    // An unclosed private-key block is refused too: gpg might still read it.
    return bytes.find("-----BEGIN PGP PRIVATE KEY BLOCK-----") != std::string_view::npos;
}

std::uint32_t crc24(std::string_view bytes) {
    std::uint32_t crc = 0xB704CE;
    for (char c : bytes) {
        crc ^= static_cast<std::uint32_t>(static_cast<unsigned char>(c)) << 16;
        for (int i = 0; i < 8; ++i) {
            crc <<= 1;
            if (crc & 0x1000000) crc ^= 0x1864CFB;
        }
    }
    return crc & 0xFFFFFF;
}

std::string armor(PgpKind kind, std::string_view bytes) {
    const char* label = "MESSAGE";
    for (const auto& l : labels)
        if (l.kind == kind) label = l.text;
    const std::string base64 = detail::encode_base64(bytes);
    std::string out = "-----BEGIN PGP " + std::string(label) + "-----\n\n";
    for (std::size_t i = 0; i < base64.size(); i += 64) out += base64.substr(i, 64) + "\n";
    const std::uint32_t crc = crc24(bytes);
    const char sum[3] = {static_cast<char>(crc >> 16), static_cast<char>(crc >> 8),
                         static_cast<char>(crc)};
    out += "=" + detail::encode_base64(std::string_view(sum, 3)) + "\n";
    out += "-----END PGP " + std::string(label) + "-----\n";
    return out;
}

}  // namespace cvd::crypto
