// File-based authentication and authorization for the MQTT broker: users with argon2id hashes in
// a password file, mosquitto-like topic rules in an ACL file.
//
// Policy (what hearthd does with the [auth] options; hearthd always installs FileAuth for the
// clients that are neither devices nor apps):
//   - A client is anonymous when it sends no user name or an empty one, or when no password file
//     is configured (then user names are not verified, so they are dropped rather than trusted).
//   - Anonymous clients are refused (CONNACK Not Authorized) unless auth.allow_anonymous is true.
//     Whatever the files say, they get nothing under device/ (platform::DeviceAuth).
//   - No ACL file: every admitted client may publish and subscribe to everything.
// Password file: one "username:<crypto_pwhash_str string>" per line, '#' comments, blank lines.
// ACL file: see src/mqtt/auth/acl.h for the grammar and the matching rules.
//
// Ownership: the embedder owns FileAuth and passes it to BrokerOptions as both authenticator and
// authorizer; it must outlive the broker. With a password file, FileAuth owns a small pool of
// threads that run the slow password verification (~50 ms, 64 MiB each) off the event loops; they
// are joined by ~FileAuth.
//
// Thread-safety: authenticate(), allowed(), reload() and stats() may be called concurrently from
// any thread. allowed() takes no lock on its fast path: it reads an immutable snapshot of the
// files, cached per thread and revalidated with one atomic load (a thread takes a mutex once
// after each reload). A thread's cached snapshot outlives FileAuth until that thread exits or
// uses another FileAuth.
//
// Errors: the constructor throws core::ConfigError ("file:line: what") on unreadable or invalid
// files. authenticate() and allowed() never throw. reload() reports errors as a Status and keeps
// the previous files in force.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "hearth/core/config.h"
#include "hearth/core/secrets.h"
#include "hearth/core/status.h"
#include "hearth/mqtt/auth.h"

namespace hearth::mqtt {

struct FileAuthOptions {
  std::string password_file;  // "" = no passwords: every client is anonymous
  std::string acl_file;       // "" = no ACL: admitted clients may use every topic
  bool allow_anonymous = false;
  size_t verify_threads = 2;            // threads running crypto_pwhash_str_verify
  size_t verify_queue_capacity = 256;   // waiting verifications; beyond it CONNECT gets Server Busy
  size_t cache_capacity = 10000;        // remembered successful logins; cleared when full
};

// The [auth] options of hearthd's configuration, and how they map onto FileAuthOptions.
std::vector<core::OptionSpec> authOptionSpecs();
FileAuthOptions fileAuthOptionsFromConfig(const core::Config& config);

class FileAuth final : public Authenticator, public Authorizer {
 public:
  // Reads both files. Throws core::ConfigError on any error.
  explicit FileAuth(FileAuthOptions options);
  // Finishes verifications in progress; queued ones are answered with Server Unavailable.
  ~FileAuth() override;
  FileAuth(const FileAuth&) = delete;
  FileAuth& operator=(const FileAuth&) = delete;

  // Calls `done` synchronously for anonymous clients, cache hits, missing passwords and a full
  // queue (Server Busy); otherwise later, from a verification thread. Wrong password and unknown
  // user both give Bad User Name or Password with the same reason string.
  void authenticate(const ConnectCredentials& credentials,
                    std::function<void(AuthDecision)> done) override;

  // Publish needs a write rule, subscribe and read a read rule; a "$share/<group>/" prefix is
  // stripped (see src/mqtt/auth/acl.h for how deny rules meet wildcard filters).
  bool allowed(const ClientIdentity& client, AccessKind kind, std::string_view topic) override;

  // Re-reads both files and swaps them in atomically; clears the login cache. On error the
  // previous files stay in force.
  core::Status reload();

  struct Stats {
    uint64_t cache_hits = 0;
    uint64_t verifications = 0;    // crypto_pwhash_str_verify calls that ran
    uint64_t busy_rejections = 0;  // CONNECTs answered Server Busy
  };
  Stats stats() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

using core::PasswordHashCost;

// Adds `username` to the password file or replaces its hash, creating the file (mode 0600) if
// needed. Other lines, comments included, are kept. The file is replaced atomically (temporary
// file + rename). Errors: InvalidArgument (bad user name, empty password, unparsable file),
// IoError.
core::Status setPasswordFileUser(const std::filesystem::path& file, std::string_view username,
                                 std::string_view password,
                                 PasswordHashCost cost = PasswordHashCost::kInteractive);

// Removes `username` from the password file. NotFound if the file or the user does not exist.
core::Status removePasswordFileUser(const std::filesystem::path& file, std::string_view username);

// Reads one line from standard input as a password, without echo when it is a terminal.
core::Result<std::string> readPasswordFromStdin();

}  // namespace hearth::mqtt
