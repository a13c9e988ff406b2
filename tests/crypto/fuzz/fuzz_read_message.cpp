// libFuzzer target: the in-process OpenPGP readers (message_reader.hpp, key_packets.hpp) take
// any bytes without a crash, a sanitizer report or a leak. The same bytes are read as a whole
// message, as the packets inside the encryption, as a signature and as a key export, and are
// decrypted under a fixed session key (the MDC check then refuses them).

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "key_packets.hpp"
#include "message_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace cvd::crypto::detail;
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    if (auto m = read_encrypted_message(bytes); m.ok()) {
        (void)open_protected_data({cipher_aes128, std::string(16, 'k')}, m->encrypted);
        for (const auto& k : m->session_keys) {
            KeyMaterial key;
            key.algo = pk_ecdh;
            key.curve_oid = std::string(cv25519_oid);
            key.fingerprint = std::string(20, 'f');
            key.kdf_hash = 8;
            key.kdf_cipher = cipher_aes128;
            (void)ecdh_session_key(key, k.ephemeral, k.wrapped);
        }
    }
    if (auto c = read_literal_content(bytes, 1 << 20); c.ok() && c->signature) {
        KeyMaterial key;
        key.algo = c->signature->pubkey_algo;
        key.curve_oid = std::string(ed25519_oid);
        key.point = "\x40" + std::string(32, 'p');
        key.rsa_n = std::string(256, 'n');
        key.rsa_e = "\x01\x00\x01";
        (void)signature_verifies(*c->signature, c->data, key);
    }
    (void)read_signature(bytes);
    (void)parse_public_key_block(bytes);
    return 0;
}
