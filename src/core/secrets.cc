#include "hearth/core/secrets.h"

#include <sodium.h>

#include <array>
#include <cstdlib>

namespace hearth::core {

namespace {

void initialise() {
  // Idempotent and thread-safe; makes randombytes_buf safe to call from any thread.
  static const bool ready = sodium_init() >= 0;
  if (!ready) std::abort();
}

std::string hexOf(const unsigned char* data, size_t size) {
  std::string hex(size * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), data, size);
  hex.pop_back();  // the terminating NUL
  return hex;
}

}  // namespace

std::string randomHex(size_t bytes) {
  initialise();
  std::string raw(bytes, '\0');
  randombytes_buf(raw.data(), raw.size());
  return hexOf(reinterpret_cast<const unsigned char*>(raw.data()), raw.size());
}

std::string randomFrom(std::string_view alphabet, size_t length) {
  initialise();
  std::string out(length, '\0');
  for (char& c : out) c = alphabet[randombytes_uniform(static_cast<uint32_t>(alphabet.size()))];
  return out;
}

std::string blake2bHex(std::string_view secret) {
  initialise();
  std::array<unsigned char, crypto_generichash_BYTES> digest{};
  crypto_generichash(digest.data(), digest.size(), reinterpret_cast<const unsigned char*>(secret.data()),
                     secret.size(), nullptr, 0);
  return hexOf(digest.data(), digest.size());
}

bool constantTimeEquals(std::string_view a, std::string_view b) {
  initialise();
  return a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

Result<std::string> hashPassword(std::string_view password, PasswordHashCost cost) {
  initialise();
  unsigned long long ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;
  size_t mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;
  if (cost == PasswordHashCost::kMinimum) {
    ops = crypto_pwhash_OPSLIMIT_MIN;
    mem = crypto_pwhash_MEMLIMIT_MIN;
  }
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(), ops, mem) != 0) {
    return Status::resourceExhausted("crypto_pwhash_str failed (out of memory?)");
  }
  return std::string(out);
}

bool verifyPassword(std::string_view hash, std::string_view password) {
  initialise();
  // crypto_pwhash_str_verify wants a NUL-terminated string of at most crypto_pwhash_STRBYTES.
  if (hash.size() >= crypto_pwhash_STRBYTES) return false;
  const std::string terminated(hash);
  return crypto_pwhash_str_verify(terminated.c_str(), password.data(), password.size()) == 0;
}

}  // namespace hearth::core
