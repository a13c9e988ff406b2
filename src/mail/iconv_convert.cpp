// iconv and ICU behind one call. Converters are cached per thread: opening one costs more than
// converting a typical message body.

#include <errno.h>
#include <iconv.h>
#include <unicode/ucnv.h>

#include <cstdint>
#include <cstring>
#include <map>
#include <memory>

#include "charset_internal.hpp"
#include "cvdbot/core/text.hpp"

namespace cvd::mail::detail {

void append_replacement(std::string& out) {
    out += "\xEF\xBF\xBD";
}

bool valid_utf8(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size()) {
        if (i + 8 <= s.size()) {
            std::uint64_t word;
            std::memcpy(&word, s.data() + i, 8);
            if ((word & 0x8080808080808080ull) == 0) {
                i += 8;
                continue;
            }
        }
        if (static_cast<unsigned char>(s[i]) < 0x80) {
            ++i;
            continue;
        }
        // A whole non-ASCII run: UTF-8 sequences never contain ASCII bytes.
        std::size_t j = i;
        while (j < s.size() && static_cast<unsigned char>(s[j]) >= 0x80) ++j;
        if (!core::is_valid_utf8(s.substr(i, j - i))) return false;
        i = j;
    }
    return true;
}

namespace {

struct IconvHandle {
    iconv_t cd = reinterpret_cast<iconv_t>(-1);
    ~IconvHandle() {
        if (cd != reinterpret_cast<iconv_t>(-1)) iconv_close(cd);
    }
};

struct IcuHandle {
    UConverter* conv = nullptr;
    ~IcuHandle() {
        if (conv) ucnv_close(conv);
    }
};

// nullptr entries remember that a name is unknown, so hostile input cannot make us retry
// opening thousands of bogus charsets; the cache is capped for the same reason.
constexpr std::size_t max_cached = 64;

IconvHandle* iconv_for(const std::string& charset) {
    thread_local std::map<std::string, std::unique_ptr<IconvHandle>> cache;
    auto it = cache.find(charset);
    if (it != cache.end()) return it->second.get();
    auto handle = std::make_unique<IconvHandle>();
    handle->cd = iconv_open("UTF-8", charset.c_str());
    if (handle->cd == reinterpret_cast<iconv_t>(-1)) handle.reset();
    if (cache.size() >= max_cached) cache.clear();
    return cache.emplace(charset, std::move(handle)).first->second.get();
}

IcuHandle* icu_for(const std::string& charset) {
    thread_local std::map<std::string, std::unique_ptr<IcuHandle>> cache;
    auto it = cache.find(charset);
    if (it != cache.end()) return it->second.get();
    auto handle = std::make_unique<IcuHandle>();
    UErrorCode status = U_ZERO_ERROR;
    handle->conv = ucnv_open(charset.c_str(), &status);
    if (U_FAILURE(status) || !handle->conv) {
        handle.reset();
    } else {
        // Stop on bad input so we can count it and substitute U+FFFD ourselves.
        status = U_ZERO_ERROR;
        ucnv_setToUCallBack(handle->conv, UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr,
                            &status);
    }
    if (cache.size() >= max_cached) cache.clear();
    return cache.emplace(charset, std::move(handle)).first->second.get();
}

void convert_iconv(iconv_t cd, std::string_view bytes, std::string& out, std::size_t& bad) {
    iconv(cd, nullptr, nullptr, nullptr, nullptr);  // reset shift state from an earlier call
    out.reserve(out.size() + bytes.size() + bytes.size() / 2);
    char* in = const_cast<char*>(bytes.data());
    std::size_t in_left = bytes.size();
    char buffer[8192];
    while (in_left > 0) {
        char* o = buffer;
        std::size_t o_left = sizeof buffer;
        std::size_t rc = iconv(cd, &in, &in_left, &o, &o_left);
        int err = errno;
        out.append(buffer, static_cast<std::size_t>(o - buffer));
        if (rc != static_cast<std::size_t>(-1) || err == E2BIG) continue;
        append_replacement(out);
        ++bad;
        if (err == EILSEQ) {
            ++in;
            --in_left;
        } else {
            break;  // EINVAL: an incomplete sequence at the end
        }
    }
    char* o = buffer;
    std::size_t o_left = sizeof buffer;
    iconv(cd, nullptr, nullptr, &o, &o_left);
    out.append(buffer, static_cast<std::size_t>(o - buffer));
}

void convert_icu(UConverter* conv, std::string_view bytes, std::string& out, std::size_t& bad) {
    ucnv_reset(conv);
    const char* src = bytes.data();
    const char* src_end = bytes.data() + bytes.size();
    UChar buffer[4096];
    std::u16string utf16;
    while (true) {
        UChar* target = buffer;
        const char* before = src;
        UErrorCode status = U_ZERO_ERROR;
        ucnv_toUnicode(conv, &target, buffer + 4096, &src, src_end, nullptr, true, &status);
        utf16.append(buffer, static_cast<std::size_t>(target - buffer));
        if (status == U_BUFFER_OVERFLOW_ERROR) continue;
        if (U_FAILURE(status)) {
            // ICU has consumed the offending bytes: mark them and go on.
            utf16.push_back(0xFFFD);
            ++bad;
            ucnv_reset(conv);
            if (src == before && target == buffer) ++src;  // never spin on one byte
            if (src >= src_end) break;
            continue;
        }
        break;
    }
    // UTF-16 → UTF-8 by hand: ICU's converter API would need another handle.
    for (std::size_t i = 0; i < utf16.size(); ++i) {
        char32_t c = utf16[i];
        if (c >= 0xD800 && c <= 0xDBFF && i + 1 < utf16.size() && utf16[i + 1] >= 0xDC00 &&
            utf16[i + 1] <= 0xDFFF) {
            c = 0x10000 + ((c - 0xD800) << 10) + (utf16[i + 1] - 0xDC00);
            ++i;
        }
        core::append_utf8(out, c);  // a lone surrogate becomes U+FFFD
    }
}

}  // namespace

bool convert_to_utf8(std::string_view bytes, const std::string& charset, std::string& out,
                     std::size_t& bad) {
    if (IconvHandle* h = iconv_for(charset)) {
        convert_iconv(h->cd, bytes, out, bad);
        return true;
    }
    if (IcuHandle* h = icu_for(charset)) {
        convert_icu(h->conv, bytes, out, bad);
        return true;
    }
    return false;
}

}  // namespace cvd::mail::detail
