// The device protocol's messages (docs/protocol.md, "Messages"): JSON-RPC in the shape of
// Xiaomi's MIoT device protocol, on device/<did>/up (device → cloud) and device/<did>/down
// (cloud → device).
//
//   {"id":7,"method":"properties_changed","params":[{"siid":2,"piid":1,"value":true}]}
//   {"id":8,"method":"event_occured","params":{"siid":5,"eiid":1,"arguments":[{"piid":1,"value":3}]}}
//   {"id":9,"method":"get_properties","params":[{"siid":2,"piid":1}]}
//   {"id":9,"result":[{"siid":2,"piid":1,"code":0,"value":true}]}
//   {"id":10,"method":"action","params":{"siid":3,"aiid":1,"in":[60]}}
//   {"id":10,"result":{"siid":3,"aiid":1,"code":0,"out":[]}}
//   {"id":11,"error":{"code":-704000000,"message":"..."}}
//
// Parsing is strict about what it reads (types, ranges, required members) and ignores members it
// does not know (such as MIoT's "did" inside items), so newer devices still talk to older clouds.
// Pure functions over text: no I/O, no allocation beyond the result, never throw.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "hearth/core/status.h"

namespace hearth::platform {

enum class Method : uint8_t { kPropertiesChanged, kEventOccured, kGetProperties, kSetProperties, kAction };

std::string_view methodName(Method method);  // "properties_changed", ...

// One property in properties_changed, set_properties (with a value) or get_properties (value
// null and not written).
struct PropertyItem {
  uint32_t siid = 0;
  uint32_t piid = 0;
  boost::json::value value;
  friend bool operator==(const PropertyItem&, const PropertyItem&) = default;
};

struct EventArgument {
  uint32_t piid = 0;
  boost::json::value value;
  friend bool operator==(const EventArgument&, const EventArgument&) = default;
};

struct DeviceRequest {
  uint64_t id = 0;
  Method method = Method::kPropertiesChanged;
  std::vector<PropertyItem> properties;  // properties_changed, get_properties, set_properties
  uint32_t siid = 0;                     // event_occured, action
  uint32_t iid = 0;                      // the eiid or aiid
  std::vector<EventArgument> arguments;  // event_occured
  boost::json::array in;                 // action
  friend bool operator==(const DeviceRequest&, const DeviceRequest&) = default;
};

struct PropertyResult {
  uint32_t siid = 0;
  uint32_t piid = 0;
  int32_t code = 0;                      // platform/result_code.h
  std::optional<boost::json::value> value;  // get_properties answers
  friend bool operator==(const PropertyResult&, const PropertyResult&) = default;
};

struct ActionResult {
  uint32_t siid = 0;
  uint32_t aiid = 0;
  int32_t code = 0;
  boost::json::array out;
  friend bool operator==(const ActionResult&, const ActionResult&) = default;
};

struct MessageError {
  int32_t code = 0;
  std::string message;
  friend bool operator==(const MessageError&, const MessageError&) = default;
};

// A reply: per-property results, an action result, or an error for the whole request.
struct DeviceResponse {
  uint64_t id = 0;
  std::variant<std::vector<PropertyResult>, ActionResult, MessageError> body;
  friend bool operator==(const DeviceResponse&, const DeviceResponse&) = default;
};

using DeviceMessage = std::variant<DeviceRequest, DeviceResponse>;

// Why a message was refused: `reason` for a person ("params[1].piid: not an unsigned 32-bit
// integer"), and the request id when it could be read, so the error reply can carry it.
struct ParseFailure {
  std::string reason;
  std::optional<uint64_t> id;
  friend bool operator==(const ParseFailure&, const ParseFailure&) = default;
};

// Items in one message, at most: bounds the work one publish can cause.
inline constexpr size_t kMaxItems = 256;

core::Result<DeviceMessage, ParseFailure> parseDeviceMessage(std::string_view text);
// The "method" and "params" of a request in an already parsed object (an API body that asks for
// a command): the same rules as parseDeviceMessage, without an id. Parse the text with
// core::parseJson so that numbers stay exact.
core::Result<DeviceRequest, ParseFailure> parseRequestMembers(const boost::json::object& members);
std::string serializeDeviceMessage(const DeviceMessage& message);

}  // namespace hearth::platform
