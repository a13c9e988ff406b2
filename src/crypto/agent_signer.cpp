// The Assuan conversation is gpg's own for a signature (see gnupg's agent_pksign):
// SIGKEY <keygrip>, SETHASH <algo> <hex digest>, PKSIGN, but SIGKEY only when the connection
// does not have that key set yet; with loopback pinentry set once per connection so that a
// passphrase is asked of us (INQUIRE PASSPHRASE), never of a pinentry.

#include "agent_signer.hpp"

#include <sys/stat.h>

#include <cstring>
#include <vector>

#include "cvdbot/core/hash.hpp"
#include "cvdbot/core/text.hpp"
#include "cvdbot/crypto/armor.hpp"
#include "gpgme_support.hpp"
#include "message_packets.hpp"
#include "signature_packet.hpp"

namespace cvd::crypto::detail {
namespace {

using core::ErrorKind;
using core::make_error;

core::Error agent_error(std::string_view doing, gpgme_error_t err) {
    return make_error(ErrorKind::crypto,
                      std::string(doing) + " failed (" + describe_gpgme_error(err) + ")");
}

struct ContextDeleter {
    void operator()(gpgme_ctx_t ctx) const { gpgme_release(ctx); }
};
using Context = std::unique_ptr<std::remove_pointer_t<gpgme_ctx_t>, ContextDeleter>;

// The output of gpgconf with `args`. GPGME runs it (its spawn protocol), which keeps the
// fork-and-exec details of a threaded process in one place.
core::Result<std::string> gpgconf(const std::vector<std::string>& args) {
    const char* program = gpgme_get_dirinfo("gpgconf-name");
    if (program == nullptr) return make_error(ErrorKind::config, "gpgconf was not found");
    gpgme_ctx_t raw = nullptr;
    if (auto err = gpgme_new(&raw)) return agent_error("running gpgconf", err);
    Context ctx(raw);
    if (auto err = gpgme_set_protocol(raw, GPGME_PROTOCOL_SPAWN))
        return agent_error("running gpgconf", err);
    std::vector<const char*> argv{"gpgconf"};
    for (const auto& a : args) argv.push_back(a.c_str());
    argv.push_back(nullptr);
    auto out = data_buffer();
    if (!out) return out.error();
    if (auto err = gpgme_op_spawn(raw, program, argv.data(), nullptr, out->get(), nullptr, 0))
        return agent_error("running gpgconf", err);
    return take(out->get());
}

// gpgconf writes ':' and '%' in paths percent-escaped.
std::string unescape(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%' && i + 2 < text.size())
            if (auto byte = core::from_hex(text.substr(i + 1, 2))) {
                out += *byte;
                i += 2;
                continue;
            }
        out.push_back(text[i]);
    }
    return out;
}

// One command's data lines and inquiries.
struct Exchange {
    std::string data;
    const std::string* passphrase = nullptr;
    int passphrase_asked = 0;
    const std::string* ciphertext = nullptr;  // PKDECRYPT's INQUIRE CIPHERTEXT
};

gpgme_error_t on_data(void* opaque, const void* data, std::size_t length) {
    if (data != nullptr)
        static_cast<Exchange*>(opaque)->data.append(static_cast<const char*>(data), length);
    return 0;
}

gpgme_error_t on_inquire(void* opaque, const char* name, const char* args, gpgme_data_t* r_data) {
    (void)args;
    if (name == nullptr) {  // GPGME is done with the data we gave it
        if (r_data != nullptr && *r_data != nullptr) gpgme_data_release(*r_data);
        return 0;
    }
    auto* x = static_cast<Exchange*>(opaque);
    if (std::strcmp(name, "PINENTRY_LAUNCHED") == 0) return 0;
    if (std::strcmp(name, "CIPHERTEXT") == 0 && x->ciphertext != nullptr) {
        if (gpgme_data_new_from_mem(r_data, x->ciphertext->data(), x->ciphertext->size(), 1) != 0)
            return gpg_error(GPG_ERR_ASS_CANCELED);
        return 0;
    }
    // A second request means the first answer was wrong: gpg, run next, reports that.
    if (std::strcmp(name, "PASSPHRASE") != 0 || x->passphrase == nullptr ||
        x->passphrase->empty() || x->passphrase_asked++ > 0)
        return gpg_error(GPG_ERR_ASS_CANCELED);
    if (gpgme_data_new_from_mem(r_data, x->passphrase->data(), x->passphrase->size(), 1) != 0)
        return gpg_error(GPG_ERR_ASS_CANCELED);
    return 0;
}

// err: the connection failed; op_err: the agent answered ERR.
struct Reply {
    gpgme_error_t err = 0;
    gpgme_error_t op_err = 0;
    bool ok() const { return err == 0 && op_err == 0; }
};

Reply transact(gpgme_ctx_t ctx, const std::string& command, Exchange& x) {
    Reply r;
    r.err = gpgme_op_assuan_transact_ext(ctx, command.c_str(), on_data, &x, on_inquire, &x, nullptr,
                                         nullptr, &r.op_err);
    return r;
}

}  // namespace

AgentSigner::~AgentSigner() {
    disconnect();
}

std::uint64_t AgentSigner::socket_inode() const {
    struct stat st {};
    return ::stat(socket_.c_str(), &st) == 0 ? static_cast<std::uint64_t>(st.st_ino) : 0;
}

void AgentSigner::disconnect() {
    if (ctx_ != nullptr) gpgme_release(ctx_);
    ctx_ = nullptr;
    keygrip_set_.clear();
}

core::Status AgentSigner::connect() {
    if (socket_.empty()) {
        auto out = gpgconf({"--homedir", home_, "--list-dirs", "agent-socket"});
        if (!out) return out.error();
        socket_ = unescape(core::trim(*out));
        if (socket_.empty())
            return make_error(ErrorKind::config, "gpgconf did not name the agent's socket");
    }
    gpgme_error_t last = 0;
    for (int attempt = 0; attempt < 2; ++attempt) {
        gpgme_ctx_t raw = nullptr;
        if (auto err = gpgme_new(&raw)) return agent_error("connecting to gpg-agent", err);
        Context ctx(raw);
        if (auto err = gpgme_set_protocol(raw, GPGME_PROTOCOL_ASSUAN))
            return agent_error("connecting to gpg-agent", err);
        if (auto err =
                gpgme_ctx_set_engine_info(raw, GPGME_PROTOCOL_ASSUAN, socket_.c_str(), nullptr))
            return agent_error("connecting to gpg-agent", err);
        Exchange x;
        const Reply r = transact(raw, "OPTION pinentry-mode=loopback", x);
        if (r.ok()) {
            ctx_ = ctx.release();
            socket_inode_ = socket_inode();
            return {};
        }
        if (r.op_err) return agent_error("setting gpg-agent's loopback pinentry", r.op_err);
        last = r.err;
        // Not running (first use, or killed): gpgconf starts it as gpg would.
        if (attempt == 0) (void)gpgconf({"--homedir", home_, "--launch", "gpg-agent"});
    }
    return agent_error("connecting to gpg-agent at " + socket_, last);
}

core::Result<std::string> AgentSigner::run(const std::string& keygrip,
                                           const std::vector<std::string>& commands,
                                           const std::string& passphrase,
                                           const std::string* ciphertext, std::string_view doing) {
    std::lock_guard lock(mutex_);
    gpgme_error_t last = 0;
    for (int attempt = 0; attempt < 2; ++attempt) {
        if (ctx_ != nullptr && socket_inode() != socket_inode_) disconnect();
        if (ctx_ == nullptr)
            if (auto s = connect(); !s) return s.error();
        Exchange x;
        x.passphrase = &passphrase;
        x.ciphertext = ciphertext;
        Reply r;
        if (keygrip_set_ != keygrip) {
            r = transact(ctx_, "SIGKEY " + keygrip, x);
            if (r.ok()) keygrip_set_ = keygrip;
        }
        for (std::size_t i = 0; r.ok() && i < commands.size(); ++i) {
            x.data.clear();
            r = transact(ctx_, commands[i], x);
        }
        if (r.ok()) return std::move(x.data);
        keygrip_set_.clear();  // whatever the agent holds now, it is set again next time
        if (r.op_err) return agent_error(doing, r.op_err);
        // The connection broke (an agent restarted or killed since): once more on a new one.
        last = r.err;
        disconnect();
    }
    return agent_error(doing, last);
}

core::Result<std::string> AgentSigner::pksign(const std::string& keygrip, int hash_algo,
                                              std::string_view digest,
                                              const std::string& passphrase) {
    return run(keygrip,
               {"SETHASH " + std::to_string(hash_algo) + " " + core::to_hex(digest), "PKSIGN"},
               passphrase, nullptr, "signing with gpg-agent");
}

core::Result<std::string> AgentSigner::ecdh_shared_point(const std::string& keygrip,
                                                         std::string_view ephemeral,
                                                         std::string_view wrapped,
                                                         const std::string& passphrase) {
    // gpg's own request (pubkey-enc.c): (enc-val(ecdh(s <wrapped key>)(e <ephemeral point>))),
    // in canonical form. The agent multiplies the point by the secret scalar and answers
    // (5:value<n>:<shared point>), sometimes with a trailing NUL.
    auto atom = [](std::string_view bytes) {
        return std::to_string(bytes.size()) + ":" + std::string(bytes);
    };
    const std::string request =
        "(7:enc-val(4:ecdh(1:s" + atom(wrapped) + ")(1:e" + atom(ephemeral) + ")))";
    auto answer = run(keygrip, {"PKDECRYPT"}, passphrase, &request, "decrypting with gpg-agent");
    if (!answer) return answer.error();
    constexpr std::string_view head = "(5:value";
    std::string_view a = *answer;
    const auto colon = a.find(':', head.size());
    if (a.substr(0, head.size()) != head || colon == std::string_view::npos || colon > 16)
        return make_error(ErrorKind::crypto, "gpg-agent's decryption answer is malformed");
    std::size_t length = 0;
    for (char c : a.substr(head.size(), colon - head.size())) {
        if (c < '0' || c > '9')
            return make_error(ErrorKind::crypto, "gpg-agent's decryption answer is malformed");
        length = length * 10 + static_cast<std::size_t>(c - '0');
    }
    if (a.size() < colon + 1 + length + 1 || a[colon + 1 + length] != ')')
        return make_error(ErrorKind::crypto, "gpg-agent's decryption answer is malformed");
    std::string point(a.substr(colon + 1, length));
    wipe(*answer);
    return point;
}

core::Result<DetachedSignature> AgentSigner::sign(gpgme_key_t key, std::string_view data,
                                                  const std::string& passphrase,
                                                  std::int64_t created) {
    auto made = sign_packet(key, data, passphrase, created);
    if (!made) return made.error();
    DetachedSignature out;
    out.armored = armor(PgpKind::signature, made->packet);
    out.micalg = micalg(made->hash_algo);
    return out;
}

core::Result<SignaturePacket> AgentSigner::sign_packet(gpgme_key_t key, std::string_view data,
                                                       const std::string& passphrase,
                                                       std::int64_t created) {
    auto unusable = [](std::string why) {
        return make_error(ErrorKind::crypto, "not signing through gpg-agent: " + why);
    };
    gpgme_subkey_t primary = key != nullptr ? key->subkeys : nullptr;
    if (primary == nullptr || primary->fpr == nullptr || primary->keygrip == nullptr)
        return unusable("no key grip");
    if (!primary->can_sign || primary->revoked || primary->expired || primary->disabled ||
        primary->invalid)
        return unusable("the primary key cannot sign");
    for (gpgme_subkey_t sub = primary->next; sub != nullptr; sub = sub->next)
        if (sub->can_sign && !sub->revoked && !sub->expired && !sub->disabled && !sub->invalid)
            return unusable("the key has a signing subkey (gpg chooses among them)");
    // The hash gpg 2.2 chooses: SHA-256 for EdDSA, the first of the default key preferences
    // (SHA-512) for RSA.
    PubkeyAlgo algo;
    HashAlgo hash;
    switch (primary->pubkey_algo) {
        case GPGME_PK_EDDSA:
            algo = PubkeyAlgo::eddsa;
            hash = HashAlgo::sha256;
            break;
        case GPGME_PK_RSA:
            algo = PubkeyAlgo::rsa;
            hash = HashAlgo::sha512;
            break;
        default: {
            const char* name = gpgme_pubkey_algo_name(primary->pubkey_algo);
            return unusable(std::string("key algorithm ") + (name ? name : "unknown"));
        }
    }
    // gpg refuses these; so does this path (the key listing may be a minute old).
    if (primary->timestamp > created) return unusable("the key was created in the future");
    if (primary->expires > 0 && primary->expires <= created) return unusable("the key expired");
    auto fingerprint = core::from_hex(primary->fpr);
    if (!fingerprint || fingerprint->size() != 20) return unusable("not a v4 key");
    if (created < 0 || created > 0xFFFFFFFFLL) return unusable("the time is out of range");

    SignatureParams params;
    params.issuer_fingerprint = *fingerprint;
    params.pubkey_algo = algo;
    params.hash_algo = hash;
    params.created = static_cast<std::uint32_t>(created);
    const std::string hashed = hashed_part(params);
    auto digest = signature_digest(params.hash_algo, data, hashed);
    if (!digest) return unusable("libgcrypt cannot hash");
    auto sig_val =
        pksign(primary->keygrip, static_cast<int>(params.hash_algo), *digest, passphrase);
    if (!sig_val) return sig_val.error();
    auto values = signature_values(*sig_val, algo);
    if (!values) return unusable("the agent's answer is not a signature");
    SignaturePacket out;
    out.packet = signature_packet(hashed, *fingerprint, *digest, *values);
    out.pubkey_algo = algo;
    out.hash_algo = hash;
    out.issuer_fingerprint = std::move(*fingerprint);
    return out;
}

}  // namespace cvd::crypto::detail
