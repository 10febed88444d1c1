#include "hearth/api/command_routes.h"

#include <boost/json.hpp>
#include <fmt/format.h>

#include "api/route_params.h"
#include "hearth/api/status_response.h"
#include "hearth/platform/result_code.h"
#include "hearth/core/json.h"

namespace hearth::api {

namespace json = boost::json;

namespace {

constexpr int64_t kMaxTimeoutMs = 60'000;
constexpr int64_t kMaxTtlS = 30 * 24 * 3600;

// The options beside "method" and "params"; a reason when one is wrong or unknown.
core::Result<platform::CommandOptions, std::string> readOptions(const json::object& body) {
  platform::CommandOptions o;
  for (const auto& [key, value] : body) {
    if (key == "method" || key == "params") continue;
    if (key == "timeout_ms" || key == "ttl_s") {
      const int64_t max = key == "timeout_ms" ? kMaxTimeoutMs : kMaxTtlS;
      const int64_t* n = value.if_int64();
      if (n == nullptr || *n < 1 || *n > max) {
        return fmt::format("{}: not an integer from 1 to {}", std::string_view(key), max);
      }
      if (key == "timeout_ms") {
        o.timeout = std::chrono::milliseconds(*n);
      } else {
        o.ttl = std::chrono::seconds(*n);
      }
    } else if (key == "when_offline") {
      const json::string* s = value.if_string();
      if (s != nullptr && *s == "fail") {
        o.when_offline = platform::WhenOffline::kFail;
      } else if (s != nullptr && *s == "queue") {
        o.when_offline = platform::WhenOffline::kQueue;
      } else {
        return std::string("when_offline: \"fail\" or \"queue\"");
      }
    } else {
      return fmt::format("unknown member \"{}\"", std::string_view(key));
    }
  }
  return o;
}

http::Response answerOf(const platform::DeviceResponse& response) {
  if (const auto* error = std::get_if<platform::MessageError>(&response.body)) {
    return http::errorResponse(error->code == platform::result::kDeviceNotFound ? 404 : 500, error->message);
  }
  return http::Response{200, "application/json", platform::serializeDeviceMessage(response)};
}

}  // namespace

void addCommandRoutes(http::Server& server, home::DeviceCommands& commands, const OperatorToken& token,
                      home::Accounts& accounts) {
  server.addAsyncRoute(
      "POST", "/api/v1/devices/{did}/commands",
      [&commands, &token, &accounts](const http::Request& request, http::Responder respond) {
        home::Actor actor = home::Actor::operatorActor();
        if (!token.allows(request)) {
          auto signed_in = signedIn(request, accounts);
          if (!signed_in) return respond(signed_in.error());
          actor.user_id = signed_in.value().id;
        }
        auto parsed = core::parseJson(request.body);
        if (!parsed) return respond(http::errorResponse(400, "body: not JSON: " + parsed.error().message()));
        const json::object* body = parsed.value().if_object();
        if (body == nullptr) return respond(http::errorResponse(400, "body: not an object"));
        auto options = readOptions(*body);
        if (!options) return respond(http::errorResponse(400, options.error()));
        auto command = platform::parseRequestMembers(*body);
        if (!command) return respond(http::errorResponse(400, command.error().reason));
        core::Status sent = commands.send(actor, std::string(request.param("did")), std::move(command).value(),
                                          options.value(), [respond](platform::DeviceResponse response) {
                                            respond(answerOf(response));
                                          });
        if (sent.code() == core::StatusCode::kInvalidArgument) return respond(http::errorResponse(400, sent.message()));
        if (!sent.isOk()) respond(responseFor(sent));
      });
}

}  // namespace hearth::api
