#include "hearth/platform/command_service.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <limits>

#include "hearth/core/boundary.h"
#include "hearth/platform/device_auth.h"
#include "hearth/platform/result_code.h"
#include "platform/command_parts.h"

namespace hearth::platform {

namespace {

// Cloud request ids stay within 1..2^31-1, so a device may keep them in a signed 32-bit integer.
constexpr uint32_t kMaxId = std::numeric_limits<int32_t>::max();
constexpr int64_t kOutboxPurgeEveryMs = 60'000;

}  // namespace

CommandService::CommandService(store::DeviceStore& devices, ProductRegistry& products, store::CommandOutbox& outbox,
                               const core::Clock& clock)
    : devices_(devices),
      products_(products),
      outbox_(outbox),
      clock_(clock),
      // Ids start somewhere that depends on the time, so a reply to a request sent before a
      // restart is unlikely to match a new request to the same device.
      next_id_(1 + static_cast<uint32_t>(clock.unixMillis() % (kMaxId - 1))),
      counters_(std::make_unique<Counters>()) {
  // A bug in one round of the worker loses that round, not the thread: it starts again.
  worker_ = std::thread([this] { core::keepRunning(core::Boundary::kWorker, "commands", [this] { workerLoop(); }); });
}

CommandService::~CommandService() {
  std::vector<Pending> left;
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    for (auto& [key, p] : pending_) left.push_back(std::move(p));
    pending_.clear();
  }
  wake_.notify_one();
  worker_.join();
  for (Pending& p : left) {
    p.prepared.fillSent(result::kInternal);
    p.done(std::move(p.prepared.answer));
  }
}

core::Status CommandService::recover() {
  auto dids = outbox_.devicesWithEntries();
  if (!dids) return dids.error();
  std::lock_guard lock(mu_);
  queued_.insert(dids.value().begin(), dids.value().end());
  return core::Status::ok();
}

void CommandService::start(DownlinkPublisher publisher) {
  std::lock_guard lock(mu_);
  publish_ = std::move(publisher);
}

void CommandService::stop() {
  std::lock_guard lock(mu_);
  publish_ = nullptr;
  reachable_.clear();
}

void CommandService::getProperties(const std::string& did, std::vector<PropertyItem> items,
                                   const CommandOptions& options, CommandCallback done) {
  DeviceRequest request;
  request.method = Method::kGetProperties;
  request.properties = std::move(items);
  dispatch(did, prepare(did, std::move(request)), options, std::move(done));
}

void CommandService::setProperties(const std::string& did, std::vector<PropertyItem> items,
                                   const CommandOptions& options, CommandCallback done) {
  DeviceRequest request;
  request.method = Method::kSetProperties;
  request.properties = std::move(items);
  dispatch(did, prepare(did, std::move(request)), options, std::move(done));
}

void CommandService::invokeAction(const std::string& did, uint32_t siid, uint32_t aiid, boost::json::array in,
                                  const CommandOptions& options, CommandCallback done) {
  DeviceRequest request;
  request.method = Method::kAction;
  request.siid = siid;
  request.iid = aiid;
  request.in = std::move(in);
  dispatch(did, prepare(did, std::move(request)), options, std::move(done));
}

void CommandService::dispatch(const std::string& did, core::Result<Prepared> prepared, const CommandOptions& options,
                              CommandCallback done) {
  if (!prepared) {
    const bool missing = prepared.error().code() == core::StatusCode::kNotFound;
    done(DeviceResponse{0, MessageError{missing ? result::kDeviceNotFound : result::kInternal,
                                        prepared.error().message()}});
    return;
  }
  Prepared p = std::move(prepared).value();
  if (p.nothingToSend()) {
    ++counters_->refused;
    done(std::move(p.answer));
    return;
  }
  std::unique_lock lock(mu_);
  auto reach = reachable_.find(did);
  if (publish_ && reach != reachable_.end() && reach->second == Reach::kReady) {
    sendLocked(did, std::move(p), options.timeout, std::move(done));
    return;
  }
  if (options.when_offline == WhenOffline::kFail) {
    lock.unlock();
    ++counters_->offline;
    p.fillSent(result::kDeviceOffline);
    done(std::move(p.answer));
    return;
  }
  // Queued under mu_, so an outbox delivery (also under mu_) either takes this entry or
  // finishes before it and leaves the device ready for the next command to go straight out.
  const uint64_t id = nextIdLocked(did);
  p.request.id = id;
  p.answer.id = id;
  const int64_t now = clock_.unixMillis();
  const int64_t ttl_ms = std::chrono::duration_cast<std::chrono::milliseconds>(options.ttl).count();
  core::Status stored = outbox_.enqueue(store::OutboxEntry{did, id, serializeDeviceMessage(p.request), now, now + ttl_ms});
  if (stored.isOk()) {
    queued_.insert(did);
    ++counters_->queued;
    p.fillSent(result::kAccepted);
  } else {
    spdlog::error("commands: cannot queue for {}: {}", did, stored.toString());
    p.fillSent(result::kInternal);
  }
  lock.unlock();
  done(std::move(p.answer));
}

uint64_t CommandService::nextIdLocked(const std::string& did) {
  for (;;) {
    const uint64_t id = next_id_;
    next_id_ = next_id_ >= kMaxId ? 1 : next_id_ + 1;
    if (!pending_.contains({did, id})) return id;
  }
}

void CommandService::sendLocked(const std::string& did, Prepared prepared, std::chrono::milliseconds timeout,
                                CommandCallback done) {
  const uint64_t id = nextIdLocked(did);
  prepared.request.id = id;
  prepared.answer.id = id;
  mqtt::Publish message;
  message.topic = DeviceAuth::downTopic(did);
  message.payload = serializeDeviceMessage(prepared.request);
  message.qos = mqtt::QoS::k1;
  const int64_t now = clock_.unixMillis();
  pending_.emplace(std::make_pair(did, id), Pending{std::move(prepared), now + timeout.count(), now, std::move(done)});
  ++counters_->sent;
  // The broker only routes here; it never calls back into this service on this thread.
  publish_(std::move(message));
}

void CommandService::onDeviceResponse(const std::string& did, const DeviceResponse& response) {
  Pending p;
  {
    std::unique_lock lock(mu_);
    auto it = pending_.find({did, response.id});
    if (it == pending_.end()) {
      // From the outbox: its caller was answered when it was queued; the entry goes, on the
      // worker (no store write on an event loop).
      auto delivered = delivered_.find({did, response.id});
      if (delivered == delivered_.end()) {
        ++counters_->unmatched_replies;
        return;
      }
      const int64_t sent_ms = delivered->second;
      acks_.push_back(delivered->first);
      delivered_.erase(delivered);
      lock.unlock();
      wake_.notify_one();
      ++counters_->answered;
      counters_->round_trip_ms_sum += static_cast<uint64_t>(std::max<int64_t>(0, clock_.unixMillis() - sent_ms));
      return;
    }
    p = std::move(it->second);
    pending_.erase(it);
  }
  ++counters_->answered;
  counters_->round_trip_ms_sum += static_cast<uint64_t>(std::max<int64_t>(0, clock_.unixMillis() - p.sent_ms));
  p.prepared.applyReply(response);
  p.done(std::move(p.prepared.answer));
}

void CommandService::onClientSubscribed(const mqtt::ClientIdentity& client, std::string_view filter) {
  auto did = DeviceAuth::deviceOf(client);
  if (!did || filter != DeviceAuth::downTopic(*did)) return;
  std::string key(*did);
  {
    std::lock_guard lock(mu_);
    if (queued_.contains(key)) {
      reachable_[key] = Reach::kFlushing;
      flushes_.push_back(std::move(key));
    } else {
      reachable_[key] = Reach::kReady;
      return;
    }
  }
  wake_.notify_one();
}

void CommandService::onClientDisconnected(const mqtt::ClientIdentity& client, mqtt::ClientEnd end) {
  auto did = DeviceAuth::deviceOf(client);
  // A takeover: the device's new connection is the one that counts.
  if (!did || end == mqtt::ClientEnd::kTakenOver) return;
  const std::string key(*did);
  std::vector<Pending> gone;
  {
    std::lock_guard lock(mu_);
    reachable_.erase(key);
    // Its outbox keeps what it did not answer, for its next subscription (queued_ has it still).
    delivered_.erase(delivered_.lower_bound({key, 0}),
                     delivered_.lower_bound({key, std::numeric_limits<uint64_t>::max()}));
    auto first = pending_.lower_bound({key, 0});
    auto last = first;
    for (; last != pending_.end() && last->first.first == key; ++last) gone.push_back(std::move(last->second));
    pending_.erase(first, last);
  }
  for (Pending& p : gone) {
    ++counters_->offline;
    p.prepared.fillSent(result::kDeviceOffline);
    p.done(std::move(p.prepared.answer));
  }
}

void CommandService::workerLoop() {
  int64_t next_purge_ms = 0;
  std::unique_lock lock(mu_);
  while (!stopping_) {
    wake_.wait_for(lock, kTick, [this] { return stopping_ || !flushes_.empty() || !acks_.empty(); });
    if (stopping_) return;
    // Answers first: an entry answered before its device came back is not delivered again.
    std::vector<std::pair<std::string, uint64_t>> acks;
    acks.swap(acks_);
    lock.unlock();
    acknowledge(acks);
    lock.lock();
    std::vector<std::string> flushes;
    flushes.swap(flushes_);
    for (const std::string& did : flushes) flushOutbox(did);
    lock.unlock();
    expireDue();
    const int64_t now = clock_.unixMillis();
    if (now >= next_purge_ms) {
      next_purge_ms = now + kOutboxPurgeEveryMs;
      auto removed = outbox_.removeExpired(now);
      if (removed) {
        counters_->outbox_expired += removed.value();
      } else {
        spdlog::warn("commands: outbox purge failed: {}", removed.error().toString());
      }
    }
    lock.lock();
  }
}

void CommandService::acknowledge(const std::vector<std::pair<std::string, uint64_t>>& answered) {
  for (const auto& [did, id] : answered) {
    if (core::Status s = outbox_.acknowledge(did, id); s.isOk()) {
      ++counters_->outbox_acknowledged;
    } else {
      // Delivered again at the next connection; the device answers the repeat without acting.
      spdlog::warn("commands: cannot acknowledge {} of {}: {}", id, did, s.toString());
    }
  }
}

// Requires mu_ (see dispatch()).
void CommandService::flushOutbox(const std::string& did) {
  auto reach = reachable_.find(did);
  if (reach == reachable_.end() || reach->second != Reach::kFlushing || !publish_) return;  // gone again
  const int64_t now = clock_.unixMillis();
  auto claim = outbox_.claim(did, now, kMaxDeliveries);
  reach->second = Reach::kReady;
  if (!claim) {
    spdlog::error("commands: cannot read the outbox of {}: {}", did, claim.error().toString());
    return;  // still queued: the next connection tries again
  }
  for (const store::OutboxEntry& e : claim.value().failed) {
    ++counters_->outbox_failed;
    spdlog::warn("commands: {} of {} failed: delivered {} times, never answered", e.request_id, did, e.deliveries);
  }
  // Entries delivered now stay queued until answered: the next subscription delivers again
  // what this connection leaves unanswered.
  if (claim.value().deliver.empty()) queued_.erase(did);
  for (store::OutboxEntry& e : claim.value().deliver) {
    delivered_[{did, e.request_id}] = now;
    ++counters_->outbox_delivered;
    mqtt::Publish message;
    message.topic = DeviceAuth::downTopic(did);
    message.payload = std::move(e.payload);
    message.qos = mqtt::QoS::k1;
    publish_(std::move(message));
  }
}

void CommandService::expireDue() {
  const int64_t now = clock_.unixMillis();
  std::vector<Pending> due;
  {
    std::lock_guard lock(mu_);
    for (auto it = pending_.begin(); it != pending_.end();) {
      if (it->second.deadline_ms > now) {
        ++it;
        continue;
      }
      due.push_back(std::move(it->second));
      it = pending_.erase(it);
    }
  }
  for (Pending& p : due) {
    ++counters_->timed_out;
    p.prepared.fillSent(result::kTimeout);
    p.done(std::move(p.prepared.answer));
  }
}

std::string CommandService::metricsText() const {
  const Counters& c = *counters_;
  size_t outstanding = 0;
  {
    std::lock_guard lock(mu_);
    outstanding = pending_.size();
  }
  return fmt::format(
      "# HELP hearth_commands_total Commands to devices by outcome.\n"
      "# TYPE hearth_commands_total counter\n"
      "hearth_commands_total{{outcome=\"sent\"}} {}\nhearth_commands_total{{outcome=\"answered\"}} {}\n"
      "hearth_commands_total{{outcome=\"timeout\"}} {}\nhearth_commands_total{{outcome=\"offline\"}} {}\n"
      "hearth_commands_total{{outcome=\"refused\"}} {}\nhearth_commands_total{{outcome=\"queued\"}} {}\n"
      "# HELP hearth_commands_outstanding Commands sent and not yet answered or timed out.\n"
      "# TYPE hearth_commands_outstanding gauge\nhearth_commands_outstanding {}\n"
      "# HELP hearth_commands_round_trip_ms_sum Milliseconds from sending to the device's answer, summed.\n"
      "# TYPE hearth_commands_round_trip_ms_sum counter\nhearth_commands_round_trip_ms_sum {}\n"
      "# HELP hearth_outbox_total Queued commands delivered (each time), answered, failed or expired.\n"
      "# TYPE hearth_outbox_total counter\nhearth_outbox_total{{outcome=\"delivered\"}} {}\n"
      "hearth_outbox_total{{outcome=\"acknowledged\"}} {}\nhearth_outbox_total{{outcome=\"failed\"}} {}\n"
      "hearth_outbox_total{{outcome=\"expired\"}} {}\n"
      "# HELP hearth_commands_unmatched_replies_total Device replies that matched no outstanding command.\n"
      "# TYPE hearth_commands_unmatched_replies_total counter\nhearth_commands_unmatched_replies_total {}\n",
      c.sent.load(), c.answered.load(), c.timed_out.load(), c.offline.load(), c.refused.load(), c.queued.load(),
      outstanding, c.round_trip_ms_sum.load(), c.outbox_delivered.load(), c.outbox_acknowledged.load(),
      c.outbox_failed.load(), c.outbox_expired.load(),
      c.unmatched_replies.load());
}

}  // namespace hearth::platform
