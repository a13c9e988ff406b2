// Parses a corpus many times with cvdbot's parser and with GMime 3 in the same run and prints
// MB/s, messages/s and the ratio. GMime is measured twice: parsing only (it decodes lazily),
// and parsing plus the decoding cvdbot always does (subject and addresses, every text part to
// UTF-8, every other part transfer-decoded), which is the fair comparison.
//
//   mail_parse_bench [--seconds N] [--exclude-malformed] [--synthetic] [DIR_OR_FILE...]
// Default input: tests/data/mail; --synthetic adds three large generated messages (4 MB base64
// attachment, 2 MB quoted-printable text, 2 MB ISO-2022-JP text). Output: one line per parser.

#include <mimetic/mimetic.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "cvdbot/mail/parser.hpp"

#ifdef CVDBOT_BENCH_GMIME
#include <gmime/gmime.h>
#endif

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

std::vector<std::string> load(const std::vector<std::string>& inputs, bool exclude_malformed) {
    std::vector<fs::path> files;
    for (const auto& in : inputs) {
        if (fs::is_directory(in)) {
            for (const auto& e : fs::directory_iterator(in))
                if (e.is_regular_file() && e.path().extension() == ".eml")
                    files.push_back(e.path());
        } else {
            files.emplace_back(in);
        }
    }
    std::sort(files.begin(), files.end());
    std::vector<std::string> out;
    for (const auto& f : files) {
        if (exclude_malformed && f.filename().string().rfind("malformed_", 0) == 0) continue;
        std::ifstream s(f, std::ios::binary);
        std::ostringstream b;
        b << s.rdbuf();
        out.push_back(b.str());
    }
    return out;
}

struct Result {
    double seconds = 0;
    std::size_t bytes = 0;
    std::size_t messages = 0;
};

Result run(const std::vector<std::string>& corpus, double min_seconds,
           const std::function<void(const std::string&)>& parse) {
    for (const auto& m : corpus) parse(m);  // warm-up: caches, converters
    Result r;
    auto start = Clock::now();
    do {
        for (const auto& m : corpus) {
            parse(m);
            r.bytes += m.size();
            ++r.messages;
        }
        r.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    } while (r.seconds < min_seconds);
    return r;
}

void print(const char* name, const Result& r, const Result* baseline) {
    double mbs = r.bytes / r.seconds / 1e6;
    double mps = r.messages / r.seconds;
    std::printf("%-34s %9.1f MB/s %11.0f msg/s", name, mbs, mps);
    if (baseline)
        std::printf("   cvdbot/this = %.2f",
                    (baseline->bytes / baseline->seconds) / (r.bytes / r.seconds));
    std::printf("\n");
}

#ifdef CVDBOT_BENCH_GMIME
GMimeMessage* gmime_parse(const std::string& raw) {
    GMimeStream* stream = g_mime_stream_mem_new_with_buffer(raw.data(), raw.size());
    GMimeParser* parser = g_mime_parser_new_with_stream(stream);
    GMimeMessage* msg = g_mime_parser_construct_message(parser, nullptr);
    g_object_unref(parser);
    g_object_unref(stream);
    return msg;
}

void gmime_decode_part(GMimeObject*, GMimeObject* part, gpointer sink) {
    if (GMIME_IS_TEXT_PART(part)) {
        char* text = g_mime_text_part_get_text(GMIME_TEXT_PART(part));
        *static_cast<std::size_t*>(sink) += text ? std::strlen(text) : 0;
        g_free(text);
    } else if (GMIME_IS_PART(part)) {
        GMimeDataWrapper* content = g_mime_part_get_content(GMIME_PART(part));
        if (content) {
            GMimeStream* out = g_mime_stream_mem_new();
            g_mime_data_wrapper_write_to_stream(content, out);
            *static_cast<std::size_t*>(sink) += g_mime_stream_length(out);
            g_object_unref(out);
        }
    } else if (GMIME_IS_MESSAGE_PART(part)) {
        GMimeMessage* inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(part));
        if (inner) g_mime_message_foreach(inner, gmime_decode_part, sink);
    }
}
#endif

// Large messages, generated so the repository stays small: throughput rather than per-message
// overhead.
std::vector<std::string> synthetic() {
    std::vector<std::string> out;
    std::string b64;
    const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (std::size_t i = 0; i < 4u << 20; ++i) {
        b64.push_back(alphabet[(i * 7919u) % 64]);
        if (i % 76 == 75) b64 += "\r\n";
    }
    out.push_back(
        "From: a@example.org\r\nTo: b@example.org\r\nSubject: big attachment\r\n"
        "Message-ID: <big@example.org>\r\nMIME-Version: 1.0\r\n"
        "Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\nSee attachment.\r\n--b\r\n"
        "Content-Type: application/octet-stream; name=\"x.bin\"\r\n"
        "Content-Transfer-Encoding: base64\r\n\r\n" +
        b64 + "\r\n--b--\r\n");
    std::string qp;
    while (qp.size() < (2u << 20))
        qp += "Caf=C3=A9 au lait is a drink; this line is long enough to be soft=\r\n broken.\r\n";
    out.push_back(
        "From: a@example.org\r\nSubject: long qp\r\nMIME-Version: 1.0\r\n"
        "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: "
        "quoted-printable\r\n\r\n" +
        qp);
    std::string jis;
    while (jis.size() < (2u << 20)) jis += "\x1b$BF|K\\8l$N%F%-%9%H$G$9!#\x1b(B\r\n";
    out.push_back(
        "From: a@example.org\r\nSubject: =?ISO-2022-JP?B?GyRCRnxLXDhsGyhC?=\r\nMIME-Version: "
        "1.0\r\n"
        "Content-Type: text/plain; charset=ISO-2022-JP\r\n\r\n" +
        jis);
    return out;
}

}  // namespace

int main(int argc, char** argv) {
    double seconds = 3.0;
    bool exclude_malformed = false;
    bool use_synthetic = false;
    std::vector<std::string> inputs;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--seconds" && i + 1 < argc)
            seconds = std::stod(argv[++i]);
        else if (a == "--exclude-malformed")
            exclude_malformed = true;
        else if (a == "--synthetic")
            use_synthetic = true;
        else
            inputs.push_back(a);
    }
    if (inputs.empty() && !use_synthetic)
        inputs.push_back(std::string(CVDBOT_SOURCE_DIR) + "/tests/data/mail");
    auto corpus = load(inputs, exclude_malformed);
    if (use_synthetic)
        for (auto& m : synthetic()) corpus.push_back(std::move(m));
    std::size_t total = 0;
    for (const auto& m : corpus) total += m.size();
    std::printf("corpus: %zu messages, %zu bytes; at least %.1f s per parser\n", corpus.size(),
                total, seconds);

    std::size_t sink = 0;
    Result ours = run(corpus, seconds, [&](const std::string& raw) {
        cvd::mail::Message m = cvd::mail::parse_message(raw);
        sink += m.text_body.size() + m.attachments.size();
    });
    print("cvdbot parse_message (full)", ours, nullptr);

#ifdef CVDBOT_BENCH_GMIME
    g_mime_init();
    Result gmime_full = run(corpus, seconds, [&](const std::string& raw) {
        GMimeMessage* msg = gmime_parse(raw);
        if (!msg) return;
        const char* subject = g_mime_message_get_subject(msg);
        sink += subject ? std::strlen(subject) : 0;
        for (InternetAddressList* list : {g_mime_message_get_from(msg), g_mime_message_get_to(msg),
                                          g_mime_message_get_cc(msg)}) {
            char* s = internet_address_list_to_string(list, nullptr, FALSE);
            sink += s ? std::strlen(s) : 0;
            g_free(s);
        }
        g_mime_message_foreach(msg, gmime_decode_part, &sink);
        g_object_unref(msg);
    });
    print("GMime 3 parse + decode", gmime_full, &ours);
    Result gmime_parse_only = run(corpus, seconds, [&](const std::string& raw) {
        GMimeMessage* msg = gmime_parse(raw);
        if (msg) g_object_unref(msg);
    });
    print("GMime 3 parse only (lazy decode)", gmime_parse_only, &ours);
    g_mime_shutdown();
#else
    std::printf("GMime 3 not found at build time (install libgmime-3.0-dev)\n");
#endif

    // mimetic's MimeEntity only on inputs it survives: it recurses without bound.
    Result mimetic_parse = run(corpus, seconds, [&](const std::string& raw) {
        mimetic::MimeEntity e(raw.begin(), raw.end());
        sink += e.body().size();
    });
    print("mimetic MimeEntity parse only", mimetic_parse, &ours);
    std::printf("(checksum %zu)\n", sink);
    return 0;
}
