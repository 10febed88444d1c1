#include "hearth/sim/device_client.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <unordered_map>
#include <utility>

#include "hearth/mqtt/codec.h"
#include "hearth/mqtt/packet.h"
#include "hearth/platform/device_message.h"
#include "hearth/platform/result_code.h"
#include "hearth/sim/recent_replies.h"
#include "hearth/sim/report_queue.h"
#include "sim/sdk/stream.h"

namespace hearth::sim {

namespace asio = boost::asio;
namespace json = boost::json;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

constexpr auto kConnectTimeout = std::chrono::seconds(10);
constexpr size_t kReadChunk = 2048;
// What the gateway may send a device: requests are small; this only bounds a broken peer.
constexpr uint32_t kMaxPacketSize = 1 << 20;
constexpr mqtt::ProtocolVersion kVersion = mqtt::ProtocolVersion::kV311;

uint64_t key(uint32_t siid, uint32_t iid) { return (uint64_t{siid} << 32) | iid; }

// One connection attempt: the stream and the buffers its operations use. Handlers keep it alive,
// so a stream closed while an operation is in progress is never freed under it.
struct Link {
  std::shared_ptr<Stream> stream;
  std::vector<char> read_buffer = std::vector<char>(kReadChunk);
  std::string in;        // bytes of a packet not yet whole
  std::string out;       // encoded, waiting for the write in progress
  std::string writing;   // being written
  bool write_busy = false;
  bool close_when_written = false;  // stop(): the DISCONNECT goes out, then the stream closes
};

}  // namespace

std::string_view connectionStateName(ConnectionState state) {
  switch (state) {
    case ConnectionState::kStopped: return "stopped";
    case ConnectionState::kConnecting: return "connecting";
    case ConnectionState::kOnline: return "online";
    case ConnectionState::kWaiting: return "waiting";
  }
  return "unknown";
}

std::chrono::milliseconds reconnectDelay(uint32_t attempt, std::chrono::milliseconds initial,
                                         std::chrono::milliseconds max, std::mt19937_64& rng) {
  const int64_t cap = std::max<int64_t>(max.count(), 1);
  int64_t step = std::max<int64_t>(initial.count(), 1);
  for (uint32_t i = 0; i < attempt && step < cap; ++i) step *= 2;
  step = std::min(step, cap);
  std::uniform_int_distribution<int64_t> half(0, step / 2);
  return std::chrono::milliseconds(step - step / 2 + half(rng));
}

class DeviceClient::Impl : public std::enable_shared_from_this<Impl> {
 public:
  Impl(asio::io_context& io, ClientOptions options)
      : io_(io),
        o_(std::move(options)),
        up_topic_(fmt::format("device/{}/up", o_.did)),
        down_topic_(fmt::format("device/{}/down", o_.did)),
        resolver_(io),
        retry_timer_(io),
        ping_timer_(io),
        rng_(std::random_device{}()),
        reports_(o_.report_buffer) {}

  void start() {
    wanted_ = true;
    if (state_ == ConnectionState::kStopped) connect();
  }

  void stop() {
    wanted_ = false;
    retry_timer_.cancel();
    ping_timer_.cancel();
    resolver_.cancel();
    if (link_) {
      if (state_ == ConnectionState::kOnline) {
        send(mqtt::Disconnect{});
        link_->close_when_written = true;
        flush();
        if (!link_->write_busy) link_->stream->close();
      } else {
        link_->stream->close();
      }
      link_.reset();
    }
    ++generation_;
    reports_.requeueInFlight();
    setState(ConnectionState::kStopped, "stopped");
  }

  void report(platform::DeviceRequest request) {
    request.id = nextRpcId();
    reports_.push(platform::serializeDeviceMessage(request), Clock::now().time_since_epoch().count());
    ++stats_.reports;
    pump();
  }

  ClientStats stats() const {
    ClientStats s = stats_;
    s.reports_dropped = reports_.dropped();
    s.reports_waiting = reports_.pending() + reports_.inFlightCount();
    return s;
  }

  asio::io_context& io_;
  const ClientOptions o_;
  const std::string up_topic_;
  const std::string down_topic_;
  std::unordered_map<uint64_t, GetHandler> gets_;
  std::unordered_map<uint64_t, SetHandler> sets_;
  std::unordered_map<uint64_t, ActionHandler> actions_;
  std::function<void(ConnectionState, std::string_view)> on_change_;
  std::function<void(std::chrono::nanoseconds)> on_ack_;
  ConnectionState state_ = ConnectionState::kStopped;

 private:
  void setState(ConnectionState state, std::string_view reason) {
    state_ = state;
    if (on_change_) on_change_(state, reason);
  }

  void connect() {
    const uint64_t gen = ++generation_;
    setState(ConnectionState::kConnecting, "");
    armTimer(kConnectTimeout);
    resolver_.async_resolve(o_.host, std::to_string(o_.port), tcp::resolver::numeric_service,
                            [self = shared_from_this(), gen](const boost::system::error_code& ec,
                                                             const tcp::resolver::results_type& results) {
                              if (gen != self->generation_) return;
                              if (ec) return self->fail(gen, "resolve: " + ec.message());
                              self->open(gen, results);
                            });
  }

  void open(uint64_t gen, const tcp::resolver::results_type& endpoints) {
    link_ = std::make_shared<Link>();
    link_->stream = makeStream(io_, o_.tls, o_.host);
    link_->stream->connect(endpoints, [self = shared_from_this(), gen, link = link_](const boost::system::error_code& ec) {
      if (gen != self->generation_) return;
      if (ec) return self->fail(gen, "connect: " + ec.message());
      mqtt::Connect connect;
      connect.version = kVersion;
      connect.clean_start = true;
      connect.keep_alive = self->o_.keep_alive_s;
      connect.client_id = self->o_.did;
      connect.username = self->o_.did;
      connect.password = self->o_.secret;
      self->send(connect);
      self->flush();
      self->read(gen);
    });
  }

  void read(uint64_t gen) {
    auto link = link_;
    link->stream->readSome(link->read_buffer.data(), link->read_buffer.size(),
                           [self = shared_from_this(), gen, link](const boost::system::error_code& ec, size_t n) {
                             if (gen != self->generation_) return;
                             if (ec) {
                               return self->fail(gen, ec == asio::error::eof ? "closed by server" : "read: " + ec.message());
                             }
                             link->in.append(link->read_buffer.data(), n);
                             if (!self->handleBytes(gen, *link)) return;
                             self->flush();
                             if (gen == self->generation_) self->read(gen);
                           });
  }

  // False when the connection ended while handling them.
  bool handleBytes(uint64_t gen, Link& link) {
    size_t used = 0;
    std::string_view data = link.in;
    while (used < data.size()) {
      auto peek = mqtt::peekFrame(data.substr(used), kMaxPacketSize);
      if (!peek) {
        fail(gen, "bad frame from server: " + peek.error().message);
        return false;
      }
      if (peek->status == mqtt::FrameStatus::kNeedMore) break;
      const std::string_view whole = data.substr(used, peek->frame.size());
      used += whole.size();
      last_rx_ = Clock::now();
      auto packet = mqtt::decode(whole, kVersion);
      if (!packet) {
        fail(gen, "undecodable packet from server: " + packet.error().message);
        return false;
      }
      handlePacket(gen, std::move(packet).value());
      if (gen != generation_) return false;
    }
    link.in.erase(0, used);
    return true;
  }

  void handlePacket(uint64_t gen, mqtt::Packet&& packet) {
    if (auto* ack = std::get_if<mqtt::ConnAck>(&packet)) {
      if (state_ != ConnectionState::kConnecting) return fail(gen, "a second CONNACK");
      if (mqtt::isError(ack->reason_code)) {
        return fail(gen, fmt::format("CONNACK: {}", mqtt::reasonCodeName(ack->reason_code)));
      }
      online();
    } else if (state_ != ConnectionState::kOnline) {
      fail(gen, "first packet from server is not CONNACK");
    } else if (auto* pub = std::get_if<mqtt::Publish>(&packet)) {
      if (pub->qos != mqtt::QoS::k0) {
        mqtt::PubResponse ack;
        ack.type = pub->qos == mqtt::QoS::k1 ? mqtt::PacketType::kPubAck : mqtt::PacketType::kPubRec;
        ack.packet_id = pub->packet_id;
        send(ack);
      }
      if (pub->topic == down_topic_) handleDown(pub->payload);
    } else if (auto* response = std::get_if<mqtt::PubResponse>(&packet)) {
      if (response->type == mqtt::PacketType::kPubAck) {
        if (const auto made = reports_.acknowledge(response->packet_id)) {
          ++stats_.reports_acked;
          if (on_ack_) on_ack_(Clock::now() - Clock::time_point(Clock::duration(*made)));
        }
        pump();
      } else if (response->type == mqtt::PacketType::kPubRel) {
        mqtt::PubResponse comp;
        comp.type = mqtt::PacketType::kPubComp;
        comp.packet_id = response->packet_id;
        send(comp);
      }
    } else if (auto* suback = std::get_if<mqtt::SubAck>(&packet)) {
      if (suback->reason_codes.empty() || mqtt::isError(suback->reason_codes[0])) {
        fail(gen, "SUBACK refused " + down_topic_);
      }
    } else if (std::holds_alternative<mqtt::Disconnect>(packet)) {
      fail(gen, "DISCONNECT from server");
    }
  }

  void online() {
    attempt_ = 0;
    ++stats_.connects;
    state_ = ConnectionState::kOnline;
    mqtt::Subscribe subscribe;
    subscribe.packet_id = nextPacketId();
    mqtt::Subscription sub;
    sub.filter = down_topic_;
    sub.options.max_qos = mqtt::QoS::k1;
    subscribe.subscriptions.push_back(std::move(sub));
    send(subscribe);
    armTimer(std::chrono::seconds(std::max<uint16_t>(o_.keep_alive_s, 1)));
    // What waited goes out before the device hears it is online, so that what it reports then
    // (its state, typically) queues behind it instead of pushing it out of a full buffer.
    pump();
    setState(ConnectionState::kOnline, "");
  }

  void handleDown(std::string_view payload) {
    auto parsed = platform::parseDeviceMessage(payload);
    if (!parsed) {
      if (parsed.error().id) {
        reply(platform::DeviceResponse{*parsed.error().id,
                                       platform::MessageError{platform::result::kMalformed, parsed.error().reason}});
      }
      return;
    }
    if (std::holds_alternative<platform::DeviceResponse>(parsed.value())) {
      ++stats_.reports_rejected;  // the cloud answers a report only to refuse (part of) it
      return;
    }
    const auto& request = std::get<platform::DeviceRequest>(parsed.value());
    if (const std::string* answered = replies_.find(request.id)) {
      ++stats_.repeats;  // delivered again: the cloud has not seen the answer
      publishReply(*answered);
      return;
    }
    ++stats_.requests;
    platform::DeviceResponse response{request.id, {}};
    switch (request.method) {
      case platform::Method::kGetProperties:
      case platform::Method::kSetProperties: {
        std::vector<platform::PropertyResult> results;
        for (const auto& item : request.properties) results.push_back(answerProperty(request.method, item));
        response.body = std::move(results);
        break;
      }
      case platform::Method::kAction: {
        platform::ActionResult result{request.siid, request.iid, platform::result::kActionNotFound, {}};
        if (auto it = actions_.find(key(request.siid, request.iid)); it != actions_.end()) {
          ActionResult r = it->second(request.in);
          result.code = r.code;
          result.out = std::move(r.out);
        }
        response.body = std::move(result);
        break;
      }
      default:
        response.body = platform::MessageError{platform::result::kMalformed, "not a request a device answers"};
    }
    reply(response);
  }

  platform::PropertyResult answerProperty(platform::Method method, const platform::PropertyItem& item) {
    platform::PropertyResult result{item.siid, item.piid, platform::result::kPropertyNotFound, std::nullopt};
    if (method == platform::Method::kGetProperties) {
      if (auto it = gets_.find(key(item.siid, item.piid)); it != gets_.end()) {
        GetResult r = it->second();
        result.code = r.code;
        if (r.code == platform::result::kDone) result.value = std::move(r.value);
      }
    } else if (auto it = sets_.find(key(item.siid, item.piid)); it != sets_.end()) {
      result.code = it->second(item.value);
    }
    return result;
  }

  // Replies go out at once when online and are not buffered: an answer after a reconnect would be
  // to a request the cloud has already answered with a timeout.
  void reply(const platform::DeviceResponse& response) {
    std::string payload = platform::serializeDeviceMessage(response);
    publishReply(payload);
    replies_.add(response.id, std::move(payload));
  }

  void publishReply(std::string payload) {
    mqtt::Publish publish;
    publish.topic = up_topic_;
    publish.qos = mqtt::QoS::k1;
    publish.packet_id = nextPacketId();
    publish.payload = std::move(payload);
    send(publish);
  }

  void pump() {
    if (state_ != ConnectionState::kOnline) return;
    const size_t window = std::max<size_t>(o_.max_in_flight, 1);
    while (reports_.inFlightCount() < window) {
      const uint16_t id = nextPacketId();
      auto payload = reports_.sendNext(id);
      if (!payload) break;
      mqtt::Publish publish;
      publish.topic = up_topic_;
      publish.qos = mqtt::QoS::k1;
      publish.packet_id = id;
      publish.payload = std::move(*payload);
      send(publish);
      ++stats_.reports_sent;
    }
    flush();
  }

  void send(const mqtt::Packet& packet) {
    if (!link_) return;
    mqtt::encode(packet, kVersion, link_->out);
  }

  void flush() {
    if (link_) flushLink(link_);
  }

  // Writes what `link` has waiting; a link being closed (stop()) writes its last bytes, the
  // DISCONNECT, and then closes.
  void flushLink(const std::shared_ptr<Link>& link) {
    if (link->write_busy || link->out.empty()) return;
    link->writing.swap(link->out);
    link->out.clear();
    link->write_busy = true;
    const uint64_t gen = generation_;
    link->stream->write(link->writing.data(), link->writing.size(),
                        [self = shared_from_this(), gen, link](const boost::system::error_code& ec, size_t) {
                          link->write_busy = false;
                          link->writing.clear();
                          if (link->close_when_written) {
                            if (ec || link->out.empty()) return link->stream->close();
                            return self->flushLink(link);
                          }
                          if (gen != self->generation_) return;
                          if (ec) return self->fail(gen, "write: " + ec.message());
                          self->flush();
                        });
  }

  // Before CONNACK: the connect timeout. Online: every keep-alive period, a PINGREQ, and the
  // connection is given up when nothing came from the server for two periods.
  void armTimer(Clock::duration after) {
    const uint64_t gen = generation_;
    ping_timer_.expires_after(after);
    ping_timer_.async_wait([self = shared_from_this(), gen](const boost::system::error_code& ec) {
      if (ec || gen != self->generation_) return;
      if (self->state_ != ConnectionState::kOnline) return self->fail(gen, "no CONNACK in time");
      const auto period = std::chrono::seconds(std::max<uint16_t>(self->o_.keep_alive_s, 1));
      if (Clock::now() - self->last_rx_ > 2 * period) return self->fail(gen, "keep-alive timeout");
      self->send(mqtt::PingReq{});
      self->flush();
      self->armTimer(period);
    });
  }

  void fail(uint64_t gen, std::string reason) {
    if (gen != generation_) return;
    ++generation_;
    ping_timer_.cancel();
    if (link_) {
      link_->stream->close();
      link_.reset();
    }
    if (state_ == ConnectionState::kOnline) {
      ++stats_.disconnects;
    } else {
      ++stats_.connect_failures;
    }
    reports_.requeueInFlight();
    if (!wanted_) return setState(ConnectionState::kStopped, reason);
    setState(ConnectionState::kWaiting, reason);
    const uint64_t wait_gen = generation_;
    retry_timer_.expires_after(reconnectDelay(attempt_++, o_.backoff_initial, o_.backoff_max, rng_));
    retry_timer_.async_wait([self = shared_from_this(), wait_gen](const boost::system::error_code& ec) {
      if (!ec && wait_gen == self->generation_ && self->wanted_) self->connect();
    });
  }

  uint16_t nextPacketId() {
    do {
      next_packet_id_ = static_cast<uint16_t>(next_packet_id_ == 65535 ? 1 : next_packet_id_ + 1);
    } while (reports_.inFlight(next_packet_id_));
    return next_packet_id_;
  }

  uint64_t nextRpcId() {
    next_rpc_id_ = next_rpc_id_ >= 0x7fffffff ? 1 : next_rpc_id_ + 1;
    return next_rpc_id_;
  }

  tcp::resolver resolver_;
  asio::steady_timer retry_timer_;
  asio::steady_timer ping_timer_;
  std::mt19937_64 rng_;
  ReportQueue reports_;
  RecentReplies replies_;
  ClientStats stats_;
  std::shared_ptr<Link> link_;
  uint64_t generation_ = 0;  // handlers of an earlier connection see a different value
  bool wanted_ = false;
  uint32_t attempt_ = 0;
  uint16_t next_packet_id_ = 0;
  uint64_t next_rpc_id_ = 0;
  Clock::time_point last_rx_{};
};

DeviceClient::DeviceClient(asio::io_context& io, ClientOptions options)
    : impl_(std::make_shared<Impl>(io, std::move(options))) {}

DeviceClient::~DeviceClient() {
  impl_->on_change_ = nullptr;  // the owner is going away: nothing to tell
  impl_->stop();
}

void DeviceClient::onGet(uint32_t siid, uint32_t piid, GetHandler handler) {
  impl_->gets_[key(siid, piid)] = std::move(handler);
}
void DeviceClient::onSet(uint32_t siid, uint32_t piid, SetHandler handler) {
  impl_->sets_[key(siid, piid)] = std::move(handler);
}
void DeviceClient::onAction(uint32_t siid, uint32_t aiid, ActionHandler handler) {
  impl_->actions_[key(siid, aiid)] = std::move(handler);
}
void DeviceClient::onConnectionChange(std::function<void(ConnectionState, std::string_view)> callback) {
  impl_->on_change_ = std::move(callback);
}

void DeviceClient::onReportAcknowledged(std::function<void(std::chrono::nanoseconds)> callback) {
  impl_->on_ack_ = std::move(callback);
}

void DeviceClient::start() { impl_->start(); }
void DeviceClient::stop() { impl_->stop(); }

void DeviceClient::reportProperty(uint32_t siid, uint32_t piid, json::value value) {
  reportProperties({PropertyValue{siid, piid, std::move(value)}});
}

void DeviceClient::reportProperties(const std::vector<PropertyValue>& items) {
  if (items.empty()) return;
  platform::DeviceRequest request;
  request.method = platform::Method::kPropertiesChanged;
  for (const auto& item : items) request.properties.push_back({item.siid, item.piid, item.value});
  impl_->report(std::move(request));
}

void DeviceClient::reportEvent(uint32_t siid, uint32_t eiid, std::vector<EventArg> arguments) {
  platform::DeviceRequest request;
  request.method = platform::Method::kEventOccured;
  request.siid = siid;
  request.iid = eiid;
  for (auto& a : arguments) request.arguments.push_back({a.piid, std::move(a.value)});
  impl_->report(std::move(request));
}

ConnectionState DeviceClient::state() const { return impl_->state_; }
ClientStats DeviceClient::stats() const { return impl_->stats(); }
const std::string& DeviceClient::did() const { return impl_->o_.did; }

}  // namespace hearth::sim
