// Secrets the server makes and checks: random tokens, their one-way hashes, and comparisons that
// take the same time whatever the inputs share (libsodium underneath). One place for device
// secrets, the operator token and, later, people's session tokens.
//
// Thread-safety: every function may be called from any thread (libsodium is initialised once,
// on first use). Never throws; aborts only if libsodium cannot initialise at all.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "hearth/core/status.h"

namespace hearth::core {

// `bytes` random bytes from the OS's CSPRNG, as 2 × bytes lowercase hex digits.
std::string randomHex(size_t bytes);

// `length` characters drawn uniformly from `alphabet` (2 to 256 characters) by the CSPRNG.
std::string randomFrom(std::string_view alphabet, size_t length);

// BLAKE2b-256 of `secret` as 64 lowercase hex digits: for secrets that are random and long
// (tokens, device secrets), where a fast hash is enough; people's passwords use argon2id.
std::string blake2bHex(std::string_view secret);

// a == b, in time that depends only on the lengths.
bool constantTimeEquals(std::string_view a, std::string_view b);

// How expensive a new password hash is. kMinimum is for tests only: it is fast and weak.
enum class PasswordHashCost { kInteractive, kMinimum };

// argon2id of a person's password (crypto_pwhash_str: the salt and parameters travel in the
// string). kInteractive takes about 0.1 s and 64 MiB: call it off event loops. kResourceExhausted
// when the memory cannot be had.
Result<std::string> hashPassword(std::string_view password, PasswordHashCost cost);
// Whether `password` matches a hash from hashPassword (argon2i strings verify too). As costly.
bool verifyPassword(std::string_view hash, std::string_view password);

}  // namespace hearth::core
