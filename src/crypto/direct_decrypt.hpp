#pragma once
// Decryption without a gpg process (internal). gpgme_op_decrypt_verify starts gpg for every
// message (about 25 ms of CPU, and a fork of the whole daemon); here the message is read in
// process (message_reader.hpp), gpg-agent does the one private-key step over the kept
// connection, and a signature is checked with the signer's key from the keyring's cached
// export.
//
// Only the plain good case is answered here: a message to one of our cv25519 subkeys, SEIPD
// with a valid MDC, unsigned or signed by the primary key of a usable key we hold, and the
// signature verifying. Anything else (another structure or algorithm, damage, an unknown,
// expired or revoked signer, a signature that does not verify) is an error value naming why,
// and Keyring::decrypt leaves the message to gpg, which gives the verdict and its wording.

#include <gpgme.h>

#include <string_view>

#include "cvdbot/core/result.hpp"
#include "cvdbot/crypto/keyring.hpp"
#include "cvdbot/crypto/types.hpp"

namespace cvd::crypto::detail {

// Larger messages are left to gpg, which streams them: here the ciphertext, the decrypted
// packets and the literal data are each held whole (a few copies of 8 MiB stay well inside the
// daemon's memory budget), and literal data expanding beyond 16 MiB is left to gpg as well.
constexpr std::size_t max_direct_ciphertext = std::size_t{8} << 20;
constexpr std::size_t max_direct_plaintext = std::size_t{16} << 20;

// `ctx` is a context of the keyring's (for the secret key handle, cached after first use).
core::Result<Decryption> decrypt_direct(const Keyring& keyring, gpgme_ctx_t ctx,
                                        std::string_view ciphertext);

}  // namespace cvd::crypto::detail
