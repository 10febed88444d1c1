// Reading the request bodies of the MIoT-compatible app endpoints (/app/v2/..., docs/api.md), as
// Xiaomi's cloud takes them, so that clients written for it can point at Hearth:
//
//   prop/get  {"params":[{"did":"…","siid":2,"piid":1}, …]}
//   prop/set  {"params":[{"did":"…","siid":2,"piid":1,"value":true}, …]}
//   action    {"params":{"did":"…","siid":2,"aiid":1,"in":[…]}}
//   device_list_page {"limit":200,"start_did":"…", …}
//
// Unlike Hearth's own API these readers ignore members they do not know: the app sends many
// (getVirtualModel, get_split_device, …) that have no meaning here. A did may be a string or a
// non-negative integer (old clients send numbers). Pure functions over text, fuzzed
// (tests/fuzz/api_body); never throw.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/value.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "hearth/core/status.h"

namespace hearth::api {

inline constexpr size_t kMaxMiotParams = 100;

struct MiotProperty {
  std::string did;
  uint32_t siid = 0;
  uint32_t piid = 0;
  boost::json::value value;  // prop/set only
};

struct MiotAction {
  std::string did;
  uint32_t siid = 0;
  uint32_t aiid = 0;
  boost::json::array in;
};

struct MiotPage {
  size_t limit = 200;
  std::string start_did;
};

// 1 to kMaxMiotParams properties; with `with_values`, each must have a "value".
core::Result<std::vector<MiotProperty>, std::string> readMiotProperties(std::string_view body, bool with_values);
core::Result<MiotAction, std::string> readMiotAction(std::string_view body);
// limit 1..`max_limit` (default min(200, max_limit)); an empty body is the first page.
core::Result<MiotPage, std::string> readMiotPage(std::string_view body, size_t max_limit);

}  // namespace hearth::api
