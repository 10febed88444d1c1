// Live updates over WebSocket, /api/v1/ws (docs/api.md, "Live updates"): a signed-in client
// subscribes to homes (or single shared devices) and receives property changes, events and
// online/offline changes of the devices it may see, as they are stored.
//
//   client → {"type":"auth","token":"hat_…"}              (or Authorization: Bearer at the upgrade)
//   server → {"type":"ready","user_id":N}
//   client → {"type":"subscribe","homes":[1],"devices":["did"]}   and "unsubscribe" alike
//   server → {"type":"subscribed","homes":[1],"devices":["did"]}  what is subscribed now, after
//            an "error" for each home or device refused
//   server → {"type":"property","did","siid","piid","value","ts"}
//            {"type":"event","did","siid","eiid","arguments","ts"}
//            {"type":"presence","did","online","ts"}
//   server → {"type":"error","code","message"}   a refusal ("no home 5"); for "unauthenticated"
//                                                 the server closes the connection after it
//
// Who sees what is home/access.h's answer (Devices::authorize with kView), asked again at most
// kRecheck after the last answer, so a member removed from a home, a share ended or a device
// unbound stops its pushes within that time; the access token is checked as often, and a client
// whose token has expired is told so and closed (send "auth" with a fresh token before then to
// stay connected).
//
// Device changes are queued by onDeviceChange() (any thread, never blocking; past kMaxQueued
// waiting changes the newest are dropped and counted) and fanned out by one worker thread.
//
// Ownership: borrows the services, which must outlive it; owns its worker, joined by stop() or
// the destructor. Thread-safety: any method from any thread; the WebSocket callbacks run on the
// HTTP server's thread.
#pragma once

#include <boost/json/object.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <unordered_map>

#include "hearth/core/clock.h"
#include "hearth/home/accounts.h"
#include "hearth/home/devices.h"
#include "hearth/home/homes.h"
#include "hearth/http/server.h"
#include "hearth/platform/device_changes.h"

namespace hearth::api {

class LivePush final : public platform::DeviceChangeListener {
 public:
  static constexpr std::chrono::seconds kRecheck{5};
  static constexpr size_t kMaxQueued = 100'000;

  LivePush(home::Accounts& accounts, home::Homes& homes, home::Devices& devices, store::DeviceStore& registry,
           const core::Clock& clock);
  ~LivePush() override;
  LivePush(const LivePush&) = delete;
  LivePush& operator=(const LivePush&) = delete;

  // GET /api/v1/ws on the server; before it starts.
  void addRoute(http::Server& server);
  void start();
  void stop();

  void onDeviceChange(const platform::DeviceChange& change) override;

  // Prometheus text: clients connected, messages pushed, changes dropped.
  std::string metricsText() const;

 private:
  struct Client;
  struct Decision {
    bool visible = false;
    int64_t checked_ms = 0;
  };
  struct Placement {
    int64_t home_id = 0;  // 0: unbound or unknown
    int64_t checked_ms = 0;
  };

  // On the HTTP thread.
  void onMessage(const std::shared_ptr<Client>& client, std::string_view text);
  void authenticate(Client& client, std::string_view token);
  void subscribe(Client& client, const boost::json::object& message, bool add);

  // On the worker.
  void workerLoop();
  void fanOut(const platform::DeviceChange& change, int64_t now);
  int64_t homeOf(const std::string& did, int64_t now);
  bool visible(int64_t user_id, const std::string& did, int64_t now);
  void recheckTokens(int64_t now);

  home::Accounts& accounts_;
  home::Homes& homes_;
  home::Devices& devices_;
  store::DeviceStore& registry_;
  const core::Clock& clock_;

  mutable std::mutex mu_;
  std::map<uint64_t, std::shared_ptr<Client>> clients_;  // guarded by mu_
  uint64_t next_client_ = 1;                             // guarded by mu_
  std::deque<platform::DeviceChange> queue_;             // guarded by mu_
  bool stopping_ = false;                                // guarded by mu_
  std::condition_variable wake_;
  std::thread worker_;

  // Worker only.
  std::unordered_map<std::string, Placement> placements_;
  std::map<std::pair<int64_t, std::string>, Decision> decisions_;  // by (user, did)
  int64_t tokens_checked_ms_ = 0;

  std::atomic<uint64_t> pushed_{0};
  std::atomic<uint64_t> dropped_{0};
};

}  // namespace hearth::api
