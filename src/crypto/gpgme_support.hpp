#pragma once
// GPGME plumbing shared by the crypto sources (internal): owning handles, contexts set up
// for the bot's home directory, and GPGME results turned into cvdbot's plain types.

#include <gpgme.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "context_pool.hpp"
#include "cvdbot/core/result.hpp"
#include "cvdbot/crypto/keyring.hpp"
#include "cvdbot/crypto/types.hpp"
#include "key_cache.hpp"

namespace cvd::crypto::detail {

struct DataDeleter {
    void operator()(gpgme_data_t data) const { gpgme_data_release(data); }
};
struct KeyDeleter {
    void operator()(gpgme_key_t key) const { gpgme_key_unref(key); }
};
using Data = std::unique_ptr<std::remove_pointer_t<gpgme_data_t>, DataDeleter>;
using Key = std::unique_ptr<std::remove_pointer_t<gpgme_key_t>, KeyDeleter>;

// "GPGME: <source>: <description>" for logs and error messages.
std::string describe_gpgme_error(gpgme_error_t err);

// An Error for a failure on our side, with what we were doing.
core::Error engine_error(std::string_view doing, gpgme_error_t err);

// A bound passphrase callback reads this; it outlives the context that uses it.
struct PassphraseHook {
    const std::string* passphrase = nullptr;
    bool generating = false;  // a new key is being protected: answer any request
    bool asked = false;       // gpg asked for our key's passphrase
    bool symmetric = false;   // gpg asked for a message password (symmetric encryption)
};

}  // namespace cvd::crypto::detail

namespace cvd::crypto {

// Reaches Keyring's private fields for the sources in src/crypto.
struct ContextAccess {
    using KeyCache = detail::KeyCache;
    // An OpenPGP context on the keyring's home directory, from its pool: offline (no
    // dirmngr, no key fetching), loopback pinentry answered by `hook`, armored output, local
    // key listing, no signers.
    static core::Result<detail::Lease> make(const Keyring& keyring, detail::PassphraseHook* hook);
    static KeyCache& cache(const Keyring& keyring) { return *keyring.cache_; }
    static detail::AgentSigner& agent(const Keyring& keyring) { return *keyring.agent_; }
    static const std::string& passphrase(const Keyring& keyring) { return keyring.passphrase_; }
    // The handle of our secret key `fingerprint` (a primary key's), kept in the cache: looking
    // a secret key up is a gpg run of its own.
    static core::Result<KeyCache::SharedKey> secret_key(const Keyring& keyring, gpgme_ctx_t ctx,
                                                        const std::string& fingerprint);
};

}  // namespace cvd::crypto

namespace cvd::crypto::detail {

// Input data over a view (GPGME does not copy it: `bytes` must outlive the Data).
core::Result<Data> data_over(std::string_view bytes);
// An empty output buffer.
core::Result<Data> data_buffer();
// Everything written to an output buffer.
std::string take(gpgme_data_t data);

// Looks a key up by fingerprint or key id; secret = only if we hold its secret key.
core::Result<Key> get_key(gpgme_ctx_t ctx, std::string_view fingerprint, bool secret);

KeyInfo key_info(gpgme_key_t key);

// The signatures of the last verify (or decrypt-and-verify) on ctx. Signing subkeys are
// mapped to their primary key through the keyring's cached listing.
std::vector<Signature> collect_signatures(const Keyring& keyring, gpgme_ctx_t ctx);

// "\"text\"" for messages. (Also sidesteps a GCC 12 -Wrestrict false positive on
// "\"" + std::string(...) at -O3.)
std::string quoted(std::string_view text);

// Lower-case addr-spec from a user id's email field, or empty.
std::string uid_address(const char* email);

}  // namespace cvd::crypto::detail
