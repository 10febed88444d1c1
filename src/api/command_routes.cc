#include "hearth/api/command_routes.h"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <optional>

#include "api/route_params.h"
#include "hearth/api/status_response.h"
#include "hearth/platform/result_code.h"
#include "hearth/spec/json.h"

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

void addCommandRoutes(http::Server& server, platform::CommandService& commands, const OperatorToken& token,
                      home::Accounts& accounts, home::Devices& devices) {
  server.addAsyncRoute(
      "POST", "/api/v1/devices/{did}/commands",
      [&commands, &token, &accounts, &devices](const http::Request& request, http::Responder respond) {
        std::optional<int64_t> user;  // a person's, or none for the operator
        if (!token.allows(request)) {
          auto signed_in = signedIn(request, accounts);
          if (!signed_in) return respond(signed_in.error());
          user = signed_in.value().id;
        }
        auto parsed = spec::parseJson(request.body);
        if (!parsed) return respond(http::errorResponse(400, "body: not JSON: " + parsed.error().toString()));
        const json::object* body = parsed.value().if_object();
        if (body == nullptr) return respond(http::errorResponse(400, "body: not an object"));
        auto options = readOptions(*body);
        if (!options) return respond(http::errorResponse(400, options.error()));
        auto command = platform::parseRequestMembers(*body);
        if (!command) return respond(http::errorResponse(400, command.error().reason));
        platform::DeviceRequest& req = command.value();
        const std::string did(request.param("did"));
        if (user) {
          const auto action = req.method == platform::Method::kGetProperties ? home::HomeAction::kView
                                                                              : home::HomeAction::kControlDevices;
          if (auto allowed = devices.authorize(*user, did, action); !allowed) {
            return respond(responseFor(allowed.error()));
          }
        }
        auto done = [respond](platform::DeviceResponse response) { respond(answerOf(response)); };
        switch (req.method) {
          case platform::Method::kGetProperties:
            return commands.getProperties(did, std::move(req.properties), options.value(), std::move(done));
          case platform::Method::kSetProperties:
            return commands.setProperties(did, std::move(req.properties), options.value(), std::move(done));
          case platform::Method::kAction:
            return commands.invokeAction(did, req.siid, req.iid, std::move(req.in), options.value(), std::move(done));
          default:
            return respond(http::errorResponse(
                400, fmt::format("method: {} is sent by devices, not to them", platform::methodName(req.method))));
        }
      });
}

}  // namespace hearth::api
