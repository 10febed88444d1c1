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

namespace hearth::core {

// `bytes` random bytes from the OS's CSPRNG, as 2 × bytes lowercase hex digits.
std::string randomHex(size_t bytes);

// BLAKE2b-256 of `secret` as 64 lowercase hex digits: for secrets that are random and long
// (tokens, device secrets), where a fast hash is enough; people's passwords use argon2id.
std::string blake2bHex(std::string_view secret);

// a == b, in time that depends only on the lengths.
bool constantTimeEquals(std::string_view a, std::string_view b);

}  // namespace hearth::core
