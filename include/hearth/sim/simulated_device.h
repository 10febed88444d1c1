// A virtual device that behaves like the real product: its state, how the state moves with time,
// and how it answers get/set/action, all derived from the product's MIoT spec.
//
// Behaviour follows the device type of the spec (urn ...:device:<type>:...) and the standard
// names of its properties, so any maker's light or curtain behaves, not a hand-picked list:
//   light                        on, brightness, colour temperature, colour: kept as set
//   outlet / switch              electric-power (or surge-power) drawn while on (with noise), energy counted up
//   air-conditioner              room temperature drifts toward target-temperature while on
//                                (faster at higher fan levels), toward the outdoors while off
//   temperature-humidity-sensor  a daily curve plus noise
//   motion-sensor, magnet-sensor random motion / open-and-close events
//   curtain                      current-position moves toward target-position (or motor-control)
//   vacuum                       start-sweep → cleaning → returning → charging → idle, with the
//                                battery draining and filling
// Every other property answers with a valid value of its range or list and keeps what is set.
//
// Time is what step() is told, so tests and accelerated runs are deterministic for a seed.
// Values are always valid for the spec (quantised to range and step).
//
// Thread-safety: a SimProduct is immutable and shared by its devices across threads; a
// SimulatedDevice is used by one thread at a time.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "hearth/sim/device_client.h"
#include "hearth/spec/model.h"

namespace hearth::sim {

class SimProduct;

// What changed and should be reported.
struct Changes {
  struct Event {
    uint32_t siid = 0;
    uint32_t eiid = 0;
    std::vector<EventArg> arguments;
  };
  std::vector<PropertyValue> properties;
  std::vector<Event> events;
  bool empty() const { return properties.empty() && events.empty(); }
};

class SimulatedDevice {
 public:
  // `seed` makes the device's randomness (initial state, noise, events) reproducible;
  // `time_of_day_s` is where its day starts (seconds after midnight), for daily curves.
  SimulatedDevice(std::shared_ptr<const SimProduct> product, uint64_t seed, double time_of_day_s = 12 * 3600);

  // Lets `seconds` of device time pass; adds what changed, as the device would report it.
  void step(double seconds, Changes& out);
  GetResult get(uint32_t siid, uint32_t piid) const;
  // A set checked against the spec (-704220043 for a bad value, -704054023 when not writable);
  // the change, and what follows from it, is added to `out`.
  int32_t set(uint32_t siid, uint32_t piid, const boost::json::value& value, Changes& out);
  ActionResult action(uint32_t siid, uint32_t aiid, const boost::json::array& in, Changes& out);
  // Every property the device may report (read or notify), as reported when it comes online.
  void snapshot(Changes& out) const;
  // One reading (its first reportable number or switch, as it is now), as a device reporting on
  // a timer sends; nothing for a device without one.
  void reading(Changes& out) const;

  // The current value; null for a property the product does not have.
  const boost::json::value& value(uint32_t siid, uint32_t piid) const;
  const SimProduct& product() const { return *product_; }

 private:
  struct Clock {
    double day_s = 0;     // seconds after midnight
    double phase_s = 0;   // time in the current phase (vacuum, door)
    double since_report_s = 0;
  };

  void setIndex(int index, boost::json::value value, Changes& out);
  void setNumber(int index, double x, Changes& out);
  double number(int index) const;
  bool flag(int index) const;
  void stepPlug(double dt, bool report, Changes& out);
  void stepAirConditioner(double dt, Changes& out);
  void stepSensor(bool report, Changes& out);
  void stepMotion(double dt, Changes& out);
  void stepDoor(double dt, Changes& out);
  void stepCurtain(double dt, Changes& out);
  void stepVacuum(double dt, Changes& out);
  void afterSet(int index, Changes& out);
  void vacuumPhase(int phase, Changes& out);
  void emit(std::pair<uint32_t, uint32_t> event, Changes& out) const;
  double noise(double sigma);
  bool chance(double dt, double mean_interval_s);

  std::shared_ptr<const SimProduct> product_;
  std::vector<boost::json::value> values_;  // by the product's property index
  std::mt19937_64 rng_;
  Clock clock_;
  // Kept precisely and reported quantised: a change smaller than half a step still adds up.
  double energy_wh_ = 0;     // plugs
  double room_c_ = 28;       // air conditioners: the room's temperature
  double position_ = 0;      // curtains: 0 closed .. 100 open
  double curtain_target_ = 0;
  double battery_pct_ = 100;  // vacuums drain and charge it
  double outdoor_c_ = 30;    // air conditioners: where the room drifts while off
  double base_load_w_ = 60;  // plugs: what the appliance draws
  double since_motion_s_ = 1e9;
  int phase_ = 0;            // vacuum: 0 idle, 1 cleaning, 2 returning, 3 charging; door: 0 closed, 1 open
};

// Reads a product's spec once for all its devices: a checker per property and where the
// properties, events and actions each behaviour uses are.
class SimProduct {
 public:
  explicit SimProduct(spec::Instance instance);
  SimProduct(const SimProduct&) = delete;  // its slots point into its own spec
  SimProduct& operator=(const SimProduct&) = delete;

  const spec::Instance& spec() const { return spec_; }
  std::string_view deviceType() const { return spec_.type.name(); }  // "light", "curtain", ...

 private:
  friend class SimulatedDevice;
  struct Slot {
    uint32_t siid = 0;
    uint32_t piid = 0;
    const spec::Property* property = nullptr;  // points into spec_
    std::string_view service;                  // service type name
    std::string_view name;                     // property type name
  };
  enum class Kind { kGeneric, kLight, kPlug, kAirConditioner, kSensor, kMotion, kDoor, kCurtain, kVacuum };

  int index(uint32_t siid, uint32_t piid) const;
  // The first property named `name`, in a service named `service` when there is one.
  int find(std::string_view name, std::string_view service = {}) const;
  // A value-list entry of `index` whose description contains one of `words` (lower case), or -1.
  int64_t listValue(int index, std::initializer_list<std::string_view> words,
                    std::initializer_list<std::string_view> unless = {}) const;

  const spec::Instance spec_;
  Kind kind_ = Kind::kGeneric;
  std::vector<Slot> slots_;
  // Roles (property indices, -1 when absent).
  int on_ = -1, power_ = -1, energy_ = -1, temperature_ = -1, target_temperature_ = -1, fan_level_ = -1,
      humidity_ = -1, illumination_ = -1, current_position_ = -1, target_position_ = -1, motor_ = -1,
      status_ = -1, battery_ = -1, charging_state_ = -1;
  // Events and actions by (siid, iid); siid 0 when absent.
  std::pair<uint32_t, uint32_t> motion_event_{}, no_motion_event_{}, open_event_{}, close_event_{};
  std::pair<uint32_t, uint32_t> start_action_{}, stop_action_{}, charge_action_{};
};

}  // namespace hearth::sim
