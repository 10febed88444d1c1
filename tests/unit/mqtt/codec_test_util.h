// Helpers shared by the codec tests: byte-vector literals and round-trip checks.
#pragma once

#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <string_view>

#include "hearth/mqtt/codec.h"

namespace hearth::mqtt::test {

// Bytes written out as in the specification's examples: bytes({0x30, 0x02, 'a', 'b'}).
inline std::string bytes(std::initializer_list<int> values) {
  std::string out;
  for (int v : values) out.push_back(static_cast<char>(v));
  return out;
}

// A two-byte-length-prefixed string, as MQTT writes UTF-8 strings and binary data.
inline std::string str(std::string_view s) {
  std::string out = bytes({static_cast<int>(s.size() >> 8), static_cast<int>(s.size() & 0xFF)});
  out.append(s);
  return out;
}

// A whole packet: first byte, Remaining Length (written here independently of the codec), body.
inline std::string frame(int first_byte, std::string_view body) {
  std::string out(1, static_cast<char>(first_byte));
  size_t n = body.size();
  do {
    auto b = static_cast<uint8_t>(n & 0x7F);
    n >>= 7;
    if (n != 0) b |= 0x80;
    out.push_back(static_cast<char>(b));
  } while (n != 0);
  out.append(body);
  return out;
}

// A Property Length followed by the properties (all short enough for a one-byte length).
inline std::string props(std::string_view encoded) {
  std::string out(1, static_cast<char>(encoded.size()));
  out.append(encoded);
  return out;
}

inline std::string encodeToString(const Packet& packet, ProtocolVersion v) {
  std::string out;
  encode(packet, v, out);
  EXPECT_EQ(out.size(), encodedSize(packet, v));
  return out;
}

// Decodes with decode(); fails the test on error.
template <class T>
T decodeAs(std::string_view packet, ProtocolVersion v) {
  auto r = decode(packet, v);
  if (!r) {
    ADD_FAILURE() << "decode failed: " << r.error().message;
    return T{};
  }
  if (!std::holds_alternative<T>(*r)) {
    ADD_FAILURE() << "decoded a different packet type";
    return T{};
  }
  return std::get<T>(std::move(r).value());
}

// The error decode() reports; fails the test if decoding succeeds.
inline CodecError decodeError(std::string_view packet, ProtocolVersion v) {
  auto r = decode(packet, v);
  if (r) {
    ADD_FAILURE() << "decode unexpectedly succeeded";
    return CodecError{ReasonCode::kSuccess, ""};
  }
  return r.error();
}

inline ReasonCode decodeReason(std::string_view packet, ProtocolVersion v) {
  return decodeError(packet, v).reason;
}

// encode -> decode gives back the same packet, and encodedSize agrees with encode.
template <class T>
void expectRoundTrip(const T& packet, ProtocolVersion v) {
  std::string wire = encodeToString(Packet(packet), v);
  if constexpr (std::is_same_v<T, Connect>) {
    auto r = decodeConnect(wire);
    ASSERT_TRUE(r.isOk()) << r.error().message;
    EXPECT_EQ(*r, packet);
  }
  EXPECT_EQ(decodeAs<T>(wire, v), packet);
}

constexpr ProtocolVersion kV311 = ProtocolVersion::kV311;
constexpr ProtocolVersion kV5 = ProtocolVersion::kV5;

}  // namespace hearth::mqtt::test
