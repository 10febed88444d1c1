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
#include "hearth/assistant/speech.h"
#include "hearth/core/json.h"

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
  assistant::Recognizer* recognizer;  // null when speech recognition is not installed
  Offload offload;
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
          if (auto value = core::parseJson(s.value_json)) assistant::addShadowValue(d, s.siid, s.piid, value.value());
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
  // `extra`: members the reply carries besides these (what speech recognition heard).
  Run(assistant::Interpretation in, json::object extra, http::Responder respond)
      : in_(std::move(in)), extra_(std::move(extra)), respond_(std::move(respond)) {}

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
    json::object body = std::move(extra_);
    body["interpretation"] = assistant::toJson(in_);
    body["results"] = std::move(results);
    body["response"] = response;
    respond_(http::Response{200, "application/json", json::serialize(body)});
  }

  assistant::Interpretation in_;
  json::object extra_;
  http::Responder respond_;
  std::mutex mutex_;
  std::vector<Result> results_;
  size_t pending_ = 0;
  bool finished_ = false;
};

// The sentence against the home, carried out unless `dry_run`; the reply carries `extra` too.
void carryOut(const Context& c, int64_t user, const assistant::Interpreter& interpreter, std::string_view text,
              const std::string& room, bool dry_run, json::object extra, http::Responder respond) {
  auto meaning = interpreter.interpret(text, room);
  auto run = std::make_shared<Run>(meaning, std::move(extra), std::move(respond));
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
    core::Status sent = c.commands.send(home::Actor{user}, d.id, requestOf(*op), platform::CommandOptions{},
                                        [run, slot](platform::DeviceResponse response) {
                                          run->answered(slot, failureOf(response));
                                        });
    if (!sent.isOk()) run->answered(slot, sent.message());
  }
  run->finish();
}

void handleText(const Context& c, const http::Request& r, http::Responder respond) {
  auto user = signedIn(r, c.accounts);
  if (!user) return respond(user.error());
  auto home_id = positiveInt(r.param("home"));
  if (!home_id) return respond(http::errorResponse(404, "no home " + std::string(r.param("home"))));
  using Type = MemberSpec::Type;
  auto in = readMembers(r.body, {{"text", Type::kString, true}, {"room", Type::kInteger, false},
                                 {"dry_run", Type::kBool, false}});
  if (!in) return respond(http::errorResponse(400, in.error()));
  const std::string_view text = in.value().string("text");
  if (text.empty() || text.size() > kMaxText) {
    return respond(http::errorResponse(400, fmt::format("text: from 1 to {} bytes", kMaxText)));
  }
  auto snapshot = snapshotOf(c, user.value().id, *home_id);
  if (!snapshot) return respond(responseFor(snapshot.error()));
  const assistant::Interpreter interpreter(std::move(snapshot).value());
  const std::optional<int64_t> room = in.value().integer("room");
  carryOut(c, user.value().id, interpreter, text, room ? std::to_string(*room) : std::string(),
           in.value().boolean("dry_run").value_or(false), {}, std::move(respond));
}

// "1" / "true" → true, "0" / "false" / absent → false, else the reason.
core::Result<bool, http::Response> queryFlag(const http::Request& r, std::string_view name) {
  const std::string_view v = r.queryParam(name);
  if (v.empty() || v == "0" || v == "false") return false;
  if (v == "1" || v == "true") return true;
  return http::errorResponse(400, fmt::format("{}: 1 or 0", name));
}

void handleSpeech(const Context& c, const http::Request& r, http::Responder respond) {
  auto user = signedIn(r, c.accounts);
  if (!user) return respond(user.error());
  auto home_id = positiveInt(r.param("home"));
  if (!home_id) return respond(http::errorResponse(404, "no home " + std::string(r.param("home"))));
  const std::string_view language = r.queryParam("language");
  if (!language.empty() && language != "en") {
    return respond(http::errorResponse(
        501, "speech recognition is English only for now (Debian has no Mandarin model): send Chinese as text to "
             "/api/v1/homes/{home}/assistant", "not_implemented"));
  }
  auto room = queryInt(r, "room", 0, 0, INT64_MAX);
  if (!room) return respond(room.error());
  auto dry_run = queryFlag(r, "dry_run");
  if (!dry_run) return respond(dry_run.error());
  auto audio = assistant::readWav(r.body);
  if (!audio) return respond(http::errorResponse(400, audio.error().message()));
  if (c.recognizer == nullptr) {
    return respond(http::errorResponse(503, "speech recognition is not installed (pocketsphinx-en-us)", "unavailable"));
  }
  // Decoding takes a fortieth of the audio's length: on the speech thread, not the HTTP one.
  c.offload([c, user_id = user.value().id, home_id = *home_id, room = room.value(), dry_run = dry_run.value(),
             audio = std::move(audio).value(), respond = std::move(respond)]() mutable {
    auto snapshot = snapshotOf(c, user_id, home_id);
    if (!snapshot) return respond(responseFor(snapshot.error()));
    const assistant::Interpreter interpreter(std::move(snapshot).value());
    auto heard = c.recognizer->recognize(audio, interpreter.home());
    if (!heard) return respond(responseFor(heard.error()));
    json::object speech{{"audio_seconds", audio.seconds()},
                        {"decode_seconds", heard.value().decode_seconds},
                        {"score", heard.value().score},
                        {"rejected", heard.value().rejected}};
    json::object extra{{"heard", heard.value().text}, {"speech", std::move(speech)}};
    carryOut(c, user_id, interpreter, heard.value().text, room != 0 ? std::to_string(room) : std::string(), dry_run,
             std::move(extra), std::move(respond));
  });
}

void handleVoice(const Context& c, const http::Request& r, http::Responder respond) {
  auto user = signedIn(r, c.accounts);
  if (!user) return respond(user.error());
  auto in = readMembers(r.body, {{"text", MemberSpec::Type::kString, true}, {"language", MemberSpec::Type::kString, false}});
  if (!in) return respond(http::errorResponse(400, in.error()));
  std::string text(in.value().string("text"));
  if (text.empty() || text.size() > kMaxText) {
    return respond(http::errorResponse(400, fmt::format("text: from 1 to {} bytes", kMaxText)));
  }
  std::string language = "en";
  if (in.value().has("language")) {
    language = std::string(in.value().string("language"));
    if (language != "en" && language != "zh") return respond(http::errorResponse(400, "language: \"en\" or \"zh\""));
  } else if (std::any_of(text.begin(), text.end(), [](char ch) { return static_cast<unsigned char>(ch) >= 0xE0; })) {
    language = "zh";  // the response of a Chinese sentence
  }
  c.offload([text = std::move(text), language = std::move(language), respond = std::move(respond)] {
    auto audio = assistant::speak(text, language);
    if (!audio) return respond(responseFor(audio.error()));
    respond(http::Response{200, "audio/wav", assistant::writeWav(*audio)});
  });
}

}  // namespace

void addAssistantRoutes(http::Server& server, home::Accounts& accounts, home::Homes& homes, home::Devices& devices,
                        platform::ProductRegistry& products, store::HistoryStore& history,
                        home::DeviceCommands& commands, assistant::Recognizer* recognizer, Offload offload) {
  const Context c{accounts, homes, devices, products, history, commands, recognizer, std::move(offload)};
  server.addAsyncRoute("POST", "/api/v1/homes/{home}/assistant",
                       [c](const http::Request& r, http::Responder respond) { handleText(c, r, std::move(respond)); });
  server.addAsyncRoute("POST", "/api/v1/homes/{home}/assistant/speech",
                       [c](const http::Request& r, http::Responder respond) { handleSpeech(c, r, std::move(respond)); });
  server.addAsyncRoute("POST", "/api/v1/assistant/voice",
                       [c](const http::Request& r, http::Responder respond) { handleVoice(c, r, std::move(respond)); });
}

}  // namespace hearth::api
