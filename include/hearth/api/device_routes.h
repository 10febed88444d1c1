// Devices for signed-in people (docs/api.md), the HTTP face of home::Devices and of the stored
// state and history. Every route needs an access token; what the user may see and do is
// home/access.h's answer: a device they may not see is 404 "no device D", a role or share that
// does not allow the change is 403.
//
//   POST   /api/v1/homes/{home}/devices {"bind_code","room_id"?,"name"?} → 201 the device
//   GET    /api/v1/homes/{home}/devices?room=ID&after=DID&limit=N → {"devices":[...],"next_after"}
//   GET    /api/v1/shares?after=DID&limit=N         → the devices shared with the caller, as above
//   GET    /api/v1/products/{model}                 → {"model","type","spec"}: the product's
//                                                      MIoT-Spec-V2 instance (its latest version)
//   GET    /api/v1/devices/{did}                    → the device
//   PATCH  /api/v1/devices/{did} {"name"?,"room_id"?} → 204 (room_id 0: no room)
//   DELETE /api/v1/devices/{did}                    → 204 unbound and forgotten
//   GET    /api/v1/devices/{did}/properties         → {"properties":[{"siid","piid","value","ts"}]}
//   GET    /api/v1/devices/{did}/history?siid&piid&from_ms&to_ms&points → {"buckets":[...]}
//   GET    /api/v1/devices/{did}/events?from_ms&to_ms&limit → {"events":[...]}: the device's own
//          events ("kind":"event") and the changes people made to it ("kind":"change", with the
//          actor and the result, from the audit log), oldest first
//   GET    /api/v1/devices/{did}/shares?after=USER&limit=N → {"shares":[...],"next_after"}
//   POST   /api/v1/devices/{did}/shares {"email","until_ms"?} → 201 the share
//   DELETE /api/v1/devices/{did}/shares/{user}      → 204
//
// Ownership: the routes borrow the services, which must outlive the server.
#pragma once

#include "hearth/home/accounts.h"
#include "hearth/home/devices.h"
#include "hearth/http/server.h"
#include "hearth/platform/product_registry.h"
#include "hearth/store/audit_store.h"
#include "hearth/store/history_store.h"

namespace hearth::api {

void addDeviceRoutes(http::Server& server, home::Accounts& accounts, home::Devices& devices,
                     platform::ProductRegistry& products, store::HistoryStore& history, store::AuditStore& audit);

}  // namespace hearth::api
