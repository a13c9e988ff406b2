// Detached signatures made through gpg-agent, without a gpg process: gpg itself verifies them
// and, for the same data and second, makes the very same bytes (Ed25519 and RSA PKCS#1 v1.5
// signatures are deterministic). The gpg runs GPGME starts are counted: a signature that
// silently fell back to gpg would pass every other check.

#include <catch2/catch.hpp>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <thread>

#include "cvdbot/crypto/armor.hpp"
#include "cvdbot/crypto/keyring.hpp"
#include "gpg_runs.hpp"
#include "pgp_world.hpp"
#include "signature_packet.hpp"

using namespace cvd::crypto;
using cvd::test::GpgHome;
using cvd::test::GpgRunCounter;
using cvd::test::RunResult;

namespace {

// gpg --verify of an armored detached signature over `data`, by a reader holding the key.
RunResult verify(const GpgHome& reader, const std::string& armored, std::string_view data) {
    const std::string dir = cvd::test::make_temp_dir("ver");
    std::ofstream(dir + "/sig.asc", std::ios::binary) << armored;
    std::ofstream(dir + "/data", std::ios::binary) << data;
    auto r = reader.gpg({"--status-fd", "2", "--verify", dir + "/sig.asc", dir + "/data"});
    std::filesystem::remove_all(dir);
    return r;
}

// The creation time in gpg's "VALIDSIG <fpr> <date> <time> ..." line for `fpr`, or -1.
std::int64_t validsig_time(const std::string& status, const std::string& fpr) {
    const std::string tag = "[GNUPG:] VALIDSIG " + fpr + " ";
    const auto at = status.find(tag);
    if (at == std::string::npos) return -1;
    const auto time_at = status.find(' ', at + tag.size());
    if (time_at == std::string::npos) return -1;
    return std::stoll(status.substr(time_at + 1));
}

// The creation time of a good signature by `fpr` as the reader's gpg reports it.
std::int64_t verified_time(const GpgHome& reader, const std::string& armored, std::string_view data,
                           const std::string& fpr) {
    auto r = verify(reader, armored, data);
    INFO(r.err);
    CHECK(r.status == 0);
    CHECK(r.err.find("[GNUPG:] GOODSIG ") != std::string::npos);
    const std::int64_t created = validsig_time(r.err, fpr);
    CHECK(created > 0);
    return created;
}

// A bot home whose key the keyring made, gpg runs counted from the keyring's start, and a
// reader holding the bot's public key.
struct SigningHome {
    explicit SigningHome(const std::string& tag, const std::string& passphrase_file = {})
        : home(tag),
          keyring(cvd::test::open_keyring(home.path(), passphrase_file)),
          reader(tag + "r") {
        auto made = keyring.ensure_bot_key();
        REQUIRE(made.ok());
        key = *made;
        reader.import(*keyring.export_public_key(key.fingerprint));
    }
    GpgHome home;
    GpgRunCounter counter;  // before the keyring: its contexts run the counting program
    Keyring keyring;
    GpgHome reader;
    KeyInfo key;
};

// What gpg makes for the same data, key and second (its clock frozen there).
std::string gpg_signature_at(const GpgHome& home, const std::string& fpr, std::int64_t created,
                             std::string_view data, bool armored = true) {
    // gpg ignores a faked time equal to the current second and runs its clock normally (seen
    // failing under the sanitizers, where the second ticked during gpg's run).
    while (static_cast<std::int64_t>(std::time(nullptr)) == created)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    std::vector<std::string> args{"--faked-system-time", std::to_string(created) + "!",
                                  "--local-user", fpr, "--detach-sign"};
    if (armored) args.insert(args.begin(), "--armor");
    return home.gpg_ok(args, data);
}

struct Sample {
    const char* name;
    std::string data;
};

std::vector<Sample> samples() {
    std::string binary;
    for (int round = 0; round < 300; ++round)
        for (int b = 0; b < 256; ++b) binary.push_back(static_cast<char>((b * 7 + round) & 0xFF));
    return {{"CRLF text", "Content-Type: text/plain; charset=utf-8\r\n\r\nsigned body\r\n"},
            {"LF text", "line one\nline two\n"},
            {"empty", ""},
            {"binary", binary}};
}

std::string from_hex(std::string_view hex) {
    std::string out;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
        out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
    return out;
}

}  // namespace

TEST_CASE("agent signatures: no gpg run, verified by gpg, byte for byte what gpg makes") {
    SigningHome s("agsig");
    REQUIRE(s.keyring.sign_detached("warm-up").ok());
    const std::size_t before = s.counter.runs().size();

    for (const auto& sample : samples()) {
        INFO(sample.name);
        const auto earliest = static_cast<std::int64_t>(std::time(nullptr));
        auto sig = s.keyring.sign_detached(sample.data);
        const auto latest = static_cast<std::int64_t>(std::time(nullptr));
        REQUIRE(sig.ok());
        INFO("gpg runs:\n" << s.counter.listing());
        CHECK(s.counter.runs().size() == before);
        CHECK(sig->micalg == "pgp-sha256");

        const std::int64_t created =
            verified_time(s.reader, sig->armored, sample.data, s.key.fingerprint);
        CHECK(created >= earliest);
        CHECK(created <= latest);
        CHECK(verify(s.reader, sig->armored, sample.data + "x").status != 0);
        CHECK(gpg_signature_at(s.home, s.key.fingerprint, created, sample.data) == sig->armored);
    }
}

TEST_CASE("the packet builder rebuilds gpg's own signature packet from its parts") {
    GpgHome home("agvec");
    const std::string fpr = home.generate("vector <vector@example.test>");
    const std::string data = "a known vector\r\n";
    // A second after the key was made (gpg refuses keys from its future), not now.
    const std::int64_t created = static_cast<std::int64_t>(std::time(nullptr)) + 3600;
    const std::string packet = gpg_signature_at(home, fpr, created, data, false);

    // gpg's packet read by hand (RFC 4880 §4.2, §5.2.3): old-format header, hashed part,
    // unhashed subpackets, the digest's left 16 bits, MPIs r and s.
    auto byte = [&](std::size_t i) { return static_cast<unsigned char>(packet.at(i)); };
    REQUIRE(byte(0) == 0x88);
    REQUIRE(byte(1) + 2u == packet.size());
    const std::size_t hashed_len = 6u + (byte(6) << 8 | byte(7));
    const std::string gpg_hashed = packet.substr(2, hashed_len);
    std::size_t pos = 2 + hashed_len;
    pos += 2 + (byte(pos) << 8 | byte(pos + 1));  // unhashed subpackets
    const std::string gpg_left16 = packet.substr(pos, 2);
    pos += 2;
    std::vector<std::string> values;
    while (pos < packet.size()) {
        const std::size_t bits = byte(pos) << 8 | byte(pos + 1);
        values.push_back(packet.substr(pos + 2, (bits + 7) / 8));
        pos += 2 + (bits + 7) / 8;
    }
    REQUIRE(values.size() == 2);

    detail::SignatureParams params;
    params.issuer_fingerprint = from_hex(fpr);
    params.pubkey_algo = detail::PubkeyAlgo::eddsa;
    params.hash_algo = detail::HashAlgo::sha256;
    params.created = static_cast<std::uint32_t>(created);
    const std::string hashed = detail::hashed_part(params);
    CHECK(hashed == gpg_hashed);
    auto digest = detail::signature_digest(params.hash_algo, data, hashed);
    REQUIRE(digest.has_value());
    CHECK(digest->size() == 32);
    CHECK(digest->substr(0, 2) == gpg_left16);
    CHECK(detail::signature_packet(hashed, params.issuer_fingerprint, *digest, values) == packet);
    // And its armor is gpg's.
    CHECK(armor(PgpKind::signature, packet) == gpg_signature_at(home, fpr, created, data));
}

TEST_CASE("MPIs, the agent's S-expression and the armor checksum") {
    using detail::mpi;
    CHECK(mpi(std::string("\x00\x00\x01\x02", 4)) == std::string("\x00\x09\x01\x02", 4));
    CHECK(mpi("\x80") == std::string("\x00\x08\x80", 3));
    CHECK(mpi("\x7F\xFF") == std::string("\x00\x0F\x7F\xFF", 4));
    CHECK(mpi(std::string(3, '\0')) == std::string("\x00\x00", 2));

    const std::string r(32, 'r'), s(32, 's');
    const std::string eddsa = "(7:sig-val(5:eddsa(1:r32:" + r + ")(1:s32:" + s + ")))";
    auto values = detail::signature_values(eddsa, detail::PubkeyAlgo::eddsa);
    REQUIRE(values.has_value());
    CHECK(*values == std::vector<std::string>{r, s});
    CHECK_FALSE(detail::signature_values(eddsa, detail::PubkeyAlgo::rsa));
    auto rsa = detail::signature_values("(7:sig-val(3:rsa(1:s3:abc)))", detail::PubkeyAlgo::rsa);
    REQUIRE(rsa.has_value());
    CHECK(*rsa == std::vector<std::string>{"abc"});
    for (const char* bad : {"", "(", "(7:sig-val", "(7:sig-val(5:eddsa(1:r32:abc)(1:s1:x)))",
                            "(7:sig-val(5:eddsa(1:r1:x)))", "(7:sig-vax(5:eddsa(1:r1:x)(1:s1:y)))",
                            "(7:sig-val(5:eddsa(1:r1:x)(1:s1:y)))trailing",
                            "(7:sig-val(5:eddsa(1:r99999999999:x)(1:s1:y)))"})
        CHECK_FALSE(detail::signature_values(bad, detail::PubkeyAlgo::eddsa));

    CHECK(crc24("") == 0xB704CE);
}

TEST_CASE("a passphrase-protected key: the agent's loopback inquiry is answered") {
    const std::string dir = cvd::test::make_temp_dir("agpwf");
    std::ofstream(dir + "/right") << "correct horse battery staple\n";
    std::ofstream(dir + "/wrong") << "Tr0ub4dor&3\n";
    SigningHome s("agpw", dir + "/right");
    s.home.kill_agent();  // forget the cached passphrase: the agent must ask for it

    auto sig = s.keyring.sign_detached("protected\r\n");
    REQUIRE(sig.ok());
    INFO("gpg runs:\n" << s.counter.listing());
    CHECK(s.counter.signing_runs() == 0);
    verified_time(s.reader, sig->armored, "protected\r\n", s.key.fingerprint);

    // A wrong passphrase: refused by the agent, then by gpg, which says what to fix.
    s.home.kill_agent();
    auto wrong = cvd::test::open_keyring(s.home.path(), dir + "/wrong");
    auto failed = wrong.sign_detached("x");
    REQUIRE_FALSE(failed.ok());
    CHECK(failed.error().kind == cvd::core::ErrorKind::config);
    CHECK(s.counter.signing_runs() == 1);
    std::filesystem::remove_all(dir);
}

TEST_CASE("after a rollover the new key signs through the agent") {
    SigningHome s("agroll");
    REQUIRE(s.keyring.sign_detached("before").ok());
    auto second = s.keyring.generate_bot_key();
    REQUIRE(second.ok());
    auto sig = s.keyring.sign_detached("after");
    REQUIRE(sig.ok());
    INFO("gpg runs:\n" << s.counter.listing());
    CHECK(s.counter.signing_runs() == 0);
    s.reader.import(*s.keyring.export_public_key(second->fingerprint));
    verified_time(s.reader, sig->armored, "after", second->fingerprint);
}

TEST_CASE("the agent killed between signatures: the next one reconnects") {
    SigningHome s("agkill");
    for (int i = 0; i < 3; ++i) {
        const std::string data = "signature " + std::to_string(i) + "\r\n";
        auto sig = s.keyring.sign_detached(data);
        REQUIRE(sig.ok());
        verified_time(s.reader, sig->armored, data, s.key.fingerprint);
        s.home.kill_agent();
    }
    INFO("gpg runs:\n" << s.counter.listing());
    CHECK(s.counter.signing_runs() == 0);
}

TEST_CASE("an RSA bot key signs through the agent too") {
    GpgHome home("agrsa");
    home.gpg_ok({"--quick-gen-key", "rsa <rsa@example.test>", "rsa2048", "sign,cert", "never"});
    const std::string listing = home.gpg_ok({"--with-colons", "--list-keys"});
    const auto fpr_at = listing.find("\nfpr:::::::::") + 13;
    const std::string fpr = listing.substr(fpr_at, 40);
    home.gpg_ok({"--quick-add-key", fpr, "rsa2048", "encr", "never"});
    GpgRunCounter counter;
    auto keyring = cvd::test::open_keyring(home.path());
    auto sig = keyring.sign_detached("rsa\r\n");
    REQUIRE(sig.ok());
    INFO("gpg runs:\n" << counter.listing());
    CHECK(counter.signing_runs() == 0);
    CHECK(sig->micalg == "pgp-sha512");
    GpgHome reader("agrsar");
    reader.import(home.export_public(fpr));
    const std::int64_t created = verified_time(reader, sig->armored, "rsa\r\n", fpr);
    CHECK(gpg_signature_at(home, fpr, created, "rsa\r\n") == sig->armored);
}

TEST_CASE("a key with a signing subkey is left to gpg, which chooses the subkey") {
    GpgHome home("agsub");
    const std::string fpr = home.generate("sub <sub@example.test>");
    home.gpg_ok({"--quick-add-key", fpr, "ed25519", "sign", "never"});
    GpgRunCounter counter;
    auto keyring = cvd::test::open_keyring(home.path());
    auto sig = keyring.sign_detached("subkey\r\n");
    REQUIRE(sig.ok());
    CHECK(counter.signing_runs() == 1);
    GpgHome reader("agsubr");
    reader.import(home.export_public(fpr));
    auto r = verify(reader, sig->armored, "subkey\r\n");
    INFO(r.err);
    CHECK(r.status == 0);
    // VALIDSIG names the signing subkey, and the primary key last.
    CHECK(r.err.find("[GNUPG:] VALIDSIG " + fpr) == std::string::npos);
    CHECK(r.err.find(" " + fpr + "\n") != std::string::npos);
}
