#include "hearth/platform/result_code.h"

namespace hearth::platform {

int32_t resultCodeFor(spec::ValueError error, bool argument) {
  switch (error) {
    case spec::ValueError::kOk: return result::kDone;
    case spec::ValueError::kNotWritable: return result::kNotWritable;
    case spec::ValueError::kNotReadable: return result::kNotReadable;
    case spec::ValueError::kArgumentCount: return result::kArgumentCount;
    case spec::ValueError::kWrongType:
    case spec::ValueError::kOutOfRange:
    case spec::ValueError::kOffStep:
    case spec::ValueError::kNotInList:
    case spec::ValueError::kStringTooLong:
    case spec::ValueError::kUndefined: return argument ? result::kArgumentInvalid : result::kValueInvalid;
  }
  return result::kInternal;
}

std::string_view resultCodeName(int32_t code) {
  switch (code) {
    case result::kDone: return "done";
    case result::kAccepted: return "accepted";
    case result::kMalformed: return "malformed message";
    case result::kUnauthorized: return "unauthorized";
    case result::kDeviceNotFound: return "device not found";
    case result::kServiceNotFound: return "service not found";
    case result::kPropertyNotFound: return "property not found";
    case result::kEventNotFound: return "event not found";
    case result::kActionNotFound: return "action not found";
    case result::kDeviceOffline: return "device offline";
    case result::kNotReadable: return "property not readable";
    case result::kNotWritable: return "property not writable";
    case result::kValueInvalid: return "value invalid";
    case result::kArgumentCount: return "wrong number of action arguments";
    case result::kArgumentInvalid: return "action argument invalid";
    case result::kTimeout: return "device timed out";
    case result::kInvalidInState: return "invalid in the device's current state";
    case result::kActionFailed: return "action failed on the device";
    case result::kInternal: return "internal error";
    default: return "error";
  }
}

}  // namespace hearth::platform
