#include "hearth/platform/command_service.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>

#include "hearth/platform/result_code.h"
#include "hearth/spec/json.h"
#include "hearth/store/sqlite_registry.h"
#include "unit/temp_dir.h"

namespace hearth::platform {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

constexpr std::string_view kPlug = R"({"type":"urn:miot-spec-v2:device:outlet:0000A002:acme-plug:1",
  "description":"Plug","services":[{"iid":2,"type":"urn:miot-spec-v2:service:switch:0000780C:acme-plug:1",
  "description":"Switch","properties":[
    {"iid":1,"type":"urn:miot-spec-v2:property:on:00000006:acme-plug:1","description":"On","format":"bool",
     "access":["read","write","notify"]},
    {"iid":2,"type":"urn:miot-spec-v2:property:electric-power:00000066:acme-plug:1","description":"Power",
     "format":"float","access":["read","notify"],"value-range":[0,3000,0.1]}],
  "actions":[{"iid":1,"type":"urn:miot-spec-v2:action:toggle:00002811:acme-plug:1","description":"Toggle",
              "in":[],"out":[]}]}]})";

constexpr std::string_view kDid = "00000000000000a1";

constexpr std::string_view kPrincipal = "device:00000000000000a1";

mqtt::ClientIdentity deviceClient() { return mqtt::ClientIdentity{kDid, kPrincipal}; }
std::string downTopic() { return "device/" + std::string(kDid) + "/down"; }

// The one answer a command gets, waited for with a real deadline (timeouts run on the
// service's worker thread).
class Answer {
 public:
  CommandCallback callback() {
    return [this](DeviceResponse r) {
      std::lock_guard lock(mu_);
      response_ = std::move(r);
      ++calls_;
      cv_.notify_all();
    };
  }
  std::optional<DeviceResponse> wait(std::chrono::milliseconds limit = 5s) {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, limit, [this] { return response_.has_value(); });
    return response_;
  }
  int calls() {
    std::lock_guard lock(mu_);
    return calls_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::optional<DeviceResponse> response_;
  int calls_ = 0;
};

std::vector<int32_t> codesOf(const DeviceResponse& r) {
  std::vector<int32_t> out;
  for (const auto& p : std::get<std::vector<PropertyResult>>(r.body)) out.push_back(p.code);
  return out;
}

class CommandServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = store::SqliteRegistry::open(store::registryPath(dir_.file("")));
    ASSERT_TRUE(store.isOk()) << store.error().toString();
    store_ = std::move(store).value();
    products_ = std::make_unique<ProductRegistry>(*store_, clock_);
    auto instance = spec::parseInstance(kPlug);
    ASSERT_TRUE(instance.isOk()) << instance.error().toString();
    ASSERT_TRUE(products_->add(instance.value()).isOk());
    ASSERT_TRUE(store_->addDevices({store::DeviceRecord{std::string(kDid), "acme.outlet.plug", "x", "", 0}}).isOk());
    makeService();
  }

  void makeService() {
    service_.reset();
    service_ = std::make_unique<CommandService>(*store_, *products_, *store_, clock_);
    ASSERT_TRUE(service_->recover().isOk());
    service_->start([this](mqtt::Publish p) {
      std::lock_guard lock(sent_mu_);
      sent_.push_back(std::move(p));
    });
  }

  std::vector<mqtt::Publish> sent() {
    std::lock_guard lock(sent_mu_);
    return sent_;
  }
  // The request the device got last.
  DeviceRequest lastRequest() {
    auto all = sent();
    EXPECT_FALSE(all.empty());
    EXPECT_EQ(all.back().topic, downTopic());
    auto parsed = parseDeviceMessage(all.back().payload);
    EXPECT_TRUE(parsed.isOk());
    return std::get<DeviceRequest>(parsed.value());
  }
  static DeviceRequest requestIn(const mqtt::Publish& p) {
    auto parsed = parseDeviceMessage(p.payload);
    EXPECT_TRUE(parsed.isOk());
    return parsed.isOk() ? std::get<DeviceRequest>(parsed.value()) : DeviceRequest{};
  }
  // The service's worker acts on its own thread: waits for what it does, with a real deadline.
  static bool waitFor(const std::function<bool()>& done) {
    for (int i = 0; i < 250 && !done(); ++i) std::this_thread::sleep_for(CommandService::kTick);
    return done();
  }
  // A counter of metricsText(), by its name with labels; -1 if absent.
  int64_t metric(std::string_view name) {
    const std::string text = service_->metricsText();
    const std::string line = "\n" + std::string(name) + " ";
    const size_t at = text.find(line);
    if (at == std::string::npos) return -1;
    return std::strtoll(text.c_str() + at + line.size(), nullptr, 10);
  }
  std::vector<PropertyItem> items(std::initializer_list<std::tuple<uint32_t, uint32_t, json::value>> list) {
    std::vector<PropertyItem> out;
    for (const auto& [siid, piid, value] : list) out.push_back(PropertyItem{siid, piid, value});
    return out;
  }

  test::TempDir dir_;
  core::ManualClock clock_;
  std::unique_ptr<store::SqliteRegistry> store_;
  std::unique_ptr<ProductRegistry> products_;
  std::mutex sent_mu_;
  std::vector<mqtt::Publish> sent_;
  std::unique_ptr<CommandService> service_;
};

TEST_F(CommandServiceTest, AnOfflineDeviceFailsFastAndNothingIsSent) {
  Answer answer;
  service_->setProperties(std::string(kDid), items({{2, 1, true}, {2, 2, 5.0}}), {}, answer.callback());
  auto r = answer.wait();
  ASSERT_TRUE(r);
  EXPECT_EQ(codesOf(*r), (std::vector<int32_t>{result::kDeviceOffline, result::kNotWritable}));
  EXPECT_TRUE(sent().empty());
}

TEST_F(CommandServiceTest, SendsOnlyWhatTheSpecAllowsAndMergesTheReplyInTheCallersOrder) {
  service_->onClientSubscribed(deviceClient(), downTopic());
  Answer answer;
  service_->setProperties(std::string(kDid), items({{2, 2, 5.0}, {2, 1, true}, {3, 1, 1}, {2, 1, "on"}}), {},
                          answer.callback());
  const DeviceRequest req = lastRequest();
  EXPECT_EQ(req.method, Method::kSetProperties);
  ASSERT_EQ(req.properties.size(), 1u);
  EXPECT_EQ(req.properties[0], (PropertyItem{2, 1, true}));
  EXPECT_EQ(answer.calls(), 0);
  service_->onDeviceResponse(std::string(kDid), DeviceResponse{req.id, std::vector<PropertyResult>{{2, 1, -704053100, std::nullopt}}});
  auto r = answer.wait();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->id, req.id);
  EXPECT_EQ(codesOf(*r), (std::vector<int32_t>{result::kNotWritable, -704053100, result::kServiceNotFound,
                                               result::kValueInvalid}));
  // A second reply with the same id matches nothing.
  service_->onDeviceResponse(std::string(kDid), DeviceResponse{req.id, std::vector<PropertyResult>{}});
  EXPECT_EQ(answer.calls(), 1);
  EXPECT_NE(service_->metricsText().find("hearth_commands_unmatched_replies_total 1"), std::string::npos);
}

TEST_F(CommandServiceTest, TimesOutByTheInjectedClock) {
  service_->onClientSubscribed(deviceClient(), downTopic());
  Answer answer;
  CommandOptions options;
  options.timeout = 2s;
  service_->getProperties(std::string(kDid), items({{2, 1, nullptr}}), options, answer.callback());
  EXPECT_FALSE(answer.wait(3 * CommandService::kTick));  // the real time passing does not count
  clock_.advance(2s);
  auto r = answer.wait();
  ASSERT_TRUE(r);
  EXPECT_EQ(codesOf(*r), (std::vector<int32_t>{result::kTimeout}));
}

TEST_F(CommandServiceTest, ADisconnectAnswersOutstandingCommandsOfflineButATakeoverDoesNot) {
  service_->onClientSubscribed(deviceClient(), downTopic());
  Answer first;
  service_->invokeAction(std::string(kDid), 2, 1, {}, {}, first.callback());
  service_->onClientDisconnected(deviceClient(), mqtt::ClientEnd::kTakenOver);
  EXPECT_EQ(first.calls(), 0);
  service_->onClientDisconnected(deviceClient(), mqtt::ClientEnd::kConnectionLost);
  auto r = first.wait();
  ASSERT_TRUE(r);
  EXPECT_EQ(std::get<ActionResult>(r->body).code, result::kDeviceOffline);
}

TEST_F(CommandServiceTest, TheOutboxIsDeliveredInOrderUntilAnsweredAndSurvivesARestart) {
  CommandOptions queue;
  queue.when_offline = WhenOffline::kQueue;
  std::vector<uint64_t> ids;
  for (bool on : {true, false}) {
    Answer answer;
    service_->setProperties(std::string(kDid), items({{2, 1, on}}), queue, answer.callback());
    auto r = answer.wait();
    ASSERT_TRUE(r);
    EXPECT_EQ(codesOf(*r), (std::vector<int32_t>{result::kAccepted}));
    ids.push_back(r->id);
  }
  EXPECT_TRUE(sent().empty());
  makeService();  // a restart: the outbox is in the store
  service_->onClientSubscribed(deviceClient(), "device/other/down");  // not its down topic
  // Delivered, not answered, the server restarts, the device comes back: twice the same.
  for (int round = 0; round < 2; ++round) {
    service_->onClientSubscribed(deviceClient(), downTopic());
    ASSERT_TRUE(waitFor([&] { return sent().size() == 2u * (round + 1); }));
    auto out = sent();
    for (size_t i = 0; i < ids.size(); ++i) EXPECT_EQ(requestIn(out[2 * round + i]).id, ids[i]);
    service_->onClientDisconnected(deviceClient(), mqtt::ClientEnd::kDisconnected);
    makeService();
  }
  service_->onClientSubscribed(deviceClient(), downTopic());
  ASSERT_TRUE(waitFor([&] { return sent().size() == 6u; }));
  for (uint64_t id : ids) {
    service_->onDeviceResponse(std::string(kDid), DeviceResponse{id, std::vector<PropertyResult>{{2, 1, 0, {}}}});
  }
  ASSERT_TRUE(waitFor([&] { return metric("hearth_outbox_total{outcome=\"acknowledged\"}") == 2; }));
  service_->onClientDisconnected(deviceClient(), mqtt::ClientEnd::kDisconnected);
  service_->onClientSubscribed(deviceClient(), downTopic());
  std::this_thread::sleep_for(3 * CommandService::kTick);
  EXPECT_EQ(sent().size(), 6u);  // answered: delivered no more
}

TEST_F(CommandServiceTest, AQueuedCommandNeverAnsweredFailsAfterItsDeliveries) {
  CommandOptions queue;
  queue.when_offline = WhenOffline::kQueue;
  Answer answer;
  service_->setProperties(std::string(kDid), items({{2, 1, true}}), queue, answer.callback());
  ASSERT_TRUE(answer.wait());
  for (uint32_t i = 1; i <= CommandService::kMaxDeliveries; ++i) {
    service_->onClientSubscribed(deviceClient(), downTopic());
    ASSERT_TRUE(waitFor([&] { return sent().size() == i; }));
    service_->onClientDisconnected(deviceClient(), mqtt::ClientEnd::kDisconnected);
  }
  service_->onClientSubscribed(deviceClient(), downTopic());
  ASSERT_TRUE(waitFor([&] { return metric("hearth_outbox_total{outcome=\"failed\"}") == 1; }));
  EXPECT_EQ(sent().size(), CommandService::kMaxDeliveries);
  EXPECT_EQ(metric("hearth_outbox_total{outcome=\"delivered\"}"), CommandService::kMaxDeliveries);
}

TEST_F(CommandServiceTest, ExpiredOutboxEntriesAreNotDelivered) {
  CommandOptions queue;
  queue.when_offline = WhenOffline::kQueue;
  queue.ttl = 60s;
  Answer answer;
  service_->setProperties(std::string(kDid), items({{2, 1, true}}), queue, answer.callback());
  ASSERT_TRUE(answer.wait());
  clock_.advance(61s);
  service_->onClientSubscribed(deviceClient(), downTopic());
  std::this_thread::sleep_for(5 * CommandService::kTick);
  EXPECT_TRUE(sent().empty());
  // And the device is reachable now: the next command goes straight out.
  Answer live;
  service_->setProperties(std::string(kDid), items({{2, 1, false}}), {}, live.callback());
  EXPECT_EQ(sent().size(), 1u);
  service_.reset();  // answers `live` while it still exists
  EXPECT_EQ(live.calls(), 1);
}

TEST_F(CommandServiceTest, UnknownDevicesAndStoppingAnswerWithErrors) {
  Answer missing;
  service_->getProperties("ffffffffffffffff", items({{2, 1, nullptr}}), {}, missing.callback());
  auto r = missing.wait();
  ASSERT_TRUE(r);
  EXPECT_EQ(std::get<MessageError>(r->body).code, result::kDeviceNotFound);

  service_->onClientSubscribed(deviceClient(), downTopic());
  Answer outstanding;
  service_->setProperties(std::string(kDid), items({{2, 1, true}}), {}, outstanding.callback());
  service_.reset();
  r = outstanding.wait();
  ASSERT_TRUE(r);
  EXPECT_EQ(codesOf(*r), (std::vector<int32_t>{result::kInternal}));
}

}  // namespace
}  // namespace hearth::platform
