#include "hearth/platform/device_registry.h"

#include <gtest/gtest.h>

#include <set>

#include "hearth/core/clock.h"
#include "hearth/platform/device_auth.h"
#include "hearth/store/sqlite_registry.h"
#include "unit/temp_dir.h"

namespace hearth::platform {
namespace {

using mqtt::AccessKind;
using mqtt::AuthDecision;
using mqtt::ReasonCode;

class DeviceRegistryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = store::SqliteRegistry::open(store::registryPath(dir_.file("")));
    ASSERT_TRUE(store.isOk()) << store.error().toString();
    store_ = std::move(store).value();
    ASSERT_TRUE(store_->addVersion(store::ProductVersion{"acme.outlet.plug", 1, "acme", "outlet", "urn", "{}", 0})
                    .isOk());
    registry_ = std::make_unique<DeviceRegistry>(*store_, *store_, clock_);
  }

  // Runs the authenticator and returns its (synchronous) decision.
  AuthDecision connect(DeviceAuth& auth, std::string_view client_id, std::optional<std::string_view> user,
                       std::optional<std::string_view> password) {
    AuthDecision out{ReasonCode::kUnspecifiedError, "not called", {}};
    auth.authenticate(mqtt::ConnectCredentials{client_id, user, password, "127.0.0.1:1", false, {}},
                      [&out](AuthDecision d) { out = std::move(d); });
    return out;
  }

  test::TempDir dir_;
  core::ManualClock clock_;
  std::unique_ptr<store::SqliteRegistry> store_;
  std::unique_ptr<DeviceRegistry> registry_;
};

TEST_F(DeviceRegistryTest, AddsDevicesWithUniqueIdsAndStoresOnlyAHash) {
  auto added = registry_->add("acme.outlet.plug", 50);
  ASSERT_TRUE(added.isOk()) << added.error().toString();
  std::set<std::string> dids;
  for (const auto& c : added.value()) {
    EXPECT_EQ(c.did.size(), 16u);
    EXPECT_EQ(c.did.find_first_not_of("0123456789abcdef"), std::string::npos);
    EXPECT_EQ(c.secret.size(), 32u);
    dids.insert(c.did);
    auto stored = store_->device(c.did);
    ASSERT_TRUE(stored.isOk());
    EXPECT_EQ(stored.value().secret_hash, DeviceRegistry::hashSecret(c.secret));
    EXPECT_EQ(stored.value().secret_hash.find(c.secret), std::string::npos);
  }
  EXPECT_EQ(dids.size(), 50u);
}

TEST_F(DeviceRegistryTest, EachDeviceGetsABindCodeThatFindsItAndCanBeReplaced) {
  auto added = registry_->add("acme.outlet.plug", 20);
  ASSERT_TRUE(added.isOk());
  std::set<std::string> codes;
  for (const auto& c : added.value()) {
    ASSERT_EQ(c.bind_code.size(), 11u);
    EXPECT_EQ(c.bind_code[5], '-');
    codes.insert(c.bind_code);
    auto canonical = DeviceRegistry::normaliseBindCode(c.bind_code);
    ASSERT_TRUE(canonical.has_value());
    EXPECT_EQ(store_->deviceWithBindCode(DeviceRegistry::hashBindCode(*canonical)).value().did, c.did);
  }
  EXPECT_EQ(codes.size(), 20u);
  const auto& first = added.value()[0];
  auto renewed = registry_->newBindCode(first.did);
  ASSERT_TRUE(renewed.isOk());
  EXPECT_EQ(store_->deviceWithBindCode(DeviceRegistry::hashBindCode(*DeviceRegistry::normaliseBindCode(first.bind_code)))
                .error()
                .code(),
            core::StatusCode::kNotFound);
  EXPECT_EQ(
      store_->deviceWithBindCode(DeviceRegistry::hashBindCode(*DeviceRegistry::normaliseBindCode(renewed.value())))
          .value()
          .did,
      first.did);
  EXPECT_EQ(registry_->newBindCode("0000000000000000").error().code(), core::StatusCode::kNotFound);
}

TEST_F(DeviceRegistryTest, BindCodesAreReadForgivingly) {
  EXPECT_EQ(DeviceRegistry::normaliseBindCode("7h3kq-m9x2p"), "7H3KQM9X2P");
  EXPECT_EQ(DeviceRegistry::normaliseBindCode(" 7H3KQ M9X2P "), "7H3KQM9X2P");
  EXPECT_EQ(DeviceRegistry::normaliseBindCode("oIl00-00000"), "0110000000");
  for (std::string_view bad : {"", "7H3KQ-M9X2", "7H3KQ-M9X2PP", "7H3KQ-M9X2U", "7H3KQ_M9X2P", "7H3KQ-M9X2\xC3"}) {
    EXPECT_FALSE(DeviceRegistry::normaliseBindCode(bad).has_value()) << bad;
  }
}

TEST_F(DeviceRegistryTest, RefusesUnknownProductsAndBadCounts) {
  EXPECT_EQ(registry_->add("acme.outlet.none", 1).error().code(), core::StatusCode::kNotFound);
  EXPECT_EQ(registry_->add("acme.outlet.plug", 0).error().code(), core::StatusCode::kInvalidArgument);
  EXPECT_EQ(registry_->add("acme.outlet.plug", DeviceRegistry::kMaxBatch + 1).error().code(),
            core::StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->countDevices().value(), 0u);
}

TEST_F(DeviceRegistryTest, VerifiesSecrets) {
  auto c = registry_->add("acme.outlet.plug", 1).value()[0];
  EXPECT_TRUE(registry_->verify(c.did, c.secret).isOk());
  EXPECT_EQ(registry_->verify(c.did, c.secret + "x").code(), core::StatusCode::kUnauthenticated);
  EXPECT_EQ(registry_->verify(c.did, "").code(), core::StatusCode::kUnauthenticated);
  EXPECT_EQ(registry_->verify("0000000000000000", c.secret).code(), core::StatusCode::kNotFound);
}

TEST_F(DeviceRegistryTest, DeviceAuthAdmitsDevicesAndDelegatesEveryoneElse) {
  mqtt::AllowAll others;
  DeviceAuth auth(*registry_, others, others);
  auto c = registry_->add("acme.outlet.plug", 1).value()[0];

  AuthDecision ok = connect(auth, c.did, c.did, c.secret);
  EXPECT_EQ(ok.reason, ReasonCode::kSuccess);
  EXPECT_EQ(ok.username, "device:" + c.did);
  EXPECT_EQ(connect(auth, c.did, c.did, "wrong").reason, ReasonCode::kBadUserNameOrPassword);
  EXPECT_EQ(connect(auth, c.did, "someone", c.secret).reason, ReasonCode::kBadUserNameOrPassword);
  EXPECT_EQ(connect(auth, c.did, std::nullopt, std::nullopt).reason, ReasonCode::kBadUserNameOrPassword);
  // Not a device: the other authenticator decides, but may not hand out device principals.
  AuthDecision user = connect(auth, "phone", "alice", std::nullopt);
  EXPECT_EQ(user.reason, ReasonCode::kSuccess);
  EXPECT_EQ(user.username, "alice");
  EXPECT_EQ(connect(auth, "phone", "device:" + c.did, std::nullopt).reason, ReasonCode::kNotAuthorized);
}

TEST_F(DeviceRegistryTest, DeviceAuthConfinesDevicesToTheirTopics) {
  mqtt::AllowAll others;
  DeviceAuth auth(*registry_, others, others);
  const std::string principal = "device:abc";
  const mqtt::ClientIdentity dev{"abc", principal};
  EXPECT_TRUE(auth.allowed(dev, AccessKind::kPublish, "device/abc/up"));
  EXPECT_TRUE(auth.allowed(dev, AccessKind::kSubscribe, "device/abc/down"));
  EXPECT_FALSE(auth.allowed(dev, AccessKind::kPublish, "device/abc/down"));
  EXPECT_FALSE(auth.allowed(dev, AccessKind::kPublish, "device/xyz/up"));
  EXPECT_FALSE(auth.allowed(dev, AccessKind::kPublish, "device/abc/up/x"));
  EXPECT_FALSE(auth.allowed(dev, AccessKind::kSubscribe, "#"));
  EXPECT_FALSE(auth.allowed(dev, AccessKind::kSubscribe, "device/+/down"));
  const mqtt::ClientIdentity user{"phone", "alice"};
  EXPECT_FALSE(auth.allowed(user, AccessKind::kPublish, "device/abc/up"));
  EXPECT_FALSE(auth.allowed(user, AccessKind::kPublish, "device/abc/down"));
  EXPECT_TRUE(auth.allowed(user, AccessKind::kSubscribe, "device/#"));
  EXPECT_TRUE(auth.allowed(user, AccessKind::kPublish, "home/alice/light"));
}

}  // namespace
}  // namespace hearth::platform
