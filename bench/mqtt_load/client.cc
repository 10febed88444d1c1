#include "client.h"

#include <netinet/in.h>
#include <netinet/tcp.h>

#include <algorithm>
#include <utility>

#include "worker.h"

namespace hearth::bench {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

// Bytes read per readiness notification before yielding to the worker's other connections.
constexpr int kMaxReadsPerWakeup = 4;
constexpr uint32_t kMaxPacketSize = 1 << 28;

}  // namespace

MqttClient::MqttClient(Worker& worker, ClientHandler& handler, tcp::endpoint broker, asio::ip::address source,
                       mqtt::Connect connect)
    : worker_(worker),
      handler_(handler),
      broker_(std::move(broker)),
      source_(std::move(source)),
      connect_(std::move(connect)),
      version_(connect_.version),
      socket_(worker.io()) {}

void MqttClient::start(bool paced) {
  ++generation_;
  paced_ = paced;
  in_.clear();
  out_.clear();
  out_pos_ = 0;
  waiting_write_ = false;
  started_at_ns_ = sim::steadyNowNs();
  boost::system::error_code ec;
  socket_ = tcp::socket(worker_.io());
  socket_.open(broker_.protocol(), ec);
  if (!ec) {
    // Let connect() pick the port for the whole 4-tuple rather than bind() picking one unique per
    // address: otherwise each source address is limited to one ephemeral range for all brokers.
    const int one = 1;
    ::setsockopt(socket_.native_handle(), IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
    socket_.bind(tcp::endpoint(source_, 0), ec);
  }
  if (ec) {
    state_ = State::kClosed;
    lost("bind: " + ec.message());
    return;
  }
  state_ = State::kConnecting;
  socket_.async_connect(broker_, [this, gen = generation_](const boost::system::error_code& e) {
    if (gen == generation_) onTcpConnected(e);
  });
}

void MqttClient::onTcpConnected(const boost::system::error_code& ec) {
  if (state_ != State::kConnecting) return;
  if (ec) {
    lost("connect: " + ec.message());
    return;
  }
  boost::system::error_code ignored;
  socket_.set_option(tcp::no_delay(true), ignored);
  socket_.non_blocking(true, ignored);
  state_ = State::kAwaitConnAck;
  send(connect_);
  flush();
  if (state_ == State::kAwaitConnAck) waitReadable();
}

void MqttClient::waitReadable() {
  socket_.async_wait(tcp::socket::wait_read, [this, gen = generation_](const boost::system::error_code& ec) {
    if (gen != generation_ || ec == asio::error::operation_aborted) return;
    if (ec) {
      lost("wait: " + ec.message());
      return;
    }
    onReadable();
  });
}

void MqttClient::onReadable() {
  const uint64_t gen = generation_;
  std::span<char> buf = worker_.scratch();
  bool drained = false;
  for (int i = 0; i < kMaxReadsPerWakeup && !drained; ++i) {
    boost::system::error_code ec;
    const size_t n = socket_.read_some(asio::buffer(buf.data(), buf.size()), ec);
    if (ec == asio::error::would_block || ec == asio::error::try_again) {
      drained = true;
      break;
    }
    if (ec) {
      lost(ec == asio::error::eof ? "closed by broker" : "read: " + ec.message());
      return;
    }
    std::string_view data(buf.data(), n);
    if (in_.empty()) {
      // Common case: whole packets straight from the scratch buffer; only a tail is copied.
      const size_t used = handleBytes(data);
      if (gen != generation_ || state_ == State::kClosed) return;
      in_.assign(data.substr(used));
    } else {
      in_.append(data);
      const size_t used = handleBytes(in_);
      if (gen != generation_ || state_ == State::kClosed) return;
      in_.erase(0, used);
    }
    drained = n < buf.size();
  }
  flush();
  if (gen != generation_ || state_ == State::kClosed) return;
  if (drained) {
    waitReadable();
  } else {
    // Asio's epoll reactor is edge-triggered: a wait armed with bytes still unread completes only
    // on the next event for this socket. Come back after the worker's other handlers instead.
    asio::post(worker_.io(), [this, gen] {
      if (gen == generation_ && state_ != State::kClosed) onReadable();
    });
  }
}

size_t MqttClient::handleBytes(std::string_view data) {
  const uint64_t gen = generation_;
  size_t used = 0;
  while (used < data.size()) {
    auto peek = mqtt::peekFrame(data.substr(used), kMaxPacketSize);
    if (!peek) {
      lost("bad frame from broker: " + peek.error().message);
      return used;
    }
    if (peek->status == mqtt::FrameStatus::kNeedMore) break;
    const std::string_view whole = data.substr(used, peek->frame.size());
    used += whole.size();
    auto packet = mqtt::decode(whole, version_);
    if (!packet) {
      lost("undecodable packet from broker: " + packet.error().message);
      return used;
    }
    if (state_ == State::kAwaitConnAck) {
      const auto* ack = std::get_if<mqtt::ConnAck>(&packet.value());
      if (ack == nullptr) {
        lost("first packet from broker is not CONNACK");
        return used;
      }
      if (mqtt::isError(ack->reason_code)) {
        lost("CONNACK refused: " + std::string(mqtt::reasonCodeName(ack->reason_code)));
        return used;
      }
      server_receive_maximum_ = ack->properties.receive_maximum.value_or(65535);
      state_ = State::kConnected;
      pacedDone();
      handler_.onConnAck(*this, *ack);
    } else {
      handler_.onPacket(*this, std::move(packet).value());
    }
    if (gen != generation_ || state_ == State::kClosed) return used;
  }
  return used;
}

void MqttClient::flush() {
  if (waiting_write_ || state_ == State::kClosed || state_ == State::kConnecting || state_ == State::kIdle) return;
  while (out_pos_ < out_.size()) {
    boost::system::error_code ec;
    const size_t n = socket_.write_some(asio::buffer(out_.data() + out_pos_, out_.size() - out_pos_), ec);
    if (ec == asio::error::would_block || ec == asio::error::try_again) {
      waitWritable();
      return;
    }
    if (ec) {
      lost("write: " + ec.message());
      return;
    }
    out_pos_ += n;
  }
  out_.clear();
  out_pos_ = 0;
}

void MqttClient::waitWritable() {
  // Compact first, so a slow broker does not make the buffer grow by what was already written.
  out_.erase(0, out_pos_);
  out_pos_ = 0;
  waiting_write_ = true;
  socket_.async_wait(tcp::socket::wait_write, [this, gen = generation_](const boost::system::error_code& ec) {
    if (gen != generation_ || ec == asio::error::operation_aborted) return;
    waiting_write_ = false;
    if (ec) {
      lost("wait: " + ec.message());
      return;
    }
    flush();
  });
}

void MqttClient::pacedDone() {
  if (paced_) {
    paced_ = false;
    worker_.connectDone();
  }
}

void MqttClient::lost(std::string_view why) {
  const bool before_connack = state_ != State::kConnected;
  state_ = State::kClosed;
  ++generation_;
  boost::system::error_code ignored;
  socket_.close(ignored);
  pacedDone();
  handler_.onLost(*this, why, before_connack);
}

void MqttClient::close() {
  state_ = State::kClosed;
  ++generation_;
  boost::system::error_code ignored;
  socket_.close(ignored);
  pacedDone();
}

void MqttClient::disconnect() {
  if (state_ == State::kConnected) {
    send(mqtt::Disconnect{});
    flush();
    if (state_ == State::kConnected) {
      boost::system::error_code ignored;
      socket_.shutdown(tcp::socket::shutdown_send, ignored);
    }
  }
  close();
}

}  // namespace hearth::bench
