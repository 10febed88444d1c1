#include "hearth/api/assistant_routes.h"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <cmath>
#include <memory>
#include <mutex>

#include "api/route_params.h"
#include "hearth/api/request_body.h"
#include "hearth/api/status_response.h"
#include "hearth/assistant/interpreter.h"
#include "hearth/assistant/spec_device.h"
#include "hearth/spec/json.h"

namespace hearth::api {

namespace json = boost::json;

namespace {

constexpr size_t kMaxText = 500;  // bytes: a sentence, not a document

struct Context {
  home::Accounts& accounts;
  home::Homes& homes;
  home::Devices& devices;
  platform::ProductRegistry& products;
  store::HistoryStore& history;
  home::DeviceCommands& commands;
};

// The home as `user` sees it: rooms, the devices they may see with their specs' capabilities
// and their shadows.
core::Result<assistant::HomeSnapshot> snapshotOf(const Context& c, int64_t user, int64_t home_id) {
  auto detail = c.homes.get(user, home_id);
  if (!detail) return detail.error();
  assistant::HomeSnapshot home;
  for (const auto& room : detail.value().rooms) {
    home.rooms.push_back({std::to_string(room.id), room.name, "", {}});
  }
  std::string after;
  for (;;) {
    auto page = c.devices.list(user, home_id, 0, after, home::Devices::kMaxPage);
    if (!page) return page.error();
    for (const auto& record : page.value()) {
      assistant::Device d;
      d.id = record.did;
      d.name = record.name;
      d.room = record.room_id != 0 ? std::to_string(record.room_id) : "";
      d.online = record.online;
      if (auto view = c.products.view(record.model)) {
        if (d.name.empty()) d.name = view.value()->instance().description.text;
        assistant::addSpecCapabilities(*view.value(), d);
      }
      if (auto latest = c.history.latest(record.did)) {
        for (const auto& s : latest.value()) {
          if (auto value = spec::parseJson(s.value_json)) assistant::addShadowValue(d, s.siid, s.piid, value.value());
        }
      }
      home.devices.push_back(std::move(d));
    }
    if (page.value().size() < home::Devices::kMaxPage) break;
    after = page.value().back().did;
  }
  return home;
}

json::value jsonOf(const assistant::Value& v) {
  if (const auto* b = std::get_if<bool>(&v)) return *b;
  if (const auto* s = std::get_if<std::string>(&v)) return json::string(*s);
  const double d = std::get<double>(v);
  if (d == std::floor(d) && std::abs(d) < 9e15) return static_cast<int64_t>(d);
  return d;
}

platform::DeviceRequest requestOf(const assistant::Operation& op) {
  platform::DeviceRequest request;
  if (const auto* write = std::get_if<assistant::PropertyWrite>(&op)) {
    request.method = platform::Method::kSetProperties;
    request.properties.push_back({write->siid, write->piid, jsonOf(write->value)});
  } else {
    const auto& call = std::get<assistant::ActionCall>(op);
    request.method = platform::Method::kAction;
    request.siid = call.siid;
    request.iid = call.aiid;
  }
  return request;
}

// Why a device's answer is a failure, or empty when it did what was asked.
std::string failureOf(const platform::DeviceResponse& response) {
  if (const auto* error = std::get_if<platform::MessageError>(&response.body)) return error->message;
  if (const auto* results = std::get_if<std::vector<platform::PropertyResult>>(&response.body)) {
    for (const auto& r : *results) {
      if (r.code != 0) return fmt::format("the device answered {}", r.code);
    }
    return {};
  }
  const auto& action = std::get<platform::ActionResult>(response.body);
  return action.code != 0 ? fmt::format("the device answered {}", action.code) : std::string{};
}

// One command's targets on their way: the reply goes out when the last device has answered.
class Run : public std::enable_shared_from_this<Run> {
 public:
  Run(assistant::Interpretation in, http::Responder respond) : in_(std::move(in)), respond_(std::move(respond)) {}

  // A result known now; `status` "ok", "planned", "offline", "skipped" or "failed".
  void add(const assistant::Device& d, std::string status, std::string message = {}) {
    std::lock_guard lock(mutex_);
    results_.push_back({d.id, d.name, std::move(status), std::move(message)});
  }

  // A result to come from the device; call finish() after the last expect().
  size_t expect(const assistant::Device& d) {
    std::lock_guard lock(mutex_);
    ++pending_;
    results_.push_back({d.id, d.name, "failed", "no answer"});
    return results_.size() - 1;
  }

  void answered(size_t slot, const std::string& failure) {
    {
      std::lock_guard lock(mutex_);
      results_[slot].status = failure.empty() ? "ok" : "failed";
      results_[slot].message = failure;
      if (--pending_ > 0 || !finished_) return;
    }
    reply();
  }

  void finish() {
    {
      std::lock_guard lock(mutex_);
      finished_ = true;
      if (pending_ > 0) return;
    }
    reply();
  }

 private:
  struct Result {
    std::string did, name, status, message;
  };

  void reply() {
    const bool zh = in_.language == "zh";
    json::array results;
    std::string response = in_.response;
    for (const auto& r : results_) {
      json::object o{{"did", r.did}, {"name", r.name}, {"status", r.status}};
      if (!r.message.empty()) o["message"] = r.message;
      results.push_back(std::move(o));
      if (r.status == "failed") {
        response += zh ? fmt::format("{}没有完成：{}。", r.name, r.message)
                       : fmt::format(" {} did not do it: {}.", r.name, r.message);
      }
    }
    json::object body{{"interpretation", json::parse(assistant::toJson(in_))},
                      {"results", std::move(results)},
                      {"response", response}};
    respond_(http::Response{200, "application/json", json::serialize(body)});
  }

  assistant::Interpretation in_;
  http::Responder respond_;
  std::mutex mutex_;
  std::vector<Result> results_;
  size_t pending_ = 0;
  bool finished_ = false;
};

void handle(const Context& c, const http::Request& r, http::Responder respond) {
  auto user = signedIn(r, c.accounts);
  if (!user) return respond(user.error());
  auto home_id = positiveInt(r.param("home"));
  if (!home_id) return respond(http::errorResponse(404, "no home " + std::string(r.param("home"))));
  using Type = MemberSpec::Type;
  auto in = readMembers(r.body, {{"text", Type::kString, true}, {"room", Type::kInteger, false},
                                 {"dry_run", Type::kBool, false}});
  if (!in) return respond(http::errorResponse(400, in.error()));
  const std::string_view text = in.value().at("text").get_string();
  if (text.empty() || text.size() > kMaxText) {
    return respond(http::errorResponse(400, fmt::format("text: from 1 to {} bytes", kMaxText)));
  }
  const json::value* room = in.value().if_contains("room");
  const json::value* dry = in.value().if_contains("dry_run");
  const bool dry_run = dry != nullptr && dry->get_bool();
  auto snapshot = snapshotOf(c, user.value().id, *home_id);
  if (!snapshot) return respond(responseFor(snapshot.error()));
  const assistant::Interpreter interpreter(std::move(snapshot).value());
  auto meaning = interpreter.interpret(text, room != nullptr ? std::to_string(room->get_int64()) : std::string());
  auto run = std::make_shared<Run>(meaning, std::move(respond));
  const bool acts = meaning.intent != assistant::Intent::kQuery && meaning.intent != assistant::Intent::kUnknown &&
                    meaning.intent != assistant::Intent::kScene;
  for (const auto& d : interpreter.home().devices) {
    if (!acts || std::find(meaning.targets.begin(), meaning.targets.end(), d.id) == meaning.targets.end()) continue;
    if (!interpreter.appliesTo(meaning, d)) {
      run->add(d, "skipped", "cannot do that");
      continue;
    }
    auto op = assistant::operationFor(meaning, d);
    if (!op) {
      run->add(d, op.error().code() == core::StatusCode::kInvalidArgument ? "failed" : "skipped", op.error().message());
      continue;
    }
    if (!d.online) {
      run->add(d, "offline", "the device is offline");
      continue;
    }
    if (dry_run) {
      run->add(d, "planned");
      continue;
    }
    const size_t slot = run->expect(d);
    core::Status sent = c.commands.send(home::Actor{user.value().id}, d.id, requestOf(*op), platform::CommandOptions{},
                                        [run, slot](platform::DeviceResponse response) {
                                          run->answered(slot, failureOf(response));
                                        });
    if (!sent.isOk()) run->answered(slot, sent.message());
  }
  run->finish();
}

}  // namespace

void addAssistantRoutes(http::Server& server, home::Accounts& accounts, home::Homes& homes, home::Devices& devices,
                        platform::ProductRegistry& products, store::HistoryStore& history,
                        home::DeviceCommands& commands) {
  const Context c{accounts, homes, devices, products, history, commands};
  server.addAsyncRoute("POST", "/api/v1/homes/{home}/assistant",
                       [c](const http::Request& r, http::Responder respond) { handle(c, r, std::move(respond)); });
}

}  // namespace hearth::api
