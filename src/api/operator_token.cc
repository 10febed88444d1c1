#include "hearth/api/operator_token.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "hearth/core/secrets.h"

namespace hearth::api {

namespace {

constexpr size_t kTokenBytes = 32;

bool isToken(const std::string& text) {
  if (text.size() != kTokenBytes * 2) return false;
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace

std::filesystem::path OperatorToken::pathIn(const std::filesystem::path& data_dir) {
  return data_dir / "operator.token";
}

core::Result<OperatorToken> OperatorToken::loadOrCreate(const std::filesystem::path& data_dir) {
  const std::filesystem::path path = pathIn(data_dir);
  std::ifstream in(path);
  if (in) {
    std::stringstream text;
    text << in.rdbuf();
    std::string token = text.str();
    while (!token.empty() && (token.back() == '\n' || token.back() == '\r')) token.pop_back();
    if (!isToken(token)) return core::Status::corruption(path.string() + " does not hold an operator token");
    return OperatorToken(std::move(token));
  }
  std::string token = core::randomHex(kTokenBytes);
  // Created with its final mode, so the token is never readable by others, not even briefly.
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return core::Status::ioError("cannot create " + path.string());
  const std::string line = token + "\n";
  const bool written = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!written) return core::Status::ioError("cannot write " + path.string());
  return OperatorToken(std::move(token));
}

bool OperatorToken::allows(const http::Request& request) const {
  const std::string_view presented = request.bearerToken();
  return !presented.empty() && core::constantTimeEquals(presented, token_);
}

}  // namespace hearth::api
