#include "mqtt/connection.h"

#include <boost/asio/ip/tcp.hpp>
#include <spdlog/spdlog.h>

#include <sys/socket.h>

#include "mqtt/broker_core.h"
#include "mqtt/event_loop.h"

namespace hearth::mqtt {

Connection::Connection(BrokerCore& core, EventLoop& loop) : loop_(loop), core_(core) {
  last_input_ = core_.clock().now();
  connect_deadline_ = last_input_ + core_.options().connect_timeout;
}

Connection::~Connection() = default;

std::string Connection::peerAddress(int fd) {
  boost::asio::ip::tcp::endpoint endpoint;
  socklen_t size = static_cast<socklen_t>(endpoint.capacity());
  if (fd < 0 || ::getpeername(fd, endpoint.data(), &size) != 0) return "unknown";
  endpoint.resize(size);
  return endpoint.address().to_string() + ":" + std::to_string(endpoint.port());
}

void Connection::open() {
  loop_.addConnection(this);
  core_.open_connections.fetch_add(1, std::memory_order_relaxed);
  Metrics::add(Counter::kConnectionsAccepted);
  transportOpen();
}

void Connection::onBytes(std::string_view data) {
  Metrics::add(Counter::kBytesIn, data.size());
  last_input_ = core_.clock().now();
  if (!buffers_ || buffers_->in.empty()) {
    size_t used = consume(data);
    if (used < data.size() && state_ != State::kClosing && state_ != State::kClosed) {
      buffers().in.assign(data.substr(used));
    }
  } else {
    buffers_->in.append(data);
    consumeCarried();
  }
  transportFlush();
  releaseBuffersIfIdle();
}

void Connection::consumeCarried() {
  if (!buffers_ || buffers_->in.empty()) return;
  // consume() may append output to the same Buffers, never reallocate it.
  std::string& in = buffers_->in;
  in.erase(0, consume(in));
  if (in.empty()) std::string().swap(in);
}

Connection::Buffers& Connection::buffers() {
  if (!buffers_) buffers_ = std::make_unique<Buffers>();
  return *buffers_;
}

void Connection::releaseBuffersIfIdle() {
  if (buffers_ && buffers_->in.empty() && buffers_->out.empty() && buffers_->writing.empty()) buffers_.reset();
}

bool Connection::beginWrite() {
  if (write_pending_ || pendingOutput() == 0) return false;
  write_pending_ = true;
  buffers_->writing.swap(buffers_->out);
  return true;
}

const std::string& Connection::writing() const {
  static const std::string kNone;
  return buffers_ ? buffers_->writing : kNone;
}

size_t Connection::consume(std::string_view buffer) {
  size_t pos = 0;
  while (wantsInput() && pos < buffer.size()) {
    auto frame = peekFrame(buffer.substr(pos), core_.options().max_packet_size);
    if (!frame) {
      protocolError(frame.error());
      return buffer.size();
    }
    if (frame->status == FrameStatus::kNeedMore) break;
    const size_t size = frame->frame.size();
    handlePacket(buffer.substr(pos, size));
    pos += size;
  }
  return pos;
}

void Connection::handlePacket(std::string_view bytes) {
  // Ingest and the platform's hooks run in here too: a bug in any of them costs this connection.
  guarded("packet", [&] {
    if (state_ == State::kAwaitConnect) {
      auto connect = decodeConnect(bytes);
      if (!connect) return protocolError(connect.error());
      return handleConnect(std::move(connect).value());
    }
    auto packet = decode(bytes, version_);
    if (!packet) return protocolError(packet.error());
    dispatch(std::move(packet).value());
  });
}

void Connection::closeAfterInternalError(const std::string& error_id) {
  spdlog::warn("mqtt: closing client_id={} remote={} after internal error id={}", clientId(), remoteAddress(), error_id);
  if (state_ == State::kAwaitConnect || state_ == State::kAuthenticating) {
    refuseConnect(ReasonCode::kImplementationSpecificError, "internal error " + error_id);
  } else {
    disconnect(ReasonCode::kImplementationSpecificError, "internal error " + error_id);
  }
}

void Connection::dispatch(Packet&& packet) {
  switch (packetType(packet)) {
    case PacketType::kPublish: handlePublish(std::get<Publish>(std::move(packet))); return;
    case PacketType::kPubAck:
    case PacketType::kPubRec:
    case PacketType::kPubRel:
    case PacketType::kPubComp: handlePubResponse(std::get<PubResponse>(packet)); return;
    case PacketType::kSubscribe: handleSubscribe(std::get<Subscribe>(std::move(packet))); return;
    case PacketType::kUnsubscribe: handleUnsubscribe(std::get<Unsubscribe>(packet)); return;
    case PacketType::kPingReq: send(PingResp{}); return;
    case PacketType::kDisconnect: handleDisconnect(std::get<Disconnect>(packet)); return;
    case PacketType::kConnect:
      disconnect(ReasonCode::kProtocolError, "second CONNECT on one connection");
      return;
    case PacketType::kAuth:
      disconnect(ReasonCode::kProtocolError, "enhanced authentication was not negotiated");
      return;
    case PacketType::kConnAck:
    case PacketType::kSubAck:
    case PacketType::kUnsubAck:
    case PacketType::kPingResp:
      disconnect(ReasonCode::kProtocolError, "a client must not send this packet type");
      return;
  }
}

void Connection::send(const Packet& packet) {
  std::string& out = buffers().out;
  const size_t before = out.size();
  encode(packet, version_, out);
  Metrics::add(Counter::kBytesOut, out.size() - before);
}

void Connection::send(const Publish& publish) {
  std::string& out = buffers().out;
  const size_t before = out.size();
  encode(publish, version_, out);
  Metrics::add(Counter::kBytesOut, out.size() - before);
}

const std::string& Connection::clientId() const {
  static const std::string kNone;
  return session_ ? session_->clientId() : kNone;
}

std::optional<std::string> Connection::reasonString(std::string message) const {
  if (version_ != ProtocolVersion::kV5 || message.empty()) return std::nullopt;
  return message;
}

void Connection::disconnect(ReasonCode reason, std::string message) {
  if (state_ == State::kClosing || state_ == State::kClosed) return;
  switch (reason) {
    case ReasonCode::kKeepAliveTimeout: end_ = ClientEnd::kKeepAliveTimeout; break;
    case ReasonCode::kSessionTakenOver: end_ = ClientEnd::kTakenOver; break;
    case ReasonCode::kServerShuttingDown: end_ = ClientEnd::kServerShutdown; break;
    default: end_ = ClientEnd::kProtocolError; break;
  }
  spdlog::info("mqtt: disconnecting client_id={} remote={} reason={} ({})", clientId(), remoteAddress(),
               reasonCodeName(reason), message);
  if (version_ == ProtocolVersion::kV5 && state_ == State::kConnected) {
    Disconnect d;
    d.reason_code = reason;
    d.properties.reason_string = reasonString(std::move(message));
    send(d);
  }
  close();
}

void Connection::protocolError(const CodecError& error) {
  Metrics::add(Counter::kProtocolErrors);
  if (state_ == State::kAwaitConnect) {
    refuseConnect(error.reason, error.message);
    return;
  }
  disconnect(error.reason, error.message);
}

void Connection::close() {
  if (state_ == State::kClosing || state_ == State::kClosed) return;
  const bool was_connected = state_ == State::kConnected;
  state_ = State::kClosing;
  // An abnormal close publishes the will; a normal DISCONNECT cleared it already.
  if (was_connected) releaseSession(true);
  transportFlush();
  transportClose();
}

void Connection::onTransportClosed() {
  if (state_ == State::kClosed) return;
  if (state_ == State::kConnected) releaseSession(true);
  state_ = State::kClosed;
  loop_.removeConnection(this);
  core_.open_connections.fetch_sub(1, std::memory_order_relaxed);
  Metrics::add(Counter::kDisconnects);
}

void Connection::releaseSession(bool publish_will) {
  if (!session_) return;
  std::vector<PendingWill> due;
  std::optional<Will> will;
  if (publish_will && will_) will = std::move(*will_);
  will_.reset();
  core_.sessions.detach(session_, this, std::move(will), username_, core_.clock().now(), due);
  spdlog::debug("mqtt: disconnected client_id={} end={}", clientId(), clientEndName(end_));
  for (ClientObserver* observer : core_.options().observers) {
    observer->onClientDisconnected(ClientIdentity{clientId(), username_}, end_);
  }
  session_.reset();
  core_.publishWills(due);
}

Connection::AfterWrite Connection::writeCompleted() {
  write_pending_ = false;
  if (buffers_) std::string().swap(buffers_->writing);
  if (!close_requested_) onWriteDone();
  if (write_pending_) return AfterWrite::kNothing;  // onWriteDone started the next write
  if (pendingOutput() != 0) return AfterWrite::kWriteMore;
  releaseBuffersIfIdle();
  return close_requested_ ? AfterWrite::kFinishClose : AfterWrite::kNothing;
}

Connection::TopicAliases& Connection::aliases() {
  if (!aliases_) aliases_ = std::make_unique<TopicAliases>();
  return *aliases_;
}

void Connection::onWriteDone() {
  if (state_ != State::kConnected) return;
  if (pendingOutput() == 0) {
    std::unique_lock lock(session_->mu);
    if (!session_->queue.empty()) sendQueued(lock);
  }
  if (wantsInput()) transportRead();
}

void Connection::tick(core::Clock::TimePoint now) {
  if (state_ == State::kAwaitConnect && now >= connect_deadline_) {
    spdlog::info("mqtt: no CONNECT in time remote={}", remoteAddress());
    close();
    return;
  }
  // MQTT 3.1.2.10: one and a half keep-alive periods without a packet ends the connection.
  if (state_ == State::kConnected && keep_alive_ != 0 &&
      now - last_input_ > std::chrono::milliseconds(keep_alive_ * 1500)) {
    Metrics::add(Counter::kKeepAliveTimeouts);
    disconnect(ReasonCode::kKeepAliveTimeout, "keep alive timeout");
  }
}

void Connection::takenOver() {
  if (state_ != State::kConnected) return;
  // The session now belongs to the new connection; detach() sees that and only handles the will.
  disconnect(ReasonCode::kSessionTakenOver, "another connection uses this client identifier");
}

void Connection::shutdown() {
  if (state_ == State::kConnected) {
    disconnect(ReasonCode::kServerShuttingDown, "server shutting down");
  } else {
    close();
  }
}

}  // namespace hearth::mqtt
