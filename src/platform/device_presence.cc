#include "hearth/platform/device_presence.h"

#include <boost/json.hpp>

#include "hearth/platform/device_auth.h"

namespace hearth::platform {

namespace {

core::GroupCommitWriter<store::PresenceChange>::Options writerOptions(const core::Clock& clock) {
  core::GroupCommitWriter<store::PresenceChange>::Options o;
  o.name = "presence";
  o.limits = DevicePresence::kLimits;
  o.size_of = [](const store::PresenceChange& c) { return sizeof c + c.did.size(); };
  o.clock = &clock;
  return o;
}

}  // namespace

DevicePresence::DevicePresence(store::DeviceStore& store, const DeviceChanges& changes, const core::Clock& clock)
    : store_(store),
      changes_(changes),
      clock_(clock),
      writer_(writerOptions(clock),
              [this](std::vector<store::PresenceChange>& batch) { return store_.setPresence(batch); }) {}

DevicePresence::~DevicePresence() = default;

std::string DevicePresence::stateTopic(std::string_view did) { return "device/" + std::string(did) + "/state"; }

core::Status DevicePresence::recover() {
  auto dids = store_.markAllOffline(clock_.unixMillis());
  if (!dids) return dids.error();
  std::lock_guard lock(mu_);
  recovered_ = std::move(dids).value();
  return core::Status::ok();
}

void DevicePresence::start(mqtt::Broker& broker) {
  std::lock_guard lock(mu_);
  broker_ = &broker;
  const int64_t now = clock_.unixMillis();
  for (const std::string& did : recovered_) {
    if (!seen_.contains(did)) announceLocked(did, false, now, "server-restart");
  }
  recovered_.clear();
  seen_.clear();
}

void DevicePresence::onClientConnected(const mqtt::ClientIdentity& client) {
  if (auto did = DeviceAuth::deviceOf(client)) change(*did, true, {});
}

void DevicePresence::onClientDisconnected(const mqtt::ClientIdentity& client, mqtt::ClientEnd end) {
  auto did = DeviceAuth::deviceOf(client);
  // A takeover: the device's new connection has announced it online already.
  if (!did || end == mqtt::ClientEnd::kTakenOver) return;
  change(*did, false, mqtt::clientEndName(end));
}

void DevicePresence::change(std::string_view did, bool online, std::string_view reason) {
  const int64_t now = clock_.unixMillis();
  {
    std::lock_guard lock(mu_);
    // Under mu_, like the announcement, so the registry and listeners see a device's changes in
    // order.
    // Never waits (this is an event loop). Refused only past kLimits: logged and counted by the
    // writer, and the registry is behind until the device's next change.
    (void)writer_.push(store::PresenceChange{std::string(did), online, now});
    changes_.publish(DeviceChange{DeviceChange::Kind::kPresence, std::string(did), 0, 0, now, {}, online});
    if (broker_ == nullptr) {
      seen_.insert(std::string(did));
    } else {
      announceLocked(did, online, now, reason);
    }
  }
}

void DevicePresence::announceLocked(std::string_view did, bool online, int64_t at_ms, std::string_view reason) {
  boost::json::object state{{"online", online}, {"ts", at_ms}};
  if (!reason.empty()) state["reason"] = reason;
  mqtt::Publish p;
  p.topic = stateTopic(did);
  p.payload = boost::json::serialize(state);
  p.qos = mqtt::QoS::k1;
  p.retain = true;
  broker_->publish(std::move(p));
}

}  // namespace hearth::platform
