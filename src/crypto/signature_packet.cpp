#include "signature_packet.hpp"

#include <gcrypt.h>

#include <mutex>

namespace cvd::crypto::detail {
namespace {

// A subpacket (RFC 4880 §5.2.3.1); ours are short, so their length is one byte.
void subpacket(std::string& out, int type, std::string_view body) {
    out.push_back(static_cast<char>(body.size() + 1));
    out.push_back(static_cast<char>(type));
    out.append(body);
}

// A canonical S-expression (as gpg-agent writes them): atoms "<length>:<bytes>" and lists.
struct Sexp {
    bool is_list = false;
    std::string atom;
    std::vector<Sexp> items;

    // The list whose first item is the atom `name`, or nullptr.
    const Sexp* find(std::string_view name) const {
        for (const auto& i : items)
            if (i.is_list && !i.items.empty() && !i.items[0].is_list && i.items[0].atom == name)
                return &i;
        return nullptr;
    }
};

constexpr int max_depth = 8;

std::optional<Sexp> parse(std::string_view s, std::size_t& pos, int depth) {
    if (pos >= s.size() || depth > max_depth) return std::nullopt;
    Sexp node;
    if (s[pos] == '(') {
        node.is_list = true;
        ++pos;
        while (pos < s.size() && s[pos] != ')') {
            auto item = parse(s, pos, depth + 1);
            if (!item) return std::nullopt;
            node.items.push_back(std::move(*item));
        }
        if (pos >= s.size()) return std::nullopt;
        ++pos;  // ')'
        return node;
    }
    std::size_t len = 0, digits = 0;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9' && digits < 9) {
        len = len * 10 + static_cast<std::size_t>(s[pos] - '0');
        ++pos;
        ++digits;
    }
    if (digits == 0 || pos >= s.size() || s[pos] != ':' || len > s.size() - pos - 1)
        return std::nullopt;
    node.atom = std::string(s.substr(pos + 1, len));
    pos += 1 + len;
    return node;
}

}  // namespace

void put16(std::string& out, std::size_t v) {
    out.push_back(static_cast<char>((v >> 8) & 0xFF));
    out.push_back(static_cast<char>(v & 0xFF));
}

void put32(std::string& out, std::uint64_t v) {
    put16(out, (v >> 16) & 0xFFFF);
    put16(out, v & 0xFFFF);
}

void init_gcrypt() {
    static std::once_flag once;
    // Required before any other libgcrypt call (libgcrypt initialises itself here).
    std::call_once(once, [] { gcry_check_version(nullptr); });
}

const char* micalg(HashAlgo hash) {
    return hash == HashAlgo::sha512 ? "pgp-sha512" : "pgp-sha256";
}

std::string hashed_part(const SignatureParams& params) {
    std::string subpackets;
    subpacket(subpackets, 33, "\x04" + params.issuer_fingerprint);  // v4 fingerprint
    std::string created;
    put32(created, params.created);
    subpacket(subpackets, 2, created);

    std::string out;
    out.push_back(4);     // version
    out.push_back(0x00);  // signature of a binary document
    out.push_back(static_cast<char>(params.pubkey_algo));
    out.push_back(static_cast<char>(params.hash_algo));
    put16(out, subpackets.size());
    out += subpackets;
    return out;
}

std::optional<std::string> signature_digest(HashAlgo hash, std::string_view data,
                                            std::string_view hashed) {
    init_gcrypt();
    // OpenPGP's hash numbers are libgcrypt's.
    const int algo = static_cast<int>(hash);
    gcry_md_hd_t md = nullptr;
    if (gcry_md_open(&md, algo, 0) != 0) return std::nullopt;
    std::string trailer = "\x04\xFF";
    put32(trailer, static_cast<std::uint32_t>(hashed.size()));
    gcry_md_write(md, data.data(), data.size());
    gcry_md_write(md, hashed.data(), hashed.size());
    gcry_md_write(md, trailer.data(), trailer.size());
    const unsigned char* d = gcry_md_read(md, algo);
    std::optional<std::string> out;
    if (d != nullptr) out.emplace(reinterpret_cast<const char*>(d), gcry_md_get_algo_dlen(algo));
    gcry_md_close(md);
    return out;
}

std::string mpi(std::string_view big_endian) {
    while (!big_endian.empty() && big_endian.front() == '\0') big_endian.remove_prefix(1);
    std::size_t bits = big_endian.size() * 8;
    if (!big_endian.empty())
        for (auto top = static_cast<unsigned char>(big_endian.front()); !(top & 0x80); top <<= 1)
            --bits;
    std::string out;
    put16(out, bits);
    out.append(big_endian);
    return out;
}

std::string signature_packet(std::string_view hashed, std::string_view issuer_fingerprint,
                             std::string_view digest, const std::vector<std::string>& values) {
    std::string body(hashed);
    std::string unhashed;
    // The key id is the fingerprint's last 8 bytes (v4).
    subpacket(unhashed, 16,
              issuer_fingerprint.substr(
                  issuer_fingerprint.size() >= 8 ? issuer_fingerprint.size() - 8 : 0));
    put16(body, unhashed.size());
    body += unhashed;
    body.append(digest.substr(0, 2));
    for (const auto& v : values) body += mpi(v);

    // Old-format header (tag 2), as gpg writes signatures: the shortest length field.
    std::string out;
    if (body.size() < 0x100) {
        out.push_back(static_cast<char>(0x88));
        out.push_back(static_cast<char>(body.size()));
    } else if (body.size() < 0x10000) {
        out.push_back(static_cast<char>(0x89));
        put16(out, body.size());
    } else {
        out.push_back(static_cast<char>(0x8A));
        put32(out, static_cast<std::uint32_t>(body.size()));
    }
    return out + body;
}

std::optional<std::vector<std::string>> signature_values(std::string_view sig_val,
                                                         PubkeyAlgo algo) {
    std::size_t pos = 0;
    auto top = parse(sig_val, pos, 0);
    if (!top || pos != sig_val.size() || !top->is_list || top->items.size() != 2 ||
        top->items[0].is_list || top->items[0].atom != "sig-val")
        return std::nullopt;
    const Sexp& inner = top->items[1];
    if (!inner.is_list || inner.items.empty() || inner.items[0].is_list) return std::nullopt;
    const std::string& name = inner.items[0].atom;
    std::vector<std::string> wanted;
    if (algo == PubkeyAlgo::eddsa && name == "eddsa")
        wanted = {"r", "s"};
    else if (algo == PubkeyAlgo::rsa && name == "rsa")
        wanted = {"s"};
    else
        return std::nullopt;
    std::vector<std::string> values;
    for (const auto& w : wanted) {
        const Sexp* param = inner.find(w);
        if (param == nullptr || param->items.size() != 2 || param->items[1].is_list ||
            param->items[1].atom.empty())
            return std::nullopt;
        values.push_back(param->items[1].atom);
    }
    return values;
}

}  // namespace cvd::crypto::detail
