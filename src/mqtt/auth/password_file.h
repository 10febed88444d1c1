// The password file: parsing, hashing, and the atomic rewrite behind `hearth passwd`.
//
// Format: one "username:<crypto_pwhash_str string>" per line; '#' starts a comment line; blank
// lines and trailing whitespace (CRLF included) are ignored. A user name is split at the first
// ':' so it cannot contain one; it may not start with '#' or whitespace, end with whitespace, or
// contain control characters, so that every accepted name round-trips through the file.
//
// Thread-safety: free functions over values; a PasswordTable is immutable after parsing and may
// be read from any thread. Errors: parsing throws core::ConfigError ("file:line: what"); the
// hashing and file functions return a Status.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <unordered_map>

#include "hearth/core/status.h"
#include "hearth/mqtt/file_auth.h"
#include "mqtt/string_hash.h"

namespace hearth::mqtt {

// username -> hash string.
using PasswordTable = std::unordered_map<std::string, std::string, StringHash, std::equal_to<>>;

// `source` names the file in error messages.
PasswordTable parsePasswordFile(std::string_view text, std::string_view source);
PasswordTable loadPasswordFile(const std::filesystem::path& path);

// OK when `username` can be stored in a password file (see the format above).
core::Status validateUsername(std::string_view username);

// Replaces `path` with `contents` so that readers see either the old or the new file, never a
// partial one: a temporary file in the same directory, fsync, rename. A new file gets mode 0600;
// an existing one keeps its mode.
core::Status writeFileAtomically(const std::filesystem::path& path, std::string_view contents);

// Reads a whole file. NotFound if it does not exist, IoError otherwise.
core::Result<std::string> readWholeFile(const std::filesystem::path& path);

}  // namespace hearth::mqtt
