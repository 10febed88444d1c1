#include "hearth/mqtt/packet.h"

namespace hearth::mqtt {
namespace {

constexpr PacketType typeOf(const Connect&) { return PacketType::kConnect; }
constexpr PacketType typeOf(const ConnAck&) { return PacketType::kConnAck; }
constexpr PacketType typeOf(const Publish&) { return PacketType::kPublish; }
constexpr PacketType typeOf(const PubResponse& p) { return p.type; }  // one struct, four types
constexpr PacketType typeOf(const Subscribe&) { return PacketType::kSubscribe; }
constexpr PacketType typeOf(const SubAck&) { return PacketType::kSubAck; }
constexpr PacketType typeOf(const Unsubscribe&) { return PacketType::kUnsubscribe; }
constexpr PacketType typeOf(const UnsubAck&) { return PacketType::kUnsubAck; }
constexpr PacketType typeOf(const PingReq&) { return PacketType::kPingReq; }
constexpr PacketType typeOf(const PingResp&) { return PacketType::kPingResp; }
constexpr PacketType typeOf(const Disconnect&) { return PacketType::kDisconnect; }
constexpr PacketType typeOf(const Auth&) { return PacketType::kAuth; }

}  // namespace

PacketType packetType(const Packet& packet) {
  return std::visit([](const auto& p) { return typeOf(p); }, packet);
}

}  // namespace hearth::mqtt
