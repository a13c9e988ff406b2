// Body codecs. Quoted-printable decoding uses mimetic's decoder, which is lenient in the
// ways mail needs. Base64 is our own: mimetic's decoder turns a stray "====" into a garbage
// byte, and counting invalid input for warnings needs a pass over the bytes anyway.

#include "transfer_coding.hpp"

#include <mimetic/codec/code.h>
#include <mimetic/codec/qp.h>

#include <array>
#include <iterator>

namespace cvd::mail::detail {
namespace {

constexpr std::array<signed char, 256> make_b64_table() {
    std::array<signed char, 256> t{};
    for (auto& v : t) v = -1;
    const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (int i = 0; i < 64; ++i)
        t[static_cast<unsigned char>(alphabet[i])] = static_cast<signed char>(i);
    return t;
}
constexpr auto b64_table = make_b64_table();
constexpr char b64_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

// Writes nothing: count_invalid_base64 walks the input as decode_base64 does.
struct Discard {
    Discard& operator*() { return *this; }
    Discard& operator=(char) { return *this; }
    Discard operator++(int) { return *this; }
};

// The decoder proper: writes through `o`, returns where it stopped writing; `bad` counts the
// invalid bytes.
template <typename Out>
Out base64_walk(std::string_view in, Out o, std::size_t& bad) {
    const auto* p = reinterpret_cast<const unsigned char*>(in.data());
    const auto* end = p + in.size();
    unsigned quantum = 0;
    int n = 0;
    while (p < end) {
        // Fast path: four alphabet characters in a row (all of a well-formed line).
        if (n == 0 && end - p >= 4) {
            int a = b64_table[p[0]], b = b64_table[p[1]], c = b64_table[p[2]], d = b64_table[p[3]];
            if ((a | b | c | d) >= 0) {
                unsigned q =
                    (unsigned(a) << 18) | (unsigned(b) << 12) | (unsigned(c) << 6) | unsigned(d);
                *o++ = static_cast<char>(q >> 16);
                *o++ = static_cast<char>(q >> 8);
                *o++ = static_cast<char>(q);
                p += 4;
                continue;
            }
        }
        unsigned char ch = *p++;
        int v = b64_table[ch];
        if (v >= 0) {
            quantum = (quantum << 6) | static_cast<unsigned>(v);
            if (++n == 4) {
                *o++ = static_cast<char>(quantum >> 16);
                *o++ = static_cast<char>(quantum >> 8);
                *o++ = static_cast<char>(quantum);
                quantum = 0;
                n = 0;
            }
        } else if (ch == '=') {
            // Padding ends a quantum; '=' where no quantum is open is noise.
            if (n == 2) {
                *o++ = static_cast<char>(quantum >> 4);
            } else if (n == 3) {
                *o++ = static_cast<char>(quantum >> 10);
                *o++ = static_cast<char>(quantum >> 2);
            } else if (n == 1) {
                ++bad;
            }
            quantum = 0;
            n = 0;
        } else if (ch != ' ' && ch != '\t' && ch != '\r' && ch != '\n') {
            ++bad;
        }
    }
    if (n == 2) *o++ = static_cast<char>(quantum >> 4);
    if (n == 3) {
        *o++ = static_cast<char>(quantum >> 10);
        *o++ = static_cast<char>(quantum >> 2);
    }
    if (n == 1) ++bad;
    return o;
}

}  // namespace

std::string decode_base64(std::string_view in, std::size_t* invalid) {
    std::string out(in.size() / 4 * 3 + 3, '\0');
    std::size_t bad = 0;
    char* o = base64_walk(in, out.data(), bad);
    out.resize(static_cast<std::size_t>(o - out.data()));
    if (invalid) *invalid += bad;
    return out;
}

std::size_t count_invalid_base64(std::string_view in) {
    std::size_t bad = 0;
    base64_walk(in, Discard{}, bad);
    return bad;
}

std::string decode_quoted_printable(std::string_view in) {
    std::string out;
    out.reserve(in.size());
    mimetic::QP::Decoder decoder;
    mimetic::decode(in.begin(), in.end(), decoder, std::back_inserter(out));
    return out;
}

std::string decode_q(std::string_view in) {
    std::string out;
    out.reserve(in.size());
    for (std::size_t i = 0; i < in.size(); ++i) {
        char c = in[i];
        if (c == '_') {
            out.push_back(' ');
        } else if (c == '=' && i + 2 < in.size() && hex_value(in[i + 1]) >= 0 &&
                   hex_value(in[i + 2]) >= 0) {
            out.push_back(static_cast<char>(hex_value(in[i + 1]) * 16 + hex_value(in[i + 2])));
            i += 2;
        } else {
            out.push_back(c);
        }
    }
    return out;
}

std::string encode_base64_lines(std::string_view in) {
    std::string out;
    out.reserve(in.size() * 4 / 3 + in.size() / 38 + 8);
    std::size_t line = 0;
    for (std::size_t i = 0; i < in.size(); i += 3) {
        unsigned q = static_cast<unsigned char>(in[i]) << 16;
        std::size_t left = in.size() - i;
        if (left > 1) q |= static_cast<unsigned char>(in[i + 1]) << 8;
        if (left > 2) q |= static_cast<unsigned char>(in[i + 2]);
        out.push_back(b64_alphabet[(q >> 18) & 63]);
        out.push_back(b64_alphabet[(q >> 12) & 63]);
        out.push_back(left > 1 ? b64_alphabet[(q >> 6) & 63] : '=');
        out.push_back(left > 2 ? b64_alphabet[q & 63] : '=');
        line += 4;
        if (line >= 76) {
            out += "\r\n";
            line = 0;
        }
    }
    if (line) out += "\r\n";
    return out;
}

std::string encode_quoted_printable(std::string_view text) {
    static const char hex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(text.size() * 11 / 10 + 16);
    std::size_t col = 0;
    auto put = [&](std::string_view piece) {
        if (col + piece.size() > 75) {  // leave room for the soft break's '='
            out += "=\r\n";
            col = 0;
        }
        out += piece;
        col += piece.size();
    };
    for (std::size_t i = 0; i < text.size(); ++i) {
        auto c = static_cast<unsigned char>(text[i]);
        if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
            out += "\r\n";
            col = 0;
            ++i;
            continue;
        }
        bool line_end_next = i + 1 == text.size() || text[i + 1] == '\r';
        bool safe =
            (c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !line_end_next);
        // A leading '.' or "From " would be altered by some transports: encode them.
        if (col == 0 && (c == '.' || (c == 'F' && text.substr(i, 5) == "From "))) safe = false;
        if (safe) {
            char s[1] = {static_cast<char>(c)};
            put(std::string_view(s, 1));
        } else {
            char s[3] = {'=', hex[c >> 4], hex[c & 15]};
            put(std::string_view(s, 3));
        }
    }
    return out;
}

}  // namespace cvd::mail::detail
