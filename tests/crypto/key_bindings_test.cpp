// cvdbot's own trust rule: learned keys encrypt, registered keys authorise.

#include "cvdbot/crypto/key_bindings.hpp"

#include <catch2/catch.hpp>

using namespace cvd::crypto;
using cvd::core::from_unix;

namespace {

const std::string fpr_a = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
const std::string fpr_b = "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB";
const std::string fpr_c = "CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC";

KeyInfo key(const std::string& fpr, bool can_encrypt = true) {
    KeyInfo k;
    k.fingerprint = fpr;
    k.can_encrypt = can_encrypt;
    k.can_sign = true;
    return k;
}

}  // namespace

TEST_CASE("registered before learned, then the newest; unusable keys are skipped") {
    std::vector<KeyBinding> b{
        {"v@example.test", fpr_a, BindingKind::learned, from_unix(300), 7},
        {"v@example.test", fpr_b, BindingKind::registered, from_unix(100), std::nullopt},
        {"v@example.test", fpr_c, BindingKind::learned, from_unix(200), 8},
    };
    std::vector<KeyInfo> keys{key(fpr_a), key(fpr_b), key(fpr_c)};
    CHECK(choose_encryption_key(b, keys)->fingerprint == fpr_b);
    keys[1].revoked = true;
    CHECK(choose_encryption_key(b, keys)->fingerprint == fpr_a);  // newest learned
    keys[0] = key(fpr_a, false);
    CHECK(choose_encryption_key(b, keys)->fingerprint == fpr_c);
    keys.pop_back();
    CHECK_FALSE(choose_encryption_key(b, keys).has_value());
    CHECK_FALSE(choose_encryption_key({}, keys).has_value());
}

TEST_CASE("only a registered binding authorises") {
    std::vector<KeyBinding> b{
        {"coord@example.test", fpr_a, BindingKind::registered, from_unix(1), std::nullopt},
        {"coord@example.test", fpr_b, BindingKind::learned, from_unix(2), 3},
    };
    CHECK(may_authorise(b, "Coord@Example.test", fpr_a));
    CHECK(may_authorise(b, "coord@example.test", "0x" + fpr_a));
    CHECK_FALSE(may_authorise(b, "coord@example.test", fpr_b));
    CHECK_FALSE(may_authorise(b, "other@example.test", fpr_a));
    CHECK_FALSE(
        may_authorise(b, "coord@example.test", fpr_a.substr(24)));  // a key id is not enough
}

TEST_CASE("a key is learned only for an address it names") {
    ImportedKey k{fpr_a, {"disc@example.test"}, true, false};
    CHECK(may_learn(k, "Disc@Example.Test"));
    CHECK_FALSE(may_learn(k, "attacker@example.test"));
    CHECK_FALSE(may_learn(k, ""));
}

TEST_CASE("memory bindings: refresh, never downgrade") {
    MemoryKeyBindings m;
    REQUIRE(m.bind(
        {"V@example.test", "0x" + fpr_a, BindingKind::registered, from_unix(1), std::nullopt}));
    REQUIRE(m.bind({"v@example.test", fpr_a, BindingKind::learned, from_unix(5), 9}));
    REQUIRE(m.bind({"v@example.test", fpr_b, BindingKind::learned, from_unix(6), 10}));
    auto got = m.bindings_for("v@EXAMPLE.test");
    REQUIRE(got.ok());
    REQUIRE(got->size() == 2);
    CHECK((*got)[0].fingerprint == fpr_a);
    CHECK((*got)[0].kind == BindingKind::registered);
    CHECK((*got)[0].added_at == from_unix(5));
    CHECK(m.bindings_for("nobody@example.test")->empty());
}
