// The operator's credential for hearthd's HTTP API: a random bearer token that hearthd creates in
// `<data_dir>/operator.token` (mode 0600) on first start and keeps. Whoever can read the data
// directory administers the server, as with the registry file itself; scripts and the command
// line send it as `Authorization: Bearer <token>`. People's accounts and their per-home rights
// come with the app API and will sit beside it.
//
// Thread-safety: immutable after load. Errors: loadOrCreate returns kIoError when the file
// cannot be read or written, kCorruption when it does not hold a token; never throws.
#pragma once

#include <filesystem>
#include <string>

#include "hearth/core/status.h"
#include "hearth/http/server.h"

namespace hearth::api {

class OperatorToken {
 public:
  static core::Result<OperatorToken> loadOrCreate(const std::filesystem::path& data_dir);
  static std::filesystem::path pathIn(const std::filesystem::path& data_dir);

  // Whether the request carries this token (compared in constant time).
  bool allows(const http::Request& request) const;

 private:
  explicit OperatorToken(std::string token) : token_(std::move(token)) {}
  std::string token_;  // 64 hex digits
};

}  // namespace hearth::api
