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

}  // namespace hearth::core
