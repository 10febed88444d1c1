// Device changes inside the platform: every accepted property value and event, and every
// online/offline change, handed to whoever registered for them (the API's push, automations),
// in the same order and with the same content as the MQTT announcements (docs/protocol.md).
//
// A change is delivered after it is stored (values and events: after the history batch that
// holds them is durable; presence: when the broker reports it, before the registry write).
// Changes of one device arrive in order; changes of different devices may interleave.
//
// Ownership: the hub does not own its listeners, which must outlive it. Thread-safety: listen()
// only before the first publish (start-up wiring); publish() from any thread. Listeners are called
// on the publishing thread (the history writer, an event loop) and must not block: queue and
// return.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace hearth::platform {

struct DeviceChange {
  enum class Kind : uint8_t { kProperty, kEvent, kPresence };
  Kind kind = Kind::kProperty;
  std::string did;
  uint32_t siid = 0;
  uint32_t iid = 0;        // piid of a property, eiid of an event
  int64_t ts_ms = 0;
  std::string json;        // kProperty: the value; kEvent: the arguments array (canonical JSON)
  bool online = false;     // kPresence
};

class DeviceChangeListener {
 public:
  virtual ~DeviceChangeListener() = default;
  virtual void onDeviceChange(const DeviceChange& change) = 0;
};

class DeviceChanges {
 public:
  void listen(DeviceChangeListener& listener) { listeners_.push_back(&listener); }
  bool empty() const { return listeners_.empty(); }
  void publish(const DeviceChange& change) const {
    for (DeviceChangeListener* l : listeners_) l->onDeviceChange(change);
  }

 private:
  std::vector<DeviceChangeListener*> listeners_;
};

}  // namespace hearth::platform
