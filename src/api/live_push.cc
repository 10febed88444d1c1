#include "hearth/api/live_push.h"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <vector>

#include "hearth/api/status_response.h"
#include "hearth/core/boundary.h"
#include "hearth/core/json.h"

namespace hearth::api {

namespace json = boost::json;

namespace {

constexpr size_t kMaxSubscriptions = 100;  // homes, and devices, per message and per client

std::string errorMessage(std::string_view code, std::string_view message) {
  return json::serialize(json::object{{"type", "error"}, {"code", code}, {"message", message}});
}

// A refusal from the services, coded as the HTTP API codes it.
std::string errorMessage(const core::Status& status) {
  const ErrorCode error = errorCodeFor(status);
  return errorMessage(error.code, error.status == 500 ? "internal error" : status.message());
}

// The message for a change; `json` is canonical JSON from the platform, embedded as it is.
std::string pushMessage(const platform::DeviceChange& c) {
  using Kind = platform::DeviceChange::Kind;
  switch (c.kind) {
    case Kind::kProperty:
      return fmt::format(R"({{"type":"property","did":{},"siid":{},"piid":{},"value":{},"ts":{}}})",
                         json::serialize(json::string(c.did)), c.siid, c.iid, c.json, c.ts_ms);
    case Kind::kEvent:
      return fmt::format(R"({{"type":"event","did":{},"siid":{},"eiid":{},"arguments":{},"ts":{}}})",
                         json::serialize(json::string(c.did)), c.siid, c.iid, c.json, c.ts_ms);
    case Kind::kPresence:
      return fmt::format(R"({{"type":"presence","did":{},"online":{},"ts":{}}})",
                         json::serialize(json::string(c.did)), c.online, c.ts_ms);
  }
  return {};
}

}  // namespace

struct LivePush::Client {
  std::shared_ptr<http::WebSocket> ws;
  int64_t opened_ms = 0;
  // Guarded by LivePush::mu_.
  int64_t user_id = 0;  // 0 until authenticated
  std::string token;
  std::set<int64_t> homes;
  std::set<std::string> devices;
};

LivePush::LivePush(home::Accounts& accounts, home::Homes& homes, home::Devices& devices, store::DeviceStore& registry,
                   const core::Clock& clock)
    : accounts_(accounts), homes_(homes), devices_(devices), registry_(registry), clock_(clock) {}

LivePush::~LivePush() { stop(); }

// A bug in one round of fan-out loses that round, not the thread: it starts again.
void LivePush::start() {
  worker_ = std::thread([this] { core::keepRunning(core::Boundary::kWorker, "live push", [this] { workerLoop(); }); });
}

void LivePush::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (worker_.joinable()) worker_.join();
}

void LivePush::addRoute(http::Server& server) {
  server.addWebSocketRoute("/api/v1/ws", [this](const http::Request& request, std::shared_ptr<http::WebSocket> ws) {
    auto client = std::make_shared<Client>();
    client->ws = ws;
    client->opened_ms = clock_.unixMillis();
    uint64_t id = 0;
    {
      std::lock_guard lock(mu_);
      id = next_client_++;
      clients_.emplace(id, client);
    }
    if (std::string_view token = request.bearerToken(); !token.empty()) authenticate(*client, token);
    std::weak_ptr<Client> weak = client;
    return http::WebSocketCallbacks{[this, weak](std::string_view text) {
                                      if (auto c = weak.lock()) onMessage(c, text);
                                    },
                                    [this, id] {
                                      std::lock_guard lock(mu_);
                                      clients_.erase(id);
                                    }};
  });
}

void LivePush::onMessage(const std::shared_ptr<Client>& client, std::string_view text) {
  auto doc = core::parseJson(text);
  const json::object* message = doc ? doc.value().if_object() : nullptr;
  const json::value* type_value = message == nullptr ? nullptr : message->if_contains("type");
  const json::string* type = type_value == nullptr ? nullptr : type_value->if_string();
  if (type == nullptr) {
    client->ws->send(errorMessage("bad_request", "a message is a JSON object with a \"type\""));
    return;
  }
  if (*type == "auth") {
    const json::value* token = message->if_contains("token");
    authenticate(*client, token != nullptr && token->is_string() ? std::string_view(token->get_string()) : "");
  } else if (*type == "subscribe" || *type == "unsubscribe") {
    subscribe(*client, *message, *type == "subscribe");
  } else {
    client->ws->send(errorMessage("bad_request", "type: auth, subscribe or unsubscribe"));
  }
}

void LivePush::authenticate(Client& client, std::string_view token) {
  auto user = accounts_.authenticate(token);
  if (!user) {
    client.ws->send(errorMessage("unauthenticated", user.error().message()));
    client.ws->close();
    return;
  }
  {
    std::lock_guard lock(mu_);
    if (client.user_id != 0 && client.user_id != user.value().id) {
      // Another account on the same connection: start from nothing.
      client.homes.clear();
      client.devices.clear();
    }
    client.user_id = user.value().id;
    client.token = std::string(token);
  }
  client.ws->send(json::serialize(json::object{{"type", "ready"}, {"user_id", user.value().id}}));
}

void LivePush::subscribe(Client& client, const json::object& message, bool add) {
  int64_t user = 0;
  {
    std::lock_guard lock(mu_);
    user = client.user_id;
  }
  if (user == 0) {
    client.ws->send(errorMessage("unauthenticated", "send {\"type\":\"auth\",\"token\":…} first"));
    return;
  }
  const json::value* homes = message.if_contains("homes");
  const json::value* devices = message.if_contains("devices");
  if ((homes != nullptr && (!homes->is_array() || homes->get_array().size() > kMaxSubscriptions)) ||
      (devices != nullptr && (!devices->is_array() || devices->get_array().size() > kMaxSubscriptions))) {
    client.ws->send(errorMessage("bad_request", "homes and devices: arrays of at most 100"));
    return;
  }
  std::vector<int64_t> home_ids;
  std::vector<std::string> dids;
  for (const json::value& h : homes == nullptr ? json::array() : homes->get_array()) {
    if (!h.is_int64() || h.get_int64() <= 0) {
      client.ws->send(errorMessage("bad_request", "homes: home ids"));
      return;
    }
    // Subscribing needs the home to be visible; unsubscribing does not.
    if (add) {
      if (auto detail = homes_.get(user, h.get_int64()); !detail) {
        client.ws->send(errorMessage(detail.error()));
        continue;
      }
    }
    home_ids.push_back(h.get_int64());
  }
  for (const json::value& d : devices == nullptr ? json::array() : devices->get_array()) {
    if (!d.is_string()) {
      client.ws->send(errorMessage("bad_request", "devices: dids"));
      return;
    }
    const std::string did(d.get_string());
    if (add) {
      if (auto device = devices_.authorize(user, did, home::HomeAction::kView); !device) {
        client.ws->send(errorMessage(device.error()));
        continue;
      }
    }
    dids.push_back(did);
  }
  json::array now_homes;
  json::array now_devices;
  {
    std::lock_guard lock(mu_);
    if (add) {
      // Up to kMaxSubscriptions of each; the rest of the request is not taken.
      for (int64_t h : home_ids) {
        if (client.homes.size() < kMaxSubscriptions) client.homes.insert(h);
      }
      for (const std::string& d : dids) {
        if (client.devices.size() < kMaxSubscriptions) client.devices.insert(d);
      }
    } else {
      for (int64_t h : home_ids) client.homes.erase(h);
      for (const std::string& d : dids) client.devices.erase(d);
    }
    for (int64_t h : client.homes) now_homes.push_back(h);
    for (const std::string& d : client.devices) now_devices.push_back(json::string(d));
  }
  client.ws->send(json::serialize(
      json::object{{"type", "subscribed"}, {"homes", std::move(now_homes)}, {"devices", std::move(now_devices)}}));
}

void LivePush::onDeviceChange(const platform::DeviceChange& change) {
  {
    std::lock_guard lock(mu_);
    if (clients_.empty()) return;  // nobody listens: no work at all
    if (queue_.size() >= kMaxQueued) {
      ++dropped_;
      return;
    }
    queue_.push_back(change);
  }
  wake_.notify_one();
}

void LivePush::workerLoop() {
  std::deque<platform::DeviceChange> batch;
  for (;;) {
    {
      std::unique_lock lock(mu_);
      wake_.wait_for(lock, kRecheck, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      batch.swap(queue_);
    }
    const int64_t now = clock_.unixMillis();
    for (const platform::DeviceChange& change : batch) fanOut(change, now);
    batch.clear();
    if (now - tokens_checked_ms_ >= std::chrono::milliseconds(kRecheck).count()) recheckTokens(now);
  }
}

void LivePush::fanOut(const platform::DeviceChange& change, int64_t now) {
  const int64_t home = homeOf(change.did, now);
  std::vector<std::pair<int64_t, std::shared_ptr<http::WebSocket>>> candidates;
  {
    std::lock_guard lock(mu_);
    for (const auto& [id, c] : clients_) {
      if (c->user_id != 0 && ((home != 0 && c->homes.contains(home)) || c->devices.contains(change.did))) {
        candidates.emplace_back(c->user_id, c->ws);
      }
    }
  }
  if (candidates.empty()) return;
  const std::string message = pushMessage(change);
  for (const auto& [user, ws] : candidates) {
    if (!visible(user, change.did, now)) continue;
    if (ws->send(message)) ++pushed_;
  }
}

int64_t LivePush::homeOf(const std::string& did, int64_t now) {
  Placement& p = placements_[did];
  if (p.checked_ms == 0 || now - p.checked_ms >= std::chrono::milliseconds(kRecheck).count()) {
    auto device = registry_.device(did);
    p.home_id = device ? device.value().home_id : 0;
    p.checked_ms = now;
  }
  return p.home_id;
}

bool LivePush::visible(int64_t user_id, const std::string& did, int64_t now) {
  Decision& d = decisions_[{user_id, did}];
  if (d.checked_ms == 0 || now - d.checked_ms >= std::chrono::milliseconds(kRecheck).count()) {
    d.visible = devices_.authorize(user_id, did, home::HomeAction::kView).isOk();
    d.checked_ms = now;
  }
  return d.visible;
}

void LivePush::recheckTokens(int64_t now) {
  tokens_checked_ms_ = now;
  const int64_t stale = 2 * std::chrono::milliseconds(kRecheck).count();
  std::erase_if(decisions_, [&](const auto& e) { return now - e.second.checked_ms >= stale; });
  std::erase_if(placements_, [&](const auto& e) { return now - e.second.checked_ms >= stale; });
  std::vector<std::pair<std::shared_ptr<Client>, std::string>> clients;
  {
    std::lock_guard lock(mu_);
    for (const auto& [id, c] : clients_) clients.emplace_back(c, c->token);
  }
  for (const auto& [client, token] : clients) {
    if (token.empty()) {
      // Never authenticated: a connection may wait that long for its "auth", no longer.
      if (now - client->opened_ms >= stale) {
        client->ws->send(errorMessage("unauthenticated", "send {\"type\":\"auth\",\"token\":…} first"));
        client->ws->close();
      }
      continue;
    }
    if (auto user = accounts_.authenticate(token); !user) {
      client->ws->send(errorMessage("unauthenticated", user.error().message()));
      client->ws->close();
    }
  }
}

std::string LivePush::metricsText() const {
  size_t clients = 0;
  {
    std::lock_guard lock(mu_);
    clients = clients_.size();
  }
  return fmt::format(
      "# HELP hearth_push_clients WebSocket clients connected to /api/v1/ws.\n"
      "# TYPE hearth_push_clients gauge\nhearth_push_clients {}\n"
      "# HELP hearth_push_messages_total Device changes pushed to clients.\n"
      "# TYPE hearth_push_messages_total counter\nhearth_push_messages_total {}\n"
      "# HELP hearth_push_dropped_total Device changes dropped because the push queue was full.\n"
      "# TYPE hearth_push_dropped_total counter\nhearth_push_dropped_total {}\n",
      clients, pushed_.load(), dropped_.load());
}

}  // namespace hearth::api
