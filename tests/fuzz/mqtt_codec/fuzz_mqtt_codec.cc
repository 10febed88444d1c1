// libFuzzer target for the MQTT codec.
//
// Input: one selector byte, then a byte stream as a broker would read it off a socket. The
// selector picks how the stream is decoded: as MQTT 3.1.1, as MQTT 5.0, or as a connection that
// starts with a CONNECT decoded by decodeConnect() whose version then applies to the rest.
//
// Every packet that decodes must survive a round trip: encodedSize() equals what encode()
// appends, the encoding decodes to an equal packet, and encoding that again gives the same bytes.
// A mismatch aborts, so the fuzzer finds encoder/decoder disagreements, not only crashes.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "hearth/mqtt/codec.h"

namespace {

using hearth::mqtt::CodecResult;
using hearth::mqtt::Connect;
using hearth::mqtt::FrameStatus;
using hearth::mqtt::Packet;
using hearth::mqtt::ProtocolVersion;

constexpr uint32_t kMaxPacketSize = 1 << 20;

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "round-trip failure: %s\n", what);
  std::abort();
}

// Re-encodes a decoded packet and checks that nothing was lost or invented on the way.
void checkRoundTrip(const Packet& packet, ProtocolVersion version) {
  std::string wire;
  hearth::mqtt::encode(packet, version, wire);
  if (wire.size() != hearth::mqtt::encodedSize(packet, version)) fail("encodedSize != encode size");

  CodecResult<Packet> again = [&]() -> CodecResult<Packet> {
    if (std::holds_alternative<Connect>(packet)) {
      auto c = hearth::mqtt::decodeConnect(wire);
      if (!c) return std::move(c).error();
      return Packet(std::move(c).value());
    }
    return hearth::mqtt::decode(wire, version);
  }();
  if (!again) {
    std::fprintf(stderr, "re-decode error: %s\n", again.error().message.c_str());
    fail("re-encoded packet does not decode");
  }
  if (!(*again == packet)) fail("decode(encode(p)) != p");

  std::string wire2;
  hearth::mqtt::encode(*again, version, wire2);
  if (wire2 != wire) fail("encoding is not deterministic");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  uint8_t selector = data[0] % 3;
  std::string_view stream(reinterpret_cast<const char*>(data + 1), size - 1);
  ProtocolVersion version = selector == 0 ? ProtocolVersion::kV311 : ProtocolVersion::kV5;
  bool expect_connect = selector == 2;

  while (!stream.empty()) {
    auto peeked = hearth::mqtt::peekFrame(stream, kMaxPacketSize);
    if (!peeked || peeked->status == FrameStatus::kNeedMore) break;
    std::string_view bytes = stream.substr(0, peeked->frame.size());
    stream.remove_prefix(bytes.size());

    if (expect_connect) {
      expect_connect = false;
      auto connect = hearth::mqtt::decodeConnect(bytes);
      if (!connect) break;  // the broker closes the connection here
      version = connect->version;
      checkRoundTrip(Packet(std::move(connect).value()), version);
      continue;
    }
    auto packet = hearth::mqtt::decode(bytes, version);
    if (!packet) continue;  // keep going: later frames still exercise the decoder
    checkRoundTrip(*packet, version);
  }
  return 0;
}
