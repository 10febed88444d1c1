#include "hearth/platform/device_ingest.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <optional>

#include "hearth/platform/device_auth.h"
#include "hearth/platform/result_code.h"
#include "hearth/core/json.h"

namespace hearth::platform {

namespace json = boost::json;

// What one message contributes: stored first, announced after.
struct DeviceIngest::Accepted {
  std::vector<store::PropertySample> samples;
  std::vector<store::EventRecord> events;
  std::optional<std::string> firmware_revision;  // reported in this message
  std::optional<std::string> serial_number;
};

namespace {

uint64_t keyOf(uint32_t siid, uint32_t piid) { return uint64_t{siid} << 32 | piid; }

uint64_t keyOf(const spec::ProductView& view, std::string_view property) {
  const spec::PropertyEntry* entry = view.property(property);
  return entry == nullptr ? 0 : keyOf(entry->siid, entry->piid);
}

}  // namespace

bool DeviceIngest::claims(const mqtt::ClientIdentity& client) const {
  return DeviceAuth::deviceOf(client).has_value();
}

core::Result<DeviceIngest::Admitted> DeviceIngest::admit(const std::string& did) {
  static constexpr int64_t kRecheckMs =
      std::chrono::duration_cast<std::chrono::milliseconds>(ProductRegistry::kRecheck).count();
  const int64_t now = clock_.unixMillis();
  std::unique_lock lock(devices_mu_);
  auto it = known_.find(did);
  if (it == known_.end() || now - it->second.checked_ms >= kRecheckMs) {
    // First message of the device, or time to pick up a newer version of its product.
    std::string model = it == known_.end() ? std::string() : it->second.model;
    lock.unlock();
    std::optional<store::DeviceInfo> info;
    if (model.empty()) {
      auto device = devices_.device(did);
      if (!device) return device.error();
      model = device.value().model;
      info = device.value().info;
    }
    auto view = products_.view(model);
    if (!view) return view.error();
    const spec::ProductView& v = *view.value();
    Admitted fresh{std::move(view).value(), 0, keyOf(v, "device-information.firmware-revision"),
                   keyOf(v, "device-information.serial-number")};
    lock.lock();
    it = known_.try_emplace(did).first;
    fresh.ts_ms = it->second.admitted.ts_ms;
    it->second = Known{std::move(fresh), std::move(model), now};
    if (info) info_.try_emplace(did, std::move(*info));
  }
  Admitted& admitted = it->second.admitted;
  admitted.ts_ms = std::max(now, admitted.ts_ms + 1);
  return admitted;
}

void DeviceIngest::reply(const std::string& did, const DeviceResponse& response) {
  mqtt::Broker* broker = broker_.load();
  if (broker == nullptr) return;
  mqtt::Publish p;
  p.topic = DeviceAuth::downTopic(did);
  p.payload = serializeDeviceMessage(response);
  p.qos = mqtt::QoS::k1;
  broker->publish(std::move(p));
}

void DeviceIngest::takeProperties(const std::string& did, const Admitted& device, const DeviceRequest& req,
                                  Accepted& accepted) {
  const spec::ProductView& view = *device.view;
  const int64_t now = device.ts_ms;
  std::vector<PropertyResult> results;
  bool rejected = false;
  for (const PropertyItem& item : req.properties) {
    int32_t code = result::kDone;
    const spec::PropertyEntry* entry = view.property(item.siid, item.piid);
    if (entry == nullptr) {
      code = view.service(item.siid) == nullptr ? result::kServiceNotFound : result::kPropertyNotFound;
    } else if (auto check = entry->checker.check(item.value, spec::Operation::kReport); !check.ok()) {
      code = resultCodeFor(check.error, false);
    }
    if (code == result::kDone) {
      accepted.samples.push_back(
          store::PropertySample{did, item.siid, item.piid, now, core::serializeJson(item.value)});
      const uint64_t key = keyOf(item.siid, item.piid);
      if (const json::string* text = item.value.if_string(); text != nullptr && key != 0) {
        if (key == device.firmware_key) accepted.firmware_revision = std::string(*text);
        if (key == device.serial_key) accepted.serial_number = std::string(*text);
      }
    } else {
      rejected = true;
    }
    results.push_back(PropertyResult{item.siid, item.piid, code, std::nullopt});
  }
  accepted_items_ += accepted.samples.size();
  rejected_items_ += results.size() - accepted.samples.size();
  if (rejected) reply(did, DeviceResponse{req.id, std::move(results)});
}

void DeviceIngest::takeEvent(const std::string& did, const Admitted& device, const DeviceRequest& req,
                             Accepted& accepted) {
  const spec::ProductView& view = *device.view;
  auto refuse = [&](int32_t code, std::string message) {
    ++rejected_items_;
    reply(did, DeviceResponse{req.id, MessageError{code, std::move(message)}});
  };
  const spec::EventEntry* entry = view.event(req.siid, req.iid);
  if (entry == nullptr) return refuse(result::kEventNotFound, fmt::format("no event {}.{}", req.siid, req.iid));
  json::array arguments;
  for (const EventArgument& arg : req.arguments) {
    bool declared = false;
    for (const spec::Argument& a : entry->event->arguments) declared = declared || a.piid == arg.piid;
    const spec::PropertyEntry* property = view.property(req.siid, arg.piid);
    if (!declared || property == nullptr) {
      return refuse(result::kArgumentInvalid, fmt::format("piid {} is not an argument of this event", arg.piid));
    }
    if (auto check = property->checker.check(arg.value, spec::Operation::kArgument); !check.ok()) {
      return refuse(resultCodeFor(check.error, true), property->checker.message(arg.value, check.error));
    }
    arguments.push_back(json::object{{"piid", arg.piid}, {"value", arg.value}});
  }
  ++accepted_items_;
  accepted.events.push_back(
      store::EventRecord{did, req.siid, req.iid, device.ts_ms, core::serializeJson(arguments)});
}

void DeviceIngest::onPublish(const mqtt::ClientIdentity& client, const mqtt::Publish& publish,
                             mqtt::PublishInterceptor::Release release) {
  ++messages_;
  const std::string did(DeviceAuth::deviceOf(client).value_or(""));
  if (publish.topic != DeviceAuth::upTopic(did)) return release(true);  // the authorizer allows no other

  auto parsed = parseDeviceMessage(std::string_view(publish.payload));
  if (!parsed) {
    ++malformed_;
    reply(did, DeviceResponse{parsed.error().id.value_or(0), MessageError{result::kMalformed, parsed.error().reason}});
    return release(true);
  }
  const auto* req = std::get_if<DeviceRequest>(&parsed.value());
  if (req == nullptr) {
    commands_.onDeviceResponse(did, std::get<DeviceResponse>(parsed.value()));
    return release(true);
  }
  if (req->method != Method::kPropertiesChanged && req->method != Method::kEventOccured) {
    ++malformed_;
    reply(did, DeviceResponse{req->id, MessageError{result::kMalformed, fmt::format("a device does not send {}",
                                                                                     methodName(req->method))}});
    return release(true);
  }
  auto device = admit(did);
  if (!device) {
    spdlog::warn("ingest: no product for device {}: {}", did, device.error().toString());
    reply(did, DeviceResponse{req->id, MessageError{result::kDeviceNotFound, device.error().message()}});
    return release(true);
  }

  auto accepted = std::make_shared<Accepted>();
  if (req->method == Method::kPropertiesChanged) {
    takeProperties(did, device.value(), *req, *accepted);
  } else {
    takeEvent(did, device.value(), *req, *accepted);
  }
  if (accepted->samples.empty() && accepted->events.empty()) return release(true);

  history_.append(accepted->samples, accepted->events,
                  [this, did, accepted, release = std::move(release)](const core::Status& stored) {
                    if (!stored.isOk()) {
                      // Not acknowledged as stored, and not announced: the device will send it again.
                      ++store_failures_;
                      // An overloaded writer refuses many appends at once and logs that itself,
                      // rate-limited; other failures are rare and each worth a line.
                      if (stored.code() != core::StatusCode::kResourceExhausted) {
                        spdlog::error("ingest: history append failed: {}", stored.toString());
                      }
                      release(false);
                      return;
                    }
                    release(true);
                    if (accepted->firmware_revision || accepted->serial_number) noteInfo(did, *accepted);
                    for (const auto& s : accepted->samples) {
                      changes_.publish(DeviceChange{DeviceChange::Kind::kProperty, s.did, s.siid, s.piid, s.ts_ms,
                                                    s.value_json, false});
                    }
                    for (const auto& e : accepted->events) {
                      changes_.publish(DeviceChange{DeviceChange::Kind::kEvent, e.did, e.siid, e.eiid, e.ts_ms,
                                                    e.arguments_json, false});
                    }
                    mqtt::Broker* broker = broker_.load();
                    if (broker == nullptr) return;
                    for (const auto& s : accepted->samples) {
                      mqtt::Publish p;
                      p.topic = fmt::format("device/{}/up/properties_changed/{}/{}", s.did, s.siid, s.piid);
                      p.payload = fmt::format(R"({{"value":{},"ts":{}}})", s.value_json, s.ts_ms);
                      broker->publish(std::move(p));
                    }
                    for (const auto& e : accepted->events) {
                      mqtt::Publish p;
                      p.topic = fmt::format("device/{}/up/event_occured/{}/{}", e.did, e.siid, e.eiid);
                      p.payload = fmt::format(R"({{"arguments":{},"ts":{}}})", e.arguments_json, e.ts_ms);
                      broker->publish(std::move(p));
                    }
                  });
}

void DeviceIngest::noteInfo(const std::string& did, const Accepted& accepted) {
  store::DeviceInfo info;
  {
    std::lock_guard lock(devices_mu_);
    store::DeviceInfo& known = info_[did];
    info = known;
    if (accepted.firmware_revision) info.firmware_revision = *accepted.firmware_revision;
    if (accepted.serial_number) info.serial_number = *accepted.serial_number;
    if (info == known) return;  // the usual case: a device repeats its information at every start
    known = info;
  }
  // On the history writer's thread, and only for a change: rare enough not to delay its batches.
  if (core::Status s = devices_.setDeviceInfo(did, info); !s.isOk()) {
    spdlog::warn("ingest: device information of {} not recorded: {}", did, s.toString());
  }
}

std::string DeviceIngest::metricsText() const {
  return fmt::format(
      "# HELP hearth_ingest_messages_total Messages devices published on their up topic.\n"
      "# TYPE hearth_ingest_messages_total counter\nhearth_ingest_messages_total {}\n"
      "# HELP hearth_ingest_malformed_total Device messages refused whole (unreadable or not a report).\n"
      "# TYPE hearth_ingest_malformed_total counter\nhearth_ingest_malformed_total {}\n"
      "# HELP hearth_ingest_items_total Reported properties and events by outcome.\n"
      "# TYPE hearth_ingest_items_total counter\nhearth_ingest_items_total{{result=\"accepted\"}} {}\n"
      "hearth_ingest_items_total{{result=\"rejected\"}} {}\n"
      "# HELP hearth_ingest_store_failures_total History appends that failed.\n"
      "# TYPE hearth_ingest_store_failures_total counter\nhearth_ingest_store_failures_total {}\n",
      messages_.load(), malformed_.load(), accepted_items_.load(), rejected_items_.load(), store_failures_.load());
}

}  // namespace hearth::platform
