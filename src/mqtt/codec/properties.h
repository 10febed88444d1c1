// MQTT 5.0 properties (spec 2.2.2): decoding with the per-packet allow table, and encoding.
#pragma once

#include <cstddef>
#include <cstdint>

#include "hearth/mqtt/packet.h"
#include "mqtt/codec/byte_reader.h"
#include "mqtt/codec/byte_writer.h"

namespace hearth::mqtt::detail {

// Where a property block sits; the will properties of CONNECT have their own allow list.
enum class PropertyContext : uint8_t {
  kConnect,
  kConnAck,
  kPublish,
  kWill,
  kPubAck,
  kPubRec,
  kPubRel,
  kPubComp,
  kSubscribe,
  kSubAck,
  kUnsubscribe,
  kUnsubAck,
  kDisconnect,
  kAuth,
};

// Reads a Property Length and the properties it covers into `out` (which must be empty).
// Malformed Packet: truncation, an unknown property id, a value of the wrong shape or invalid
// UTF-8. Protocol Error: a property not allowed in `context` (the spec calls that malformed, but
// packet.h promises Protocol Error and both end the connection), a property repeated where the
// spec allows it once, or an out-of-range value the spec names (a 0/1 byte property above 1,
// Receive Maximum, Maximum Packet Size or Subscription Identifier of 0, a Response Topic that is
// not a valid topic name). A Topic Alias of 0 fails with kTopicAliasInvalid here, so the broker
// only has to check the upper bound against its Topic Alias Maximum.
//
// Rules that depend on who sent the packet (a client must not send a Subscription Identifier in
// PUBLISH) or on session state are the broker's to check.
DecodeError decodeProperties(ByteReader& reader, PropertyContext context, Properties& out);

// Bytes of the encoded properties, without the Property Length field in front of them.
size_t propertiesLength(const Properties& props);

// The Property Length field plus the properties, given propertiesLength().
inline size_t propertiesFieldSize(size_t length) {
  return varIntSize(static_cast<uint32_t>(length)) + length;
}

// Writes the Property Length field (`length` from propertiesLength()) and every present property,
// in identifier order.
void writeProperties(ByteWriter& writer, const Properties& props, size_t length);

}  // namespace hearth::mqtt::detail
