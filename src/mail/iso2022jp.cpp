// ISO-2022-JP read as Japanese mail means it. Windows clients write NEC row 13 (①, ㈱) and
// IBM extension characters inside ESC $ B, which glibc's strict ISO-2022-JP rejects. So JIS
// X 0208 pairs are mapped arithmetically to Shift_JIS and decoded as CP932 (the CP50221
// behaviour), JIS X 0212 goes through EUC-JP-MS, and half-width kana (ESC ( I, SO/SI) become
// their CP932 single bytes.

#include "charset_internal.hpp"

namespace cvd::mail::detail {
namespace {

enum class Mode { ascii, kana, jis0208, jis0212, unknown };

class Decoder {
  public:
    Decoder(std::size_t& bad, std::size_t& unterminated) : bad_(bad), unterminated_(unterminated) {}

    std::string run(std::string_view in) {
        sjis_.reserve(in.size());
        std::size_t i = 0;
        while (i < in.size()) {
            unsigned char c = static_cast<unsigned char>(in[i]);
            if (c == 0x1B) {
                i = escape(in, i);
                continue;
            }
            if (c == 0x0E) {  // SO: kana until SI (CP50222 style)
                drop_lead();
                shifted_ = true;
                ++i;
                continue;
            }
            if (c == 0x0F) {
                drop_lead();
                shifted_ = false;
                ++i;
                continue;
            }
            if (c == '\r' || c == '\n') {
                drop_lead();
                if (mode_ == Mode::jis0208 || mode_ == Mode::jis0212) ++unterminated_;
                sjis_.push_back(static_cast<char>(c));
                ++i;
                continue;
            }
            if (c >= 0xA1 && c <= 0xDF) {  // raw 8-bit half-width kana: CP932 reads them as is
                drop_lead();
                sjis_.push_back(static_cast<char>(c));
                ++i;
                continue;
            }
            if (c >= 0x80) {
                drop_lead();
                flush();
                append_replacement(out_);
                ++bad_;
                ++i;
                continue;
            }
            byte(c);
            ++i;
        }
        drop_lead();
        flush();
        return std::move(out_);
    }

  private:
    void byte(unsigned char c) {
        if (shifted_ || mode_ == Mode::kana) {
            if (c >= 0x21 && c <= 0x5F) {
                sjis_.push_back(static_cast<char>(c + 0x80));
            } else {
                sjis_.push_back(static_cast<char>(c));
            }
            return;
        }
        if (mode_ == Mode::ascii) {
            sjis_.push_back(static_cast<char>(c));
            return;
        }
        if (mode_ == Mode::unknown) {
            flush();
            append_replacement(out_);
            ++bad_;
            return;
        }
        if (c < 0x21 || c > 0x7E) {  // space or control inside a double-byte run
            drop_lead();
            sjis_.push_back(static_cast<char>(c));
            return;
        }
        if (!lead_) {
            lead_ = c;
            return;
        }
        unsigned char j1 = lead_, j2 = c;
        lead_ = 0;
        if (mode_ == Mode::jis0212) {
            flush();
            std::string euc{'\x8F', static_cast<char>(j1 | 0x80), static_cast<char>(j2 | 0x80)};
            if (!convert_to_utf8(euc, "EUC-JP-MS", out_, bad_)) {
                append_replacement(out_);
                ++bad_;
            }
            return;
        }
        unsigned s1 = ((j1 - 0x21u) >> 1) + 0x81u;
        if (s1 > 0x9F) s1 += 0x40;
        unsigned s2 = j2 + ((j1 & 1) ? (j2 < 0x60 ? 0x1Fu : 0x20u) : 0x7Eu);
        sjis_.push_back(static_cast<char>(s1));
        sjis_.push_back(static_cast<char>(s2));
    }

    std::size_t escape(std::string_view in, std::size_t i) {
        drop_lead();
        auto rest = in.substr(i + 1);
        auto take = [&](std::string_view seq, Mode m) {
            if (rest.substr(0, seq.size()) != seq) return false;
            mode_ = m;
            i += 1 + seq.size();
            return true;
        };
        if (take("(B", Mode::ascii) || take("(J", Mode::ascii) || take("(H", Mode::ascii) ||
            take("(I", Mode::kana) || take("$B", Mode::jis0208) || take("$@", Mode::jis0208) ||
            take("$(B", Mode::jis0208) || take("$(Q", Mode::jis0208) ||
            take("$(O", Mode::jis0208) || take("$(D", Mode::jis0212)) {
            return i;
        }
        if (rest.substr(0, 2) == "&@") return i + 3;  // JIS X 0208-1990 announcer: no-op
        // An escape for a set we do not read (ISO-2022-JP-2's Chinese or Korean, say).
        flush();
        append_replacement(out_);
        ++bad_;
        if (rest.size() >= 2 && rest[0] == '$') {
            mode_ = Mode::unknown;
            return i + 3;
        }
        return i + 1;
    }

    void drop_lead() {
        if (lead_) {
            lead_ = 0;
            flush();
            append_replacement(out_);
            ++bad_;
        }
    }

    void flush() {
        if (sjis_.empty()) return;
        if (!convert_to_utf8(sjis_, "CP932", out_, bad_)) out_ += sjis_;  // CP932 always exists
        sjis_.clear();
    }

    std::size_t& bad_;
    std::size_t& unterminated_;
    Mode mode_ = Mode::ascii;
    bool shifted_ = false;
    unsigned char lead_ = 0;
    std::string sjis_;
    std::string out_;
};

}  // namespace

std::string iso2022jp_to_utf8(std::string_view bytes, std::size_t& bad,
                              std::size_t& unterminated_lines) {
    return Decoder(bad, unterminated_lines).run(bytes);
}

}  // namespace cvd::mail::detail
