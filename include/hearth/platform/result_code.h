// The result codes of the device protocol and of commands, in MIoT's scheme: 0 done, 1 accepted
// (the device will report completion), and negative codes -70xxxyzzz where xxx is an HTTP status,
// y where the error arose (0 client, 1 open platform, 2 device cloud, 3 device, 4 MIoT-Spec) and
// zzz what went wrong (Xiaomi's control API, "状态码"). This is the one table in the code;
// docs/protocol.md prints the same table.
#pragma once

#include <cstdint>
#include <string_view>

#include "hearth/spec/value_check.h"

namespace hearth::platform {

enum class ErrorSource : uint8_t { kClient = 0, kOpenPlatform = 1, kDeviceCloud = 2, kDevice = 3, kSpec = 4 };

constexpr int32_t miotCode(int http_status, ErrorSource source, int error) {
  return -(700000000 + http_status * 10000 + static_cast<int>(source) * 1000 + error);
}

namespace result {
inline constexpr int32_t kDone = 0;
inline constexpr int32_t kAccepted = 1;
inline constexpr int32_t kMalformed = miotCode(400, ErrorSource::kClient, 0);             // -704000000
inline constexpr int32_t kUnauthorized = miotCode(401, ErrorSource::kClient, 0);            // -704010000
inline constexpr int32_t kDeviceNotFound = miotCode(404, ErrorSource::kDeviceCloud, 1);   // -704042001
inline constexpr int32_t kServiceNotFound = miotCode(404, ErrorSource::kSpec, 2);         // -704044002
inline constexpr int32_t kPropertyNotFound = miotCode(404, ErrorSource::kSpec, 3);        // -704044003
inline constexpr int32_t kEventNotFound = miotCode(404, ErrorSource::kSpec, 4);           // -704044004
inline constexpr int32_t kActionNotFound = miotCode(404, ErrorSource::kSpec, 5);          // -704044005
inline constexpr int32_t kDeviceOffline = miotCode(404, ErrorSource::kDeviceCloud, 11);   // -704042011
inline constexpr int32_t kNotReadable = miotCode(405, ErrorSource::kSpec, 13);            // -704054013
inline constexpr int32_t kNotWritable = miotCode(405, ErrorSource::kSpec, 23);            // -704054023
inline constexpr int32_t kValueInvalid = miotCode(422, ErrorSource::kClient, 43);         // -704220043
inline constexpr int32_t kArgumentCount = miotCode(422, ErrorSource::kClient, 25);        // -704220025
inline constexpr int32_t kArgumentInvalid = miotCode(422, ErrorSource::kClient, 35);      // -704220035
inline constexpr int32_t kTimeout = miotCode(408, ErrorSource::kDevice, 36);              // -704083036
inline constexpr int32_t kInvalidInState = miotCode(405, ErrorSource::kDevice, 100);      // -704053100
inline constexpr int32_t kActionFailed = miotCode(500, ErrorSource::kDevice, 15);         // -705003015
inline constexpr int32_t kInternal = miotCode(500, ErrorSource::kDeviceCloud, 0);         // -705002000
}  // namespace result

// The code for a value the spec checker refused; `argument` for an action or event argument.
int32_t resultCodeFor(spec::ValueError error, bool argument);

// "done", "device offline", ...; "error <code>" for a code outside the table.
std::string_view resultCodeName(int32_t code);

}  // namespace hearth::platform
