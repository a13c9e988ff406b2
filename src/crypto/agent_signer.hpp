#pragma once
// Detached signatures made through gpg-agent directly (internal), and the private-key step of
// decrypting a message (ecdh_shared_point). gpgme_op_sign starts a gpg
// process for every signature (15–20 ms); gpg itself only hashes, asks the agent to sign the
// digest and writes the packet. Here the same happens in-process: one Assuan connection to
// the keyring's agent, kept open and shared (a mutex; reconnected once when the agent went
// away), and the packet built by signature_packet.hpp. gpg makes the same bytes for the same
// data and second (Ed25519 signatures are deterministic).
//
// Whatever this path cannot do (another key layout, a smartcard, a refused passphrase, no
// agent) is an error value; Keyring::sign_detached then leaves the signature to gpg, which
// also gives the error a person can act on.

#include <gpgme.h>

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "cvdbot/core/result.hpp"
#include "cvdbot/crypto/types.hpp"
#include "signature_packet.hpp"

namespace cvd::crypto::detail {

// A binary signature packet and what a one-pass signature packet before it must name.
struct SignaturePacket {
    std::string packet;
    PubkeyAlgo pubkey_algo = PubkeyAlgo::eddsa;
    HashAlgo hash_algo = HashAlgo::sha256;
    std::string issuer_fingerprint;  // 20 bytes
};

class AgentSigner {
  public:
    explicit AgentSigner(std::string gnupg_home) : home_(std::move(gnupg_home)) {}
    ~AgentSigner();
    AgentSigner(const AgentSigner&) = delete;
    AgentSigner& operator=(const AgentSigner&) = delete;

    // A detached signature over `data` by `key` (a secret key handle from GPGME) made at
    // `created` (seconds since 1970). Only a key whose primary key is the one signing key
    // (EdDSA or RSA) is handled: gpg would choose a signing subkey. `passphrase` answers the
    // agent's loopback inquiry (empty: none configured, the inquiry is refused).
    core::Result<DetachedSignature> sign(gpgme_key_t key, std::string_view data,
                                         const std::string& passphrase, std::int64_t created);
    // The same signature as a binary packet (for a signed and encrypted message).
    core::Result<SignaturePacket> sign_packet(gpgme_key_t key, std::string_view data,
                                              const std::string& passphrase, std::int64_t created);

    // The ECDH shared point for an encrypted session key to our subkey `keygrip`
    // (PKDECRYPT): `ephemeral` is the sender's point, `wrapped` the wrapped key, both as the
    // packet has them. What to do with the point is message_reader.hpp's.
    core::Result<std::string> ecdh_shared_point(const std::string& keygrip,
                                                std::string_view ephemeral,
                                                std::string_view wrapped,
                                                const std::string& passphrase);

  private:
    // The data the agent sends back for `commands`, run in order on the kept connection with
    // `keygrip` set (SIGKEY, an alias of SETKEY, unless this connection has it already: the
    // agent keeps it until RESET); reconnects once. Locked.
    core::Result<std::string> run(const std::string& keygrip,
                                  const std::vector<std::string>& commands,
                                  const std::string& passphrase, const std::string* ciphertext,
                                  std::string_view doing);
    // The agent's answer to PKSIGN (a canonical S-expression).
    core::Result<std::string> pksign(const std::string& keygrip, int hash_algo,
                                     std::string_view digest, const std::string& passphrase);
    core::Status connect();
    void disconnect();
    std::uint64_t socket_inode() const;  // 0 when the socket file is gone

    std::string home_;
    std::mutex mutex_;
    std::string socket_;  // the agent's socket, asked of gpgconf once
    gpgme_ctx_t ctx_ = nullptr;
    // The socket file ctx_ was connected through: an agent that exited removed it, and a new
    // one made another. Reading from the dead connection crashed inside GPGME 1.18 (about
    // one time in ten), so a changed socket means a new connection before any command.
    std::uint64_t socket_inode_ = 0;
    std::string keygrip_set_;  // on ctx_'s connection; empty: none, or not known
};

}  // namespace cvd::crypto::detail
