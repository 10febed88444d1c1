// Fuzzes the API's request-body readers: any bytes a client sends as the body of a sign-up, login,
// password change or invitation. They must refuse with a reason or return exactly the members
// asked for, of their types.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

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
      if (!read.value().contains(std::string(name))) std::abort();
    }
  }
  using hearth::api::MemberSpec;
  auto read = hearth::api::readMembers(
      body, {{"email", MemberSpec::Type::kString, true}, {"until_ms", MemberSpec::Type::kInteger, false}});
  if (!read) {
    if (read.error().empty()) std::abort();
  } else if (!read.value().contains("email") || !read.value().at("email").is_string() ||
             (read.value().contains("until_ms") && !read.value().at("until_ms").is_int64()) ||
             read.value().size() > 2) {
    std::abort();
  }
  return 0;
}
