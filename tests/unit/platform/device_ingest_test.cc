#include "hearth/platform/device_ingest.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <future>
#include <mutex>

#include "hearth/platform/device_presence.h"
#include "hearth/platform/result_code.h"
#include "hearth/spec/json.h"
#include "hearth/store/embedded_history.h"
#include "hearth/store/sqlite_registry.h"
#include "unit/temp_dir.h"

namespace hearth::platform {
namespace {

constexpr std::string_view kSensor = R"({"type":"urn:miot-spec-v2:device:sensor:0000A001:acme-th:1",
  "description":"Sensor","services":[
  {"iid":1,"type":"urn:miot-spec-v2:service:device-information:00007801:acme-th:1","description":"Info",
   "properties":[{"iid":4,"type":"urn:miot-spec-v2:property:firmware-revision:00000005:acme-th:1",
                  "description":"Firmware","format":"string","access":["read"]}]},
  {"iid":2,"type":"urn:miot-spec-v2:service:sensor:00007802:acme-th:1","description":"Sensor",
   "properties":[{"iid":1,"type":"urn:miot-spec-v2:property:temperature:00000020:acme-th:1",
                  "description":"Temperature","format":"float","access":["read","notify"],
                  "value-range":[-40,125,0.1]},
                 {"iid":2,"type":"urn:miot-spec-v2:property:on:00000006:acme-th:1","description":"Led",
                  "format":"bool","access":["read","write"]}],
   "events":[{"iid":1,"type":"urn:miot-spec-v2:event:alert:00005001:acme-th:1","description":"Alert",
              "arguments":[1]}]}]})";

constexpr std::string_view kDid = "00000000000000b2";
constexpr std::string_view kPrincipal = "device:00000000000000b2";

class Recorder final : public DeviceChangeListener {
 public:
  void onDeviceChange(const DeviceChange& change) override {
    {
      std::lock_guard lock(mu_);
      changes_.push_back(change);
    }
    changed_.notify_all();
  }
  std::vector<DeviceChange> changes() {
    std::lock_guard lock(mu_);
    return changes_;
  }
  // Changes are handed on just after the acknowledgement is released: wait for them.
  std::vector<DeviceChange> waitFor(size_t count) {
    std::unique_lock lock(mu_);
    changed_.wait_for(lock, std::chrono::seconds(5), [&] { return changes_.size() >= count; });
    return changes_;
  }

 private:
  std::mutex mu_;
  std::condition_variable changed_;
  std::vector<DeviceChange> changes_;
};

class DeviceIngestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    registry_ = store::SqliteRegistry::open(store::registryPath(dir_.file(""))).value();
    products_ = std::make_unique<ProductRegistry>(*registry_, clock_);
    ASSERT_TRUE(products_->add(spec::parseInstance(kSensor).value()).isOk());
    ASSERT_TRUE(registry_->addDevices({store::DeviceRecord{std::string(kDid), "acme.sensor.th", "x", "", 0}}).isOk());
    history_ = store::openRocksHistory(dir_.file("history").string()).value();
    commands_ = std::make_unique<CommandService>(*registry_, *products_, *registry_, clock_);
    commands_->start([this](mqtt::Publish p) { sent_.push_back(std::move(p)); });
    changes_.listen(recorder_);
    ingest_ = std::make_unique<DeviceIngest>(*registry_, *products_, *history_, *commands_, changes_, clock_);
  }
  void TearDown() override {
    // First the history: it finishes the appends, whose completions run in ingest (as hearthd does).
    history_.reset();
    ingest_.reset();
    commands_.reset();
  }

  // Hands a message from the device to ingest and waits for its acknowledgement to be released.
  void publish(std::string_view payload) {
    mqtt::Publish p;
    p.topic = "device/" + std::string(kDid) + "/up";
    p.payload = std::string(payload);
    p.qos = mqtt::QoS::k1;
    std::promise<void> released;
    ingest_->onPublish(mqtt::ClientIdentity{kDid, kPrincipal}, p, [&released](bool taken) {
      EXPECT_TRUE(taken);
      released.set_value();
    });
    released.get_future().get();
  }

  test::TempDir dir_;
  core::ManualClock clock_;
  std::unique_ptr<store::SqliteRegistry> registry_;
  std::unique_ptr<ProductRegistry> products_;
  std::unique_ptr<store::HistoryStore> history_;
  std::unique_ptr<CommandService> commands_;
  std::vector<mqtt::Publish> sent_;
  Recorder recorder_;
  DeviceChanges changes_;
  std::unique_ptr<DeviceIngest> ingest_;
};

TEST_F(DeviceIngestTest, AcceptedItemsAreStoredThenHandedOnAndRefusedOnesAreNot) {
  publish(R"({"id":1,"method":"properties_changed","params":[{"siid":2,"piid":1,"value":21.5},
             {"siid":2,"piid":1,"value":900},{"siid":1,"piid":4,"value":"2.0.1"}]})");
  publish(R"({"id":2,"method":"event_occured","params":{"siid":2,"eiid":1,"arguments":[{"piid":1,"value":30}]}})");
  publish(R"({"id":3,"method":"event_occured","params":{"siid":2,"eiid":9}})");
  auto changes = recorder_.waitFor(3);
  ASSERT_EQ(changes.size(), 3u);
  EXPECT_EQ(changes[0].kind, DeviceChange::Kind::kProperty);
  EXPECT_EQ(changes[0].did, kDid);
  EXPECT_EQ(std::tie(changes[0].siid, changes[0].iid, changes[0].json), std::make_tuple(2u, 1u, std::string("21.5")));
  EXPECT_EQ(changes[1].json, "\"2.0.1\"");
  EXPECT_EQ(changes[2].kind, DeviceChange::Kind::kEvent);
  EXPECT_EQ(changes[2].json, R"([{"piid":1,"value":30}])");
  EXPECT_LT(changes[1].ts_ms, changes[2].ts_ms);  // strictly increasing per device
  EXPECT_EQ(history_->range(kDid, 2, 1, INT64_MIN, INT64_MAX, 10).value().size(), 1u);
  EXPECT_EQ(registry_->device(kDid).value().info.firmware_revision, "2.0.1");
  const std::string metrics = ingest_->metricsText();
  EXPECT_NE(metrics.find("hearth_ingest_items_total{result=\"accepted\"} 3"), std::string::npos);
  EXPECT_NE(metrics.find("hearth_ingest_items_total{result=\"rejected\"} 2"), std::string::npos);
}

TEST_F(DeviceIngestTest, RepliesToCommandsReachTheCommandService) {
  commands_->onClientSubscribed(mqtt::ClientIdentity{kDid, kPrincipal}, "device/" + std::string(kDid) + "/down");
  std::promise<DeviceResponse> answered;
  commands_->getProperties(std::string(kDid), {PropertyItem{2, 2, nullptr}}, {},
                           [&answered](DeviceResponse r) { answered.set_value(std::move(r)); });
  ASSERT_EQ(sent_.size(), 1u);
  const uint64_t id = std::get<DeviceRequest>(parseDeviceMessage(sent_[0].payload).value()).id;
  publish(R"({"id":)" + std::to_string(id) + R"(,"result":[{"siid":2,"piid":2,"code":0,"value":true}]})");
  auto r = answered.get_future().get();
  EXPECT_EQ(r, (DeviceResponse{id, std::vector<PropertyResult>{{2, 2, result::kDone, true}}}));
  EXPECT_TRUE(recorder_.changes().empty());  // a reply is not a report
}

// A history store whose disk has failed: every append is refused.
class FailedHistory final : public store::HistoryStore {
 public:
  void append(std::vector<store::PropertySample>, std::vector<store::EventRecord>, Done done) override {
    done(core::Status::ioError("disk failed"));
  }
  core::Result<std::vector<store::PropertySample>> range(std::string_view, uint32_t, uint32_t, int64_t, int64_t,
                                                         size_t) override {
    return core::Status::ioError("disk failed");
  }
  core::Result<std::vector<store::Bucket>> downsample(std::string_view, uint32_t, uint32_t, int64_t, int64_t,
                                                      uint32_t) override {
    return core::Status::ioError("disk failed");
  }
  core::Result<std::vector<store::PropertySample>> latest(std::string_view) override {
    return core::Status::ioError("disk failed");
  }
  core::Result<std::vector<store::EventRecord>> events(std::string_view, int64_t, int64_t, size_t) override {
    return core::Status::ioError("disk failed");
  }
  core::Status deleteBefore(int64_t) override { return core::Status::ioError("disk failed"); }
  core::Status deleteBefore(std::string_view, int64_t) override { return core::Status::ioError("disk failed"); }
  core::Status removeDevice(std::string_view) override { return core::Status::ioError("disk failed"); }
};

TEST_F(DeviceIngestTest, AReportTheStoreRefusesIsNotAcknowledgedAsTakenNorHandedOn) {
  FailedHistory failed;
  DeviceIngest ingest(*registry_, *products_, failed, *commands_, changes_, clock_);
  mqtt::Publish p;
  p.topic = "device/" + std::string(kDid) + "/up";
  p.payload = R"({"id":1,"method":"properties_changed","params":[{"siid":2,"piid":1,"value":20}]})";
  p.qos = mqtt::QoS::k1;
  std::promise<bool> released;
  ingest.onPublish(mqtt::ClientIdentity{kDid, kPrincipal}, p, [&released](bool taken) { released.set_value(taken); });
  EXPECT_FALSE(released.get_future().get());
  EXPECT_TRUE(recorder_.changes().empty());
  EXPECT_NE(ingest.metricsText().find("hearth_ingest_store_failures_total 1"), std::string::npos);
}

TEST(DevicePresenceTest, OnlineAndOfflineAreHandedOnButATakeoverIsNot) {
  test::TempDir dir;
  auto registry = store::SqliteRegistry::open(store::registryPath(dir.file(""))).value();
  core::ManualClock clock;
  DeviceChanges changes;
  Recorder recorder;
  changes.listen(recorder);
  {
    DevicePresence presence(*registry, changes, clock);
    const mqtt::ClientIdentity device{kDid, kPrincipal};
    presence.onClientConnected(device);
    presence.onClientConnected(mqtt::ClientIdentity{"someone", "alice"});  // not a device
    presence.onClientDisconnected(device, mqtt::ClientEnd::kTakenOver);
    clock.advance(std::chrono::seconds(5));
    presence.onClientDisconnected(device, mqtt::ClientEnd::kKeepAliveTimeout);
  }
  auto got = recorder.changes();
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].kind, DeviceChange::Kind::kPresence);
  EXPECT_TRUE(got[0].online);
  EXPECT_FALSE(got[1].online);
  EXPECT_EQ(got[1].ts_ms - got[0].ts_ms, 5000);
}

}  // namespace
}  // namespace hearth::platform
