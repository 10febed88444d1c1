#include "hearth/store/sqlite_registry.h"

#include <gtest/gtest.h>

#include <sqlite3.h>

#include "unit/temp_dir.h"

namespace hearth::store {
namespace {

ProductVersion product(std::string model, uint32_t version, std::string type = "light") {
  return ProductVersion{model, version, model.substr(0, model.find('.')), type,
                        "urn:miot-spec-v2:device:" + type + ":0000A001:x-y:" + std::to_string(version),
                        "{\"v\":" + std::to_string(version) + "}", 1700000000000 + version};
}

class SqliteRegistryTest : public ::testing::Test {
 protected:
  std::unique_ptr<SqliteRegistry> open() {
    auto r = SqliteRegistry::open(registryPath(dir_.file("")));
    EXPECT_TRUE(r.isOk()) << r.error().toString();
    return r.isOk() ? std::move(r).value() : nullptr;
  }
  test::TempDir dir_;
};

TEST_F(SqliteRegistryTest, StoresVersionsAndServesTheLatest) {
  auto reg = open();
  ASSERT_TRUE(reg->addVersion(product("yeelink.light.color2", 1)).isOk());
  ASSERT_TRUE(reg->addVersion(product("yeelink.light.color2", 3)).isOk());
  ASSERT_TRUE(reg->addVersion(product("yeelink.light.color2", 2)).isOk());
  auto latest = reg->latest("yeelink.light.color2");
  ASSERT_TRUE(latest.isOk());
  EXPECT_EQ(latest.value(), product("yeelink.light.color2", 3));
  auto v2 = reg->version("yeelink.light.color2", 2);
  ASSERT_TRUE(v2.isOk());
  EXPECT_EQ(v2.value(), product("yeelink.light.color2", 2));
  EXPECT_EQ(reg->latest("nobody.light.x").error().code(), core::StatusCode::kNotFound);
  EXPECT_EQ(reg->version("yeelink.light.color2", 9).error().code(), core::StatusCode::kNotFound);
}

TEST_F(SqliteRegistryTest, DuplicateVersionIsRefusedAndABatchIsAllOrNothing) {
  auto reg = open();
  ASSERT_TRUE(reg->addVersion(product("a.light.b", 1)).isOk());
  auto dup = reg->addVersion(product("a.light.b", 1));
  EXPECT_EQ(dup.code(), core::StatusCode::kAlreadyExists) << dup.toString();
  // The batch fails on its last record: the first must not stay behind.
  auto batch = reg->addVersions({product("c.plug.d", 1), product("a.light.b", 1)});
  EXPECT_EQ(batch.code(), core::StatusCode::kAlreadyExists);
  EXPECT_EQ(reg->latest("c.plug.d").error().code(), core::StatusCode::kNotFound);
  EXPECT_EQ(reg->countProducts().value(), 1u);
}

TEST_F(SqliteRegistryTest, ListsByKeysetPagesAndCountsByType) {
  auto reg = open();
  ASSERT_TRUE(reg->addVersions({product("a.light.1", 1), product("a.light.1", 2), product("b.plug.1", 1, "outlet"),
                                product("c.light.1", 1), product("d.fan.1", 4, "fan")})
                  .isOk());
  auto page1 = reg->list("", 2);
  ASSERT_TRUE(page1.isOk());
  ASSERT_EQ(page1.value().size(), 2u);
  EXPECT_EQ(page1.value()[0], (ProductSummary{"a.light.1", "a", "light", 2, 2}));
  EXPECT_EQ(page1.value()[1].model, "b.plug.1");
  auto page2 = reg->list(page1.value().back().model, 2);
  ASSERT_EQ(page2.value().size(), 2u);
  EXPECT_EQ(page2.value()[0].model, "c.light.1");
  EXPECT_EQ(page2.value()[1], (ProductSummary{"d.fan.1", "d", "fan", 4, 1}));
  EXPECT_TRUE(reg->list("d.fan.1", 2).value().empty());
  EXPECT_EQ(reg->countProducts().value(), 4u);
  auto by_type = reg->countByDeviceType().value();
  EXPECT_EQ(by_type, (std::vector<std::pair<std::string, size_t>>{{"fan", 1}, {"light", 2}, {"outlet", 1}}));
}

TEST_F(SqliteRegistryTest, DataSurvivesReopening) {
  {
    auto reg = open();
    ASSERT_TRUE(reg->addVersion(product("a.light.b", 7)).isOk());
  }
  auto reg = open();
  EXPECT_EQ(reg->latest("a.light.b").value().version, 7u);
}

TEST_F(SqliteRegistryTest, RefusesAFileThatIsNotADatabase) {
  dir_.write("registry.sqlite3", std::string(4096, 'x'));
  auto r = SqliteRegistry::open(registryPath(dir_.file("")));
  ASSERT_FALSE(r.isOk());
  EXPECT_EQ(r.error().code(), core::StatusCode::kCorruption) << r.error().toString();
  EXPECT_NE(r.error().message().find("registry.sqlite3"), std::string::npos);
}

TEST_F(SqliteRegistryTest, RefusesASchemaFromANewerVersion) {
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(registryPath(dir_.file("")).c_str(), &db), SQLITE_OK);
    sqlite3_exec(db, "PRAGMA user_version = 999", nullptr, nullptr, nullptr);
    sqlite3_close(db);
  }
  auto r = SqliteRegistry::open(registryPath(dir_.file("")));
  ASSERT_FALSE(r.isOk());
  EXPECT_EQ(r.error().code(), core::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace hearth::store

namespace hearth::store {
namespace {

DeviceRecord deviceRecord(std::string did, std::string model = "a.light.b") {
  return DeviceRecord{did, model, "blake2b:" + did, "", 1700000000000};
}

TEST_F(SqliteRegistryTest, DevicesAreAddedAtomicallyListedAndRemoved) {
  auto reg = open();
  ASSERT_TRUE(reg->addDevices({deviceRecord("d2"), deviceRecord("d1"), deviceRecord("d3", "c.plug.d")}).isOk());
  EXPECT_EQ(reg->device("d1").value(), deviceRecord("d1"));
  EXPECT_EQ(reg->device("zz").error().code(), core::StatusCode::kNotFound);
  // A clash anywhere in a batch leaves nothing of it behind.
  auto clash = reg->addDevices({deviceRecord("d4"), deviceRecord("d2")});
  EXPECT_EQ(clash.code(), core::StatusCode::kAlreadyExists) << clash.toString();
  EXPECT_EQ(reg->device("d4").error().code(), core::StatusCode::kNotFound);
  EXPECT_EQ(reg->countDevices().value(), 3u);

  auto all = reg->listDevices("", 10, "");
  ASSERT_TRUE(all.isOk());
  ASSERT_EQ(all.value().size(), 3u);
  // An empty view without storage (an absent query parameter) is "" too, not NULL.
  EXPECT_EQ(reg->listDevices(std::string_view(), 10, std::string_view()).value(), all.value());
  EXPECT_EQ(all.value()[0].did, "d1");
  auto page = reg->listDevices("d1", 1, "");
  ASSERT_EQ(page.value().size(), 1u);
  EXPECT_EQ(page.value()[0].did, "d2");
  auto plugs = reg->listDevices("", 10, "c.plug.d");
  ASSERT_EQ(plugs.value().size(), 1u);
  EXPECT_EQ(plugs.value()[0].did, "d3");

  EXPECT_TRUE(reg->removeDevice("d2").isOk());
  EXPECT_EQ(reg->removeDevice("d2").code(), core::StatusCode::kNotFound);
  EXPECT_EQ(reg->countDevices().value(), 2u);
}

TEST_F(SqliteRegistryTest, PresenceChangesApplyInOrderAndRecoveryMarksOnlineDevicesOffline) {
  auto reg = open();
  ASSERT_TRUE(reg->addDevices({deviceRecord("d1"), deviceRecord("d2"), deviceRecord("d3")}).isOk());
  ASSERT_TRUE(reg->setPresence({{"d1", true, 10}, {"d2", true, 11}, {"d1", false, 12}, {"d1", true, 13},
                                {"gone", true, 14}})
                  .isOk());
  EXPECT_TRUE(reg->device("d1").value().online);
  EXPECT_EQ(reg->device("d1").value().presence_changed_ms, 13);
  EXPECT_TRUE(reg->device("d2").value().online);
  EXPECT_FALSE(reg->device("d3").value().online);
  EXPECT_EQ(reg->device("d3").value().presence_changed_ms, 0);

  auto recovered = reg->markAllOffline(20);
  ASSERT_TRUE(recovered.isOk());
  EXPECT_EQ(recovered.value(), (std::vector<std::string>{"d1", "d2"}));
  EXPECT_FALSE(reg->device("d1").value().online);
  EXPECT_EQ(reg->device("d2").value().presence_changed_ms, 20);
  EXPECT_TRUE(reg->markAllOffline(30).value().empty());
}

TEST_F(SqliteRegistryTest, DeviceInformationIsReplacedAndKept) {
  {
    auto reg = open();
    ASSERT_TRUE(reg->addDevices({deviceRecord("d1")}).isOk());
    EXPECT_EQ(reg->device("d1").value().info, DeviceInfo{});
    ASSERT_TRUE(reg->setDeviceInfo("d1", DeviceInfo{"1.2.3", "SN1"}).isOk());
    EXPECT_EQ(reg->setDeviceInfo("d9", DeviceInfo{}).code(), core::StatusCode::kNotFound);
  }
  EXPECT_EQ(open()->device("d1").value().info, (DeviceInfo{"1.2.3", "SN1"}));
}

// Entries as claim() hands them out: with their delivery counted.
OutboxEntry delivery(OutboxEntry e, uint32_t deliveries) {
  e.deliveries = deliveries;
  return e;
}

TEST_F(SqliteRegistryTest, TheOutboxHandsOutUnexpiredEntriesInOrderUntilEachIsAcknowledged) {
  auto reg = open();
  ASSERT_TRUE(reg->addDevices({deviceRecord("d1"), deviceRecord("d2")}).isOk());
  const OutboxEntry a{"d1", 7, R"({"id":7})", 100, 1000};
  const OutboxEntry b{"d2", 8, R"({"id":8})", 110, 1000};
  const OutboxEntry c{"d1", 9, R"({"id":9})", 120, 500};
  const OutboxEntry d{"d1", 3, R"({"id":3})", 130, 2000};
  for (const auto& e : {a, b, c, d}) ASSERT_TRUE(reg->enqueue(e).isOk());
  EXPECT_EQ(reg->devicesWithEntries().value(), (std::vector<std::string>{"d1", "d2"}));
  // c has expired at 600: not delivered; the rest in the order they were queued.
  auto first = reg->claim("d1", 600, 5);
  ASSERT_TRUE(first.isOk()) << first.error().toString();
  EXPECT_EQ(first.value().deliver, (std::vector<OutboxEntry>{delivery(a, 1), delivery(d, 1)}));
  EXPECT_TRUE(first.value().failed.empty());
  // A claim is not a delivery: unacknowledged, both come again, in order, with their ids.
  EXPECT_EQ(reg->claim("d1", 600, 5).value().deliver, (std::vector<OutboxEntry>{delivery(a, 2), delivery(d, 2)}));
  ASSERT_TRUE(reg->acknowledge("d1", 7).isOk());
  ASSERT_TRUE(reg->acknowledge("d1", 7).isOk());  // a repeated answer
  EXPECT_EQ(reg->claim("d1", 600, 5).value().deliver, (std::vector<OutboxEntry>{delivery(d, 3)}));
  ASSERT_TRUE(reg->acknowledge("d1", 3).isOk());
  EXPECT_TRUE(reg->claim("d1", 600, 5).value().deliver.empty());
  EXPECT_EQ(reg->removeExpired(1000).value(), 2u);  // b and c
  EXPECT_TRUE(reg->devicesWithEntries().value().empty());
}

TEST_F(SqliteRegistryTest, AnEntryNeverAcknowledgedFailsAfterItsDeliveriesAndIsNotHandedOutAgain) {
  auto reg = open();
  ASSERT_TRUE(reg->addDevices({deviceRecord("d1")}).isOk());
  const OutboxEntry a{"d1", 1, "{}", 0, 10'000};
  const OutboxEntry b{"d1", 2, "{}", 1, 10'000};
  ASSERT_TRUE(reg->enqueue(a).isOk());
  for (uint32_t i = 1; i <= 3; ++i) ASSERT_EQ(reg->claim("d1", 0, 3).value().deliver.size(), 1u);
  ASSERT_TRUE(reg->enqueue(b).isOk());
  auto claim = reg->claim("d1", 0, 3);
  ASSERT_TRUE(claim.isOk());
  EXPECT_EQ(claim.value().failed, (std::vector<OutboxEntry>{delivery(a, 3)}));
  EXPECT_EQ(claim.value().deliver, (std::vector<OutboxEntry>{delivery(b, 1)}));
  EXPECT_EQ(reg->claim("d1", 0, 3).value().deliver, (std::vector<OutboxEntry>{delivery(b, 2)}));
  ASSERT_TRUE(reg->acknowledge("d1", 2).isOk());
  EXPECT_TRUE(reg->devicesWithEntries().value().empty());  // the failed entry waits for its expiry only
  EXPECT_EQ(reg->removeExpired(10'000).value(), 1u);
}

TEST_F(SqliteRegistryTest, RemovingADeviceEmptiesItsOutboxAndClaimsSurviveReopening) {
  {
    auto reg = open();
    ASSERT_TRUE(reg->addDevices({deviceRecord("d1"), deviceRecord("d2")}).isOk());
    ASSERT_TRUE(reg->enqueue(OutboxEntry{"d1", 1, "{}", 0, 10}).isOk());
    ASSERT_TRUE(reg->enqueue(OutboxEntry{"d2", 2, "{}", 0, 10}).isOk());
    ASSERT_EQ(reg->claim("d2", 0, 5).value().deliver.size(), 1u);
    ASSERT_TRUE(reg->removeDevice("d1").isOk());
  }
  auto reg = open();  // as after a crash between the claim and the device's answer
  EXPECT_EQ(reg->devicesWithEntries().value(), (std::vector<std::string>{"d2"}));
  EXPECT_EQ(reg->claim("d2", 0, 5).value().deliver, (std::vector<OutboxEntry>{{"d2", 2, "{}", 0, 10, 2}}));
}

}  // namespace
}  // namespace hearth::store
