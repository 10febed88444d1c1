// Commands to devices on someone's behalf: the one path by which people (over the REST and MIoT
// APIs) and the operator, and later automations and the assistant, reach
// platform::CommandService. It asks home/access.h first (get_properties needs to see the device,
// set_properties and action to control it) and records every set_properties and action with who
// sent it and what came of it in the audit log (home::AuditLog), which a device's event log shows.
//
// Ownership: borrows everything; the AuditLog must outlive the CommandService (which may answer
// outstanding commands as late as its destruction). Thread-safety: any thread. Errors: a refused access check is the
// returned Status (access.h's kNotFound or kPermissionDenied) and `done` is not called; otherwise
// Ok, and `done` gets the CommandService's answer, as that documents (possibly before the call
// returns).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "hearth/home/audit_log.h"
#include "hearth/home/devices.h"
#include "hearth/platform/command_service.h"

namespace hearth::home {

// Who sends a command: a person (their account id), or the operator (user_id 0, who may reach
// every device).
struct Actor {
  int64_t user_id = 0;
  static Actor operatorActor() { return Actor{0}; }
  std::string name() const { return user_id == 0 ? "operator" : AuditLog::userActor(user_id); }
};

class DeviceCommands {
 public:
  DeviceCommands(Devices& devices, platform::CommandService& commands, AuditLog& audit)
      : devices_(devices), commands_(commands), audit_(audit) {}

  // `request.method` is get_properties, set_properties or action (kInvalidArgument otherwise);
  // its id is ignored.
  core::Status send(const Actor& actor, const std::string& did, platform::DeviceRequest request,
                    const platform::CommandOptions& options, platform::CommandCallback done);

 private:
  Devices& devices_;
  platform::CommandService& commands_;
  AuditLog& audit_;
};

}  // namespace hearth::home
