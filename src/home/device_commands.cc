#include "hearth/home/device_commands.h"

#include "hearth/platform/device_message.h"

namespace hearth::home {

core::Status DeviceCommands::send(const Actor& actor, const std::string& did, platform::DeviceRequest request,
                                  const platform::CommandOptions& options, platform::CommandCallback done) {
  using platform::Method;
  if (request.method != Method::kGetProperties && request.method != Method::kSetProperties &&
      request.method != Method::kAction) {
    return core::Status::invalidArgument(std::string("method: ") + std::string(platform::methodName(request.method)) +
                                         " is sent by devices, not to them");
  }
  if (actor.user_id != 0) {
    const HomeAction action =
        request.method == Method::kGetProperties ? HomeAction::kView : HomeAction::kControlDevices;
    if (auto allowed = devices_.authorize(actor.user_id, did, action); !allowed) return allowed.error();
  }
  if (request.method == Method::kGetProperties) {
    commands_.getProperties(did, std::move(request.properties), options, std::move(done));
    return core::Status::ok();
  }
  // Changes are audited: what was asked now, what came of it when it comes.
  request.id = 0;
  // The answer may come as late as the CommandService's destruction: hold the log, not this.
  auto audited = [&audit = audit_, did, actor_name = actor.name(), method = std::string(platform::methodName(request.method)),
                  detail = platform::serializeDeviceMessage(request),
                  done = std::move(done)](platform::DeviceResponse response) {
    audit.record(did, actor_name, method, detail, platform::serializeDeviceMessage(response));
    done(std::move(response));
  };
  if (request.method == Method::kSetProperties) {
    commands_.setProperties(did, std::move(request.properties), options, std::move(audited));
  } else {
    commands_.invokeAction(did, request.siid, request.iid, std::move(request.in), options, std::move(audited));
  }
  return core::Status::ok();
}

}  // namespace hearth::home
