// One client connection: the MQTT protocol state machine between a byte stream and the broker.
//
// The transport (TCP, TLS, WebSocket: tcp_connection.h, tls_connection.h, ws_connection.h) feeds
// received bytes to onBytes(), writes what beginWrite() hands it, and calls writeCompleted() after
// each write. A transport must close within a bounded time once transportClose() is called, even
// if the peer stops reading. Everything here runs on the connection's own event loop,
// except sendQueued(), which also runs there but is entered with the session lock held.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "hearth/core/boundary.h"
#include "hearth/core/clock.h"
#include "hearth/mqtt/auth.h"
#include "hearth/mqtt/codec.h"
#include "hearth/mqtt/interceptor.h"
#include "hearth/mqtt/observer.h"
#include "hearth/mqtt/packet.h"
#include "mqtt/lazy_deque.h"
#include "mqtt/session.h"

namespace hearth::mqtt {

class BrokerCore;
class EventLoop;

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(BrokerCore& core, EventLoop& loop);
  virtual ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Registers with the loop and starts reading. Loop thread.
  void open();
  // Bytes arrived from the peer.
  void onBytes(std::string_view data);
  // The transport is gone (peer closed, error, or after close()). Idempotent.
  void onTransportClosed();

  // Sends as much of the session's queue as the client's receive window allows.
  // Requires the session lock, held by `lock`.
  void sendQueued(std::unique_lock<std::mutex>& lock);

  // A write completed: continue a queue stopped at kOutputHighWater, and resume reading if it was
  // paused because the client was not reading its replies.
  void onWriteDone();

  // Periodic check of keep-alive and connect timeouts.
  void tick(core::Clock::TimePoint now);
  // Another connection took this one's session (posted to this loop).
  void takenOver();
  // The server is stopping.
  void shutdown();
  // The loop has stopped with this connection still open (its peer did not take the DISCONNECT
  // in time): release what the transport owns, without further I/O. After the loop thread ended.
  virtual void abandon() {}

 protected:
  // Called once by open(): register with the loop and start reading.
  virtual void transportOpen() { transportRead(); }
  // Start writing the pending output if no write is in progress.
  virtual void transportFlush() = 0;
  // Close once pending output is written; then call onTransportClosed().
  virtual void transportClose() = 0;
  // Start (or resume) reading.
  virtual void transportRead() = 0;
  // Whether reading should continue after a batch of input was handled. A client that sends
  // without reading what we answer (acknowledgements, PINGRESPs) is not read from until it does,
  // so its replies cannot grow without bound.
  bool wantsInput() const {
    return (state_ == State::kAwaitConnect || state_ == State::kConnected) && pendingOutput() < kInputPauseOutput;
  }
  // Starts a write: moves the pending output into writing() and sets write_pending_. False if a
  // write is in progress already or there is nothing to send.
  bool beginWrite();
  // The bytes of the write in progress; stable until writeCompleted().
  const std::string& writing() const;
  // The transports' shared write state: whether a write is in progress, and whether
  // transportClose() was asked for.
  bool write_pending_ = false;
  bool close_requested_ = false;

  // The shared tail of every transport's successful write completion: lets the connection queue
  // more output (which may start the next write itself) and releases the buffers of a connection
  // that has gone idle. Returns what the transport does next.
  enum class AfterWrite { kNothing, kWriteMore, kFinishClose };
  AfterWrite writeCompleted();
  // Output bytes beyond which no more queued messages are encoded until a write completes.
  static constexpr size_t kOutputHighWater = 256 * 1024;
  // Pending output beyond which input is paused (see wantsInput).
  static constexpr size_t kInputPauseOutput = 1024 * 1024;
  EventLoop& loop_;
  // What the transport knows of the peer, asked for when needed rather than kept: "ip:port" (or
  // "unknown" once the socket is closed), whether the transport is TLS, and the subject of a
  // verified client certificate (see ConnectCredentials::tls_client_subject; empty if none).
  virtual std::string remoteAddress() = 0;
  virtual bool secure() const { return false; }
  virtual std::string tlsClientSubject() const { return {}; }
  // The remoteAddress() of a socket descriptor.
  static std::string peerAddress(int fd);

 private:
  enum class State { kAwaitConnect, kAuthenticating, kConnected, kClosing, kClosed };

  // The byte buffers, allocated while the connection has input or output in hand and freed when
  // it goes idle: most device connections are idle most of the time, and three empty strings
  // would be a seventh of an idle connection's memory.
  struct Buffers {
    std::string in;       // a partial packet carried over between reads
    std::string out;      // output waiting for the transport
    std::string writing;  // the write in progress
  };
  Buffers& buffers();
  size_t pendingOutput() const { return buffers_ ? buffers_->out.size() : 0; }
  void releaseBuffersIfIdle();
  // Feeds the carried-over partial input to consume().
  void consumeCarried();

  // Input: parse as many whole packets as `buffer` holds; returns bytes consumed.
  size_t consume(std::string_view buffer);
  void handlePacket(std::string_view bytes);
  void dispatch(Packet&& packet);
  // Runs one piece of the connection's work (a packet, the authenticator's answer). A bug in it
  // (an exception) closes this one connection, telling the client the error id; the broker and
  // its other clients go on (core/boundary.h).
  template <class Work>
  void guarded(std::string_view where, Work&& work) {
    if (auto id = core::guard(core::Boundary::kMqtt, where, std::forward<Work>(work))) closeAfterInternalError(*id);
  }
  void closeAfterInternalError(const std::string& error_id);

  // connection_connect.cc
  void handleConnect(Connect&& connect);
  void finishConnect(Connect connect, AuthDecision decision);
  void refuseConnect(ReasonCode reason, std::string message);
  void handleDisconnect(const Disconnect& d);
  void resendInflight(std::unique_lock<std::mutex>& lock);
  // Tells the observers the client is connected, and which subscriptions its resumed session has.
  void tellConnected(bool session_present);

  // connection_publish.cc
  void handlePublish(Publish&& publish);
  void handlePubResponse(const PubResponse& r);
  void sendPubResponse(PacketType type, uint16_t packet_id, ReasonCode reason, std::string reason_string = {});
  // PUBACK/PUBREC for an accepted PUBLISH, held until its releases (ackReleased(seq)) have come:
  // with `wait_for_store`, from the store once it made the message durable; with `held`, from
  // the interceptor once the platform stored what it carries. Acknowledgements always leave in
  // PUBLISH order.
  void acknowledge(PacketType type, uint16_t packet_id, ReasonCode reason, bool wait_for_store, bool held,
                   uint32_t seq);
  // A release that arrives from another thread, as a callable that posts it to this loop.
  PublishInterceptor::Release ackReleaser(uint32_t seq);
  // `ok` false: what held it failed to store the message (see PublishInterceptor::Release).
  void ackReleased(uint32_t seq, bool ok);
  void sendReadyAcks();
  // Encodes one outgoing PUBLISH; false if the client's Maximum Packet Size forbids it.
  bool writePublish(const Delivery& d, uint16_t packet_id, bool dup, core::Clock::TimePoint now);

  // connection_subscribe.cc
  void handleSubscribe(Subscribe&& s);
  void handleUnsubscribe(const Unsubscribe& u);
  // Writes the session's record after its subscriptions changed (persistent sessions only).
  void persistSubscriptions();

  // Output and teardown.
  void send(const Packet& packet);
  void send(const Publish& publish);  // no Packet variant: one copy less per delivery
  // Closes after telling the client why: DISCONNECT for MQTT 5.0, a plain close for 3.1.1.
  void disconnect(ReasonCode reason, std::string message);
  void protocolError(const CodecError& error);
  void close();
  void releaseSession(bool publish_will);
  std::optional<std::string> reasonString(std::string message) const;
  // The session's client id ("" before CONNECT succeeded); not copied into the connection.
  const std::string& clientId() const;

  BrokerCore& core_;
  State state_ = State::kAwaitConnect;
  ClientEnd end_ = ClientEnd::kConnectionLost;  // for the observer; set where the server or client ends it
  ProtocolVersion version_ = ProtocolVersion::kV5;
  std::unique_ptr<Buffers> buffers_;
  SessionPtr session_;
  std::string username_;
  std::unique_ptr<Will> will_;  // a pointer: most connections have no will, and Will is large
  uint16_t keep_alive_ = 0;
  core::Clock::TimePoint last_input_;
  core::Clock::TimePoint connect_deadline_;
  uint16_t client_receive_maximum_ = 65535;
  uint32_t client_max_packet_size_ = 0xFFFFFFFF;
  uint16_t client_topic_alias_maximum_ = 0;
  bool request_problem_information_ = true;
  struct PendingAck {
    PacketType type;
    uint16_t packet_id;
    ReasonCode reason;
    uint8_t waits;  // releases still to come
    uint32_t seq;
  };
  uint32_t next_ack_seq_ = 0;
  LazyDeque<PendingAck> pending_acks_;
  // Topic aliases in both directions; created on first use, since most clients use none.
  struct TopicAliases {
    std::unordered_map<uint16_t, std::string> inbound;
    std::unordered_map<std::string, uint16_t> outbound;
  };
  TopicAliases& aliases();
  std::unique_ptr<TopicAliases> aliases_;
};

}  // namespace hearth::mqtt
