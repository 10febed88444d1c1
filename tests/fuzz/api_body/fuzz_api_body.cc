// Fuzzes the API's request-body readers: any bytes a client sends as the body of a sign-up, login,
// password change or invitation, or of a MIoT-compatible app request. They must refuse with a
// reason or return exactly the members asked for, of their types, within their limits.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "hearth/api/miot_request.h"
#include "hearth/api/request_body.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  for (auto names : {std::initializer_list<std::string_view>{"email", "password"},
                     std::initializer_list<std::string_view>{"refresh_token"}}) {
    auto read = hearth::api::readStringMembers(body, names);
    if (!read) {
      if (read.error().empty()) std::abort();  // every refusal says why
      continue;
    }
    if (read.value().size() != names.size()) std::abort();
    for (std::string_view name : names) {
      if (read.value().string(name, "\xff absent") == "\xff absent") std::abort();
    }
  }
  using hearth::api::MemberSpec;
  auto read = hearth::api::readMembers(
      body, {{"email", MemberSpec::Type::kString, true}, {"until_ms", MemberSpec::Type::kInteger, false}});
  if (!read) {
    if (read.error().empty()) std::abort();
  } else if (read.value().string("email", "\xff absent") == "\xff absent" ||
             read.value().has("until_ms") != read.value().integer("until_ms").has_value() ||
             read.value().size() > 2) {
    std::abort();
  }
  for (bool with_values : {false, true}) {
    auto properties = hearth::api::readMiotProperties(body, with_values);
    if (!properties) {
      if (properties.error().empty()) std::abort();
      continue;
    }
    if (properties.value().empty() || properties.value().size() > hearth::api::kMaxMiotParams) std::abort();
    for (const auto& p : properties.value()) {
      if (p.did.empty() || p.siid == 0 || p.piid == 0) std::abort();
    }
  }
  auto action = hearth::api::readMiotAction(body);
  if (action ? (action.value().did.empty() || action.value().siid == 0 || action.value().aiid == 0)
             : action.error().empty()) {
    std::abort();
  }
  auto page = hearth::api::readMiotPage(body, 300);
  if (page ? (page.value().limit < 1 || page.value().limit > 300) : page.error().empty()) std::abort();
  return 0;
}
