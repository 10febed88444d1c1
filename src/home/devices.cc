#include "hearth/home/devices.h"

#include <boost/json.hpp>

#include <algorithm>
#include <functional>

#include "hearth/home/accounts.h"
#include "hearth/home/homes.h"
#include "hearth/platform/device_registry.h"

namespace hearth::home {

namespace {

// The result of a change the registry made: it is done.
constexpr const char* kDone = R"({"code":0})";

// A page size within 1..kMaxPage.
size_t pageOf(size_t limit) { return std::clamp<size_t>(limit, 1, Devices::kMaxPage); }

}  // namespace

core::Status Devices::checkRoom(int64_t home_id, int64_t room_id) {
  if (room_id == 0) return core::Status::ok();
  auto room = homes_.room(room_id);
  if (room && room.value().home_id == home_id) return core::Status::ok();
  if (!room && room.error().code() != core::StatusCode::kNotFound) return room.error();
  return core::Status::notFound("no room " + std::to_string(room_id));
}

core::Result<store::DeviceRecord> Devices::bind(int64_t user_id, int64_t home_id, std::string_view bind_code,
                                                int64_t room_id, std::string_view name) {
  const int64_t now = clock_.unixMillis();
  auto member = home::authorize(homes_, user_id, home_id, HomeAction::kManageDevices, now);
  if (!member) return member.error();
  HEARTH_RETURN_IF_ERROR(checkRoom(home_id, room_id));
  std::string checked_name;
  if (!name.empty()) {
    auto checked = Homes::checkName(name);
    if (!checked) return checked.error();
    checked_name = std::move(checked).value();
  }
  auto code = platform::DeviceRegistry::normaliseBindCode(bind_code);
  if (!code) return core::Status::invalidArgument("bind_code: 10 letters and digits, as on the device's label");
  const std::string key = std::to_string(user_id);
  const int64_t window = std::chrono::milliseconds(kBindWindow).count();
  if (bind_failures_.exceeded(key, kBindFailures, now, window)) {
    return core::Status::resourceExhausted("too many wrong bind codes; try again later");
  }
  auto device = devices_.deviceWithBindCode(platform::DeviceRegistry::hashBindCode(*code));
  if (!device) {
    if (device.error().code() != core::StatusCode::kNotFound) return device.error();
    bind_failures_.add(key, now);
    return core::Status::notFound("no device has that bind code");
  }
  store::DeviceRecord& d = device.value();
  if (d.home_id != 0) {
    return core::Status::failedPrecondition("that device is in a home already; it must be removed from it first");
  }
  HEARTH_RETURN_IF_ERROR(release_.prepareBind(d.did));
  HEARTH_RETURN_IF_ERROR(devices_.bindDevice(d.did, home_id, room_id, checked_name, now));
  announce(access_, homeMemberIds(homes_, home_id));
  bind_failures_.clear(key);
  audit_.record(d.did, AuditLog::userActor(user_id), "bind",
                boost::json::serialize(boost::json::object{{"home_id", home_id}, {"room_id", room_id}, {"name", checked_name}}),
                kDone);
  d.home_id = home_id;
  d.room_id = room_id;
  d.name = std::move(checked_name);
  d.bound_at_ms = now;
  return std::move(d);
}

core::Result<std::vector<store::DeviceRecord>> Devices::list(int64_t user_id, int64_t home_id, int64_t room_id,
                                                             std::string_view after, size_t limit) {
  const int64_t now = clock_.unixMillis();
  auto member = home::authorize(homes_, user_id, home_id, HomeAction::kView, now);
  if (!member) return member.error();
  if (member.value().role != store::HomeRole::kGuest) {
    return devices_.devicesInHome(home_id, room_id, after, pageOf(limit));
  }
  return sharedDevices(user_id, after, limit, [home_id, room_id](const store::DeviceRecord& d) {
    return d.home_id == home_id && (room_id == 0 || d.room_id == room_id);
  });
}

core::Result<std::vector<store::DeviceRecord>> Devices::sharedDevices(
    int64_t user_id, std::string_view after, size_t limit, const std::function<bool(const store::DeviceRecord&)>& keep) {
  const int64_t now = clock_.unixMillis();
  std::vector<store::DeviceRecord> out;
  std::string cursor(after);
  for (;;) {
    auto page = shares_.sharesWith(user_id, cursor, kMaxPage);
    if (!page) return page.error();
    for (const store::ShareRecord& share : page.value()) {
      if (share.until_ms != 0 && share.until_ms <= now) continue;
      auto device = devices_.device(share.did);
      if (!device || device.value().home_id == 0 || !keep(device.value())) continue;  // removed or unbound meanwhile
      out.push_back(std::move(device).value());
      if (out.size() == pageOf(limit)) return out;
    }
    if (page.value().size() < kMaxPage) return out;
    cursor = page.value().back().did;
  }
}

core::Result<store::DeviceRecord> Devices::authorize(int64_t user_id, std::string_view did, HomeAction action) {
  auto device = devices_.device(did);
  if (!device) return device.error();
  HEARTH_RETURN_IF_ERROR(authorizeDevice(homes_, shares_, user_id, device.value(), action, clock_.unixMillis()));
  return device;
}

core::Status Devices::rename(int64_t user_id, std::string_view did, std::string_view name) {
  auto device = authorize(user_id, did, HomeAction::kManageDevices);
  if (!device) return device.error();
  auto checked = Homes::checkName(name);
  if (!checked) return checked.error();
  HEARTH_RETURN_IF_ERROR(devices_.renameDevice(did, checked.value()));
  audit_.record(std::string(did), AuditLog::userActor(user_id), "rename",
                boost::json::serialize(boost::json::object{{"name", checked.value()}}), kDone);
  return core::Status::ok();
}

core::Status Devices::move(int64_t user_id, std::string_view did, int64_t room_id) {
  auto device = authorize(user_id, did, HomeAction::kManageDevices);
  if (!device) return device.error();
  HEARTH_RETURN_IF_ERROR(checkRoom(device.value().home_id, room_id));
  HEARTH_RETURN_IF_ERROR(devices_.setDeviceRoom(did, room_id));
  audit_.record(std::string(did), AuditLog::userActor(user_id), "move",
                boost::json::serialize(boost::json::object{{"room_id", room_id}}), kDone);
  return core::Status::ok();
}

core::Status Devices::unbind(int64_t user_id, std::string_view did) {
  auto device = authorize(user_id, did, HomeAction::kManageDevices);
  if (!device) return device.error();
  return release_.unbind(did);
}

core::Result<store::ShareRecord> Devices::share(int64_t user_id, std::string_view did, std::string_view email,
                                                int64_t until_ms) {
  const int64_t now = clock_.unixMillis();
  auto device = authorize(user_id, did, HomeAction::kManageDevices);
  if (!device) return device.error();
  auto normalised = Accounts::normaliseEmail(email);
  if (!normalised) return normalised.error();
  if (until_ms != 0 && until_ms <= now) return core::Status::invalidArgument("the end date has passed");
  auto target = accounts_.userByEmail(normalised.value());
  if (!target) {
    if (target.error().code() == core::StatusCode::kNotFound) return core::Status::notFound("no account has that email");
    return target.error();
  }
  const int64_t target_id = target.value().id;
  if (target_id == user_id) return core::Status::invalidArgument("a device is not shared with oneself");
  auto member = homes_.member(device.value().home_id, target_id);
  if (member && member.value().role != store::HomeRole::kGuest) {
    return core::Status::failedPrecondition("a member of the home sees its devices already");
  }
  if (!member && member.error().code() != core::StatusCode::kNotFound) return member.error();
  store::ShareRecord share{std::string(did), target_id, user_id, until_ms, now};
  HEARTH_RETURN_IF_ERROR(shares_.putShare(share));
  announce(access_, {target_id});
  audit_.record(share.did, AuditLog::userActor(user_id), "share",
                boost::json::serialize(boost::json::object{{"user_id", target_id}, {"until_ms", until_ms}}), kDone);
  return share;
}

core::Result<std::vector<store::ShareRecord>> Devices::shares(int64_t user_id, std::string_view did,
                                                              int64_t after_user, size_t limit) {
  auto device = authorize(user_id, did, HomeAction::kManageDevices);
  if (!device) return device.error();
  return shares_.sharesOf(did, after_user, pageOf(limit));
}

core::Status Devices::unshare(int64_t user_id, std::string_view did, int64_t shared_with) {
  if (user_id != shared_with) {
    auto device = authorize(user_id, did, HomeAction::kManageDevices);
    if (!device) return device.error();
  }
  HEARTH_RETURN_IF_ERROR(shares_.removeShare(did, shared_with));
  announce(access_, {shared_with});
  audit_.record(std::string(did), AuditLog::userActor(user_id), "unshare",
                boost::json::serialize(boost::json::object{{"user_id", shared_with}}), kDone);
  return core::Status::ok();
}

core::Result<std::vector<store::DeviceRecord>> Devices::sharedWith(int64_t user_id, std::string_view after,
                                                                   size_t limit) {
  return sharedDevices(user_id, after, limit, [](const store::DeviceRecord&) { return true; });
}

}  // namespace hearth::home
