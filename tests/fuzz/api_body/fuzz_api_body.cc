// Fuzzes the API's request-body reader: any bytes a client sends as the body of a sign-up, login
// or password change. It must refuse with a reason or return exactly the members asked for.
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
  return 0;
}
