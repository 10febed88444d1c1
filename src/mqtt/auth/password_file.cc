#include "mqtt/auth/password_file.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <vector>

#include <fmt/format.h>

#include "hearth/core/config.h"

namespace hearth::mqtt {
namespace {

constexpr std::string_view kWhitespace = " \t\r";

std::string_view trimRight(std::string_view s) {
  size_t end = s.find_last_not_of(kWhitespace);
  return end == std::string_view::npos ? std::string_view{} : s.substr(0, end + 1);
}

bool isCommentOrBlank(std::string_view line) {
  size_t first = line.find_first_not_of(kWhitespace);
  return first == std::string_view::npos || line[first] == '#';
}

// Splits text into lines without their '\n'.
std::vector<std::string_view> splitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    lines.push_back(text.substr(pos, nl - pos));
    pos = nl + 1;
  }
  return lines;
}

// The user name of an entry line, or "" for a comment or blank line. Throws on a malformed line.
std::string_view entryUser(std::string_view line, std::string_view source, size_t line_no,
                           std::string_view* hash_out) {
  if (isCommentOrBlank(line)) return {};
  line = trimRight(line);
  size_t colon = line.find(':');
  auto fail = [&](std::string_view what) {
    throw core::ConfigError(fmt::format("{}:{}: {}", source, line_no, what));
  };
  if (colon == std::string_view::npos) fail("expected 'username:hash'");
  std::string_view user = line.substr(0, colon);
  std::string_view hash = line.substr(colon + 1);
  if (core::Status s = validateUsername(user); !s.isOk()) fail(s.message());
  // libsodium's crypto_pwhash_str writes argon2id; argon2i strings verify too.
  if (!hash.starts_with("$argon2id$") && !hash.starts_with("$argon2i$")) {
    fail(fmt::format("user '{}': the hash is not an argon2 string from crypto_pwhash_str", user));
  }
  if (hash.size() >= crypto_pwhash_STRBYTES) fail(fmt::format("user '{}': hash too long", user));
  if (hash_out != nullptr) *hash_out = hash;
  return user;
}

}  // namespace

core::Status validateUsername(std::string_view username) {
  if (username.empty()) return core::Status::invalidArgument("empty user name");
  if (username.find(':') != std::string_view::npos) {
    return core::Status::invalidArgument("a user name may not contain ':'");
  }
  if (username.front() == '#' || username.front() == ' ' || username.front() == '\t' ||
      username.back() == ' ' || username.back() == '\t') {
    return core::Status::invalidArgument(
        "a user name may not start with '#' or whitespace, nor end with whitespace");
  }
  for (char c : username) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      return core::Status::invalidArgument("a user name may not contain control characters");
    }
  }
  return core::Status::ok();
}

PasswordTable parsePasswordFile(std::string_view text, std::string_view source) {
  PasswordTable table;
  std::vector<std::string_view> lines = splitLines(text);
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string_view hash;
    std::string_view user = entryUser(lines[i], source, i + 1, &hash);
    if (user.empty()) continue;
    if (!table.emplace(std::string(user), std::string(hash)).second) {
      throw core::ConfigError(fmt::format("{}:{}: user '{}' appears twice", source, i + 1, user));
    }
  }
  return table;
}

core::Result<std::string> readWholeFile(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec) && !ec) {
    return core::Status::notFound(fmt::format("{}: no such file", path.string()));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return core::Status::ioError(fmt::format("{}: {}", path.string(), std::strerror(errno)));
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) return core::Status::ioError(fmt::format("{}: read failed", path.string()));
  return std::move(buffer).str();
}

PasswordTable loadPasswordFile(const std::filesystem::path& path) {
  core::Result<std::string> text = readWholeFile(path);
  if (!text) throw core::ConfigError("password file " + text.error().message());
  return parsePasswordFile(*text, path.string());
}

core::Status writeFileAtomically(const std::filesystem::path& path, std::string_view contents) {
  std::filesystem::path dir = path.parent_path();
  if (dir.empty()) dir = ".";
  std::string tmp = (dir / ("." + path.filename().string() + ".XXXXXX")).string();
  int fd = ::mkstemp(tmp.data());  // mode 0600
  if (fd < 0) return core::Status::ioError(fmt::format("{}: {}", tmp, std::strerror(errno)));
  auto fail = [&](std::string_view what) {
    core::Status s = core::Status::ioError(fmt::format("{}: {}: {}", tmp, what, std::strerror(errno)));
    ::close(fd);
    ::unlink(tmp.c_str());
    return s;
  };
  struct stat existing {};
  if (::stat(path.c_str(), &existing) == 0 && ::fchmod(fd, existing.st_mode & 07777) != 0) {
    return fail("fchmod");
  }
  size_t written = 0;
  while (written < contents.size()) {
    ssize_t n = ::write(fd, contents.data() + written, contents.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail("write");
    }
    written += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) return fail("fsync");
  if (::close(fd) != 0) {
    ::unlink(tmp.c_str());
    return core::Status::ioError(fmt::format("{}: close: {}", tmp, std::strerror(errno)));
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    core::Status s = core::Status::ioError(fmt::format("rename {} to {}: {}", tmp, path.string(), std::strerror(errno)));
    ::unlink(tmp.c_str());
    return s;
  }
  // The rename is durable only once the directory entry is.
  if (int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY); dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
  return core::Status::ok();
}

core::Status setPasswordFileUser(const std::filesystem::path& file, std::string_view username,
                                 std::string_view password, PasswordHashCost cost) {
  HEARTH_RETURN_IF_ERROR(validateUsername(username));
  if (password.empty()) return core::Status::invalidArgument("empty password");
  std::string text;
  if (core::Result<std::string> r = readWholeFile(file); r.isOk()) {
    text = std::move(r).value();
  } else if (r.error().code() != core::StatusCode::kNotFound) {
    return r.error();
  }
  core::Result<std::string> hash = core::hashPassword(password, cost);
  if (!hash) return hash.error();
  std::string entry = fmt::format("{}:{}", username, *hash);

  std::string out;
  bool replaced = false;
  try {
    std::vector<std::string_view> lines = splitLines(text);
    for (size_t i = 0; i < lines.size(); ++i) {
      bool match = entryUser(lines[i], file.string(), i + 1, nullptr) == username;
      out += match ? std::string_view(entry) : lines[i];
      out += '\n';
      replaced = replaced || match;
    }
  } catch (const core::ConfigError& e) {
    return core::Status::invalidArgument(e.what());
  }
  if (!replaced) out += entry + '\n';
  return writeFileAtomically(file, out);
}

core::Status removePasswordFileUser(const std::filesystem::path& file, std::string_view username) {
  core::Result<std::string> text = readWholeFile(file);
  if (!text) return text.error();
  std::string out;
  bool removed = false;
  try {
    std::vector<std::string_view> lines = splitLines(*text);
    for (size_t i = 0; i < lines.size(); ++i) {
      if (entryUser(lines[i], file.string(), i + 1, nullptr) == username && !username.empty()) {
        removed = true;
        continue;
      }
      out += lines[i];
      out += '\n';
    }
  } catch (const core::ConfigError& e) {
    return core::Status::invalidArgument(e.what());
  }
  if (!removed) return core::Status::notFound(fmt::format("no user '{}' in {}", username, file.string()));
  return writeFileAtomically(file, out);
}

core::Result<std::string> readPasswordFromStdin() {
  bool tty = ::isatty(STDIN_FILENO) != 0;
  termios saved{};
  if (tty && ::tcgetattr(STDIN_FILENO, &saved) == 0) {
    std::fputs("Password: ", stderr);
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
  } else {
    tty = false;
  }
  std::string line;
  bool got = static_cast<bool>(std::getline(std::cin, line));
  if (tty) {
    ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
    std::fputs("\n", stderr);
  }
  if (!got) return core::Status::invalidArgument("no password on standard input");
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

}  // namespace hearth::mqtt
