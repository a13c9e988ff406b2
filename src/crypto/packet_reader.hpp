#pragma once
// Reading OpenPGP packets (internal, RFC 4880 §4.2 and §5.2.3.1): a bounds-checked cursor, the
// packet framing and the subpacket areas of signatures. Shared by the key export parser and
// the reader of encrypted messages; every length is checked against what is there.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cvd::crypto::detail {

// A bounds-checked reader over one packet body or the whole input.
struct Reader {
    std::string_view data;
    std::size_t pos = 0;

    std::size_t left() const { return data.size() - pos; }
    std::optional<std::uint8_t> byte() {
        if (left() < 1) return std::nullopt;
        return static_cast<std::uint8_t>(data[pos++]);
    }
    std::optional<std::uint32_t> be(int bytes) {
        if (left() < static_cast<std::size_t>(bytes)) return std::nullopt;
        std::uint32_t v = 0;
        for (int i = 0; i < bytes; ++i) v = (v << 8) | static_cast<std::uint8_t>(data[pos++]);
        return v;
    }
    std::optional<std::string_view> take(std::size_t n) {
        if (left() < n) return std::nullopt;
        auto out = data.substr(pos, n);
        pos += n;
        return out;
    }
    // An MPI's bytes (RFC 4880 §3.2): the bit count must fit the bytes that follow.
    std::optional<std::string_view> mpi() {
        auto bits = be(2);
        if (!bits) return std::nullopt;
        return take((*bits + 7) / 8);
    }
};

struct Packet {
    int tag = 0;
    std::string_view body;
};

// The next packet; nullopt at a malformed header or a length past the end. Keys never have
// partial (new format) or indeterminate (old format, type 3) lengths, and they are refused
// unless `joined` is given (messages): then partial chunks are copied into it and `body`
// views it, and an indeterminate length runs to the end of the input.
inline std::optional<Packet> next_packet(Reader& in, std::string* joined = nullptr) {
    auto first = in.byte();
    if (!first || !(*first & 0x80)) return std::nullopt;
    Packet p;
    std::optional<std::uint32_t> len;
    if (*first & 0x40) {  // new format
        p.tag = *first & 0x3F;
        auto l1 = in.byte();
        if (!l1) return std::nullopt;
        const bool partial = *l1 >= 224 && *l1 < 255;
        if (partial) {  // chunks of 2^n bytes, then a last length
            if (joined == nullptr) return std::nullopt;
            joined->clear();
            while (l1 && *l1 >= 224 && *l1 < 255) {
                auto chunk = in.take(std::size_t{1} << (*l1 & 0x1F));
                if (!chunk) return std::nullopt;
                joined->append(*chunk);
                l1 = in.byte();
            }
            if (!l1) return std::nullopt;
        }
        if (*l1 < 192) {
            len = *l1;
        } else if (*l1 < 224) {
            auto l2 = in.byte();
            if (l2) len = ((*l1 - 192u) << 8) + *l2 + 192u;
        } else if (*l1 == 255) {
            len = in.be(4);
        }
        if (partial) {
            if (!len) return std::nullopt;
            auto rest = in.take(*len);
            if (!rest) return std::nullopt;
            joined->append(*rest);
            p.body = *joined;
            return p;
        }
    } else {  // old format
        p.tag = (*first >> 2) & 0x0F;
        switch (*first & 0x03) {
            case 0:
                len = in.be(1);
                break;
            case 1:
                len = in.be(2);
                break;
            case 2:
                len = in.be(4);
                break;
            default:  // indeterminate: to the end (gpg writes compressed packets so)
                if (joined != nullptr) len = static_cast<std::uint32_t>(in.left());
                if (joined != nullptr && in.left() > 0xFFFFFFFFu) return std::nullopt;
                break;
        }
    }
    if (!len) return std::nullopt;
    auto body = in.take(*len);
    if (!body) return std::nullopt;
    p.body = *body;
    return p;
}

// Subpackets (RFC 4880 §5.2.3.1); calls `each(type, critical, body)`; false when malformed.
template <typename Each>
bool for_subpackets(std::string_view area, const Each& each) {
    Reader r{area};
    while (r.left() > 0) {
        auto l1 = r.byte();
        if (!l1) return false;
        std::optional<std::uint32_t> len;
        if (*l1 < 192) {
            len = *l1;
        } else if (*l1 < 255) {
            auto l2 = r.byte();
            if (l2) len = ((*l1 - 192u) << 8) + *l2 + 192u;
        } else {
            len = r.be(4);
        }
        if (!len || *len == 0) return false;
        auto body = r.take(*len);
        if (!body) return false;
        const auto type = static_cast<std::uint8_t>((*body)[0]);
        each(type & 0x7F, (type & 0x80) != 0, body->substr(1));
    }
    return true;
}

}  // namespace cvd::crypto::detail
