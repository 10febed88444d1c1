#include "hearth/home/devices.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <future>

#include "hearth/home/homes.h"
#include "hearth/platform/device_registry.h"
#include "hearth/store/embedded_history.h"
#include "hearth/store/sqlite_registry.h"
#include "unit/home/access_recorder.h"
#include "unit/temp_dir.h"

namespace hearth::home {
namespace {

using core::StatusCode;
using store::HomeRole;

constexpr std::string_view kCode = "ABCDE-12345";

class DevicesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    registry_ = store::SqliteRegistry::open(store::registryPath(dir_.file(""))).value();
    history_ = store::openHistoryIn(dir_.file("").string(), store::HistoryEngine::kSqlite).value();
    audit_ = std::make_unique<AuditLog>(*registry_, clock_);
    release_ = std::make_unique<DeviceRelease>(*registry_, *registry_, *registry_, history_.get(), &announced_);
    devices_ = std::make_unique<Devices>(*registry_, *registry_, *registry_, *registry_, *release_, *audit_, clock_,
                                         &announced_);
    for (const char* email : {"owner@x.org", "admin@x.org", "member@x.org", "guest@x.org", "friend@x.org"}) {
      users_.push_back(registry_->addUser(store::UserRecord{0, email, "-", false, 0}).value());
    }
    home_ = registry_->createHome(store::HomeRecord{0, "Home", owner(), clock_.unixMillis()}).value().id;
    other_home_ = registry_->createHome(store::HomeRecord{0, "Other", owner(), clock_.unixMillis()}).value().id;
    const int64_t now = clock_.unixMillis();
    ASSERT_TRUE(registry_->addMember({home_, admin(), HomeRole::kAdmin, 0, now}).isOk());
    ASSERT_TRUE(registry_->addMember({home_, member(), HomeRole::kMember, 0, now}).isOk());
    ASSERT_TRUE(registry_->addMember({home_, guest(), HomeRole::kGuest, 0, now}).isOk());
    room_ = registry_->addRoom(store::RoomRecord{0, home_, "Kitchen", now}).value().id;
    other_room_ = registry_->addRoom(store::RoomRecord{0, other_home_, "Hall", now}).value().id;
    for (std::string did : {"d1", "d2", "d3"}) {
      store::DeviceRecord d;
      d.did = did;
      d.model = "acme.light.one";
      d.secret_hash = "-";
      d.bind_code_hash = platform::DeviceRegistry::hashBindCode(did == "d1" ? "ABCDE12345" : "ZZZZZ0000" + did.substr(1));
      ASSERT_TRUE(registry_->addDevices({d}).isOk());
    }
  }

  int64_t owner() const { return users_[0]; }
  int64_t admin() const { return users_[1]; }
  int64_t member() const { return users_[2]; }
  int64_t guest() const { return users_[3]; }
  int64_t outsider() const { return users_[4]; }

  // A reading of d1, stored.
  void report(std::string_view value = "true") {
    std::promise<core::Status> stored;
    history_->append({store::PropertySample{"d1", 2, 1, clock_.unixMillis(), std::string(value)}}, {},
                     [&stored](core::Status s) { stored.set_value(s); });
    ASSERT_TRUE(stored.get_future().get().isOk());
  }

  std::vector<std::string> dids(const core::Result<std::vector<store::DeviceRecord>>& devices) {
    EXPECT_TRUE(devices.isOk()) << devices.error().toString();
    std::vector<std::string> out;
    if (devices) {
      for (const auto& d : devices.value()) out.push_back(d.did);
    }
    return out;
  }

  test::TempDir dir_;
  core::ManualClock clock_;
  test::AccessRecorder announced_;
  std::unique_ptr<store::SqliteRegistry> registry_;
  std::unique_ptr<store::HistoryStore> history_;
  std::unique_ptr<AuditLog> audit_;
  std::unique_ptr<DeviceRelease> release_;
  std::unique_ptr<Devices> devices_;
  std::vector<int64_t> users_;
  int64_t home_ = 0, other_home_ = 0, room_ = 0, other_room_ = 0;
};

TEST_F(DevicesTest, AnAdminBindsADeviceWithItsCodeTypedLoosely) {
  auto bound = devices_->bind(admin(), home_, "abcde 1234u", room_, " Desk lamp ");
  ASSERT_EQ(bound.error().code(), StatusCode::kInvalidArgument);  // 'U' is no digit of the code
  bound = devices_->bind(admin(), home_, "abcde-12346", room_, " Desk lamp ");
  ASSERT_EQ(bound.error().code(), StatusCode::kNotFound);
  bound = devices_->bind(admin(), home_, "abcde i2345", room_, " Desk lamp ");  // I reads as 1
  ASSERT_TRUE(bound.isOk()) << bound.error().toString();
  EXPECT_EQ(bound.value().did, "d1");
  EXPECT_EQ(bound.value().name, "Desk lamp");
  EXPECT_EQ(registry_->device("d1").value(), bound.value());
  EXPECT_EQ(dids(devices_->list(member(), home_, 0, "", 10)), std::vector<std::string>{"d1"});
  EXPECT_EQ(dids(devices_->list(member(), home_, room_, "", 10)), std::vector<std::string>{"d1"});
  // A device is in one home at most, even for its owner's other home.
  EXPECT_EQ(devices_->bind(owner(), other_home_, kCode, 0, "").error().code(), StatusCode::kFailedPrecondition);
}

TEST_F(DevicesTest, OnlyOwnersAndAdminsBindAndARoomMustBeTheHomes) {
  EXPECT_EQ(devices_->bind(member(), home_, kCode, 0, "").error().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(devices_->bind(guest(), home_, kCode, 0, "").error().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(devices_->bind(outsider(), home_, kCode, 0, "").error().code(), StatusCode::kNotFound);
  EXPECT_EQ(devices_->bind(owner(), home_, kCode, other_room_, "").error().code(), StatusCode::kNotFound);
  EXPECT_EQ(registry_->device("d1").value().home_id, 0);
}

TEST_F(DevicesTest, WrongCodesAreLimitedPerUserForAWhile) {
  for (size_t i = 0; i < Devices::kBindFailures; ++i) {
    EXPECT_EQ(devices_->bind(owner(), home_, "00000-00000", 0, "").error().code(), StatusCode::kNotFound);
  }
  EXPECT_EQ(devices_->bind(owner(), home_, kCode, 0, "").error().code(), StatusCode::kResourceExhausted);
  EXPECT_TRUE(devices_->bind(admin(), home_, kCode, 0, "").isOk());  // another person is not held back
  clock_.advance(Devices::kBindWindow);
  EXPECT_EQ(devices_->bind(owner(), home_, "ZZZZZ-00002", 0, "").value().did, "d2");
}

TEST_F(DevicesTest, RenameMoveAndUnbindNeedTheRightRoleAndUnbindForgetsTheDevice) {
  ASSERT_TRUE(devices_->bind(owner(), home_, kCode, room_, "Lamp").isOk());
  EXPECT_EQ(devices_->rename(member(), "d1", "Mine").code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(devices_->rename(outsider(), "d1", "Mine").code(), StatusCode::kNotFound);
  EXPECT_EQ(devices_->rename(admin(), "d1", "").code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(devices_->rename(admin(), "d1", "Reading lamp").isOk());
  EXPECT_EQ(devices_->move(admin(), "d1", other_room_).code(), StatusCode::kNotFound);
  EXPECT_TRUE(devices_->move(admin(), "d1", 0).isOk());
  EXPECT_EQ(registry_->device("d1").value().name, "Reading lamp");
  EXPECT_EQ(registry_->device("d1").value().room_id, 0);

  report();
  ASSERT_TRUE(devices_->share(owner(), "d1", "friend@x.org", 0).isOk());
  EXPECT_EQ(devices_->unbind(member(), "d1").code(), StatusCode::kPermissionDenied);
  ASSERT_TRUE(devices_->unbind(admin(), "d1").isOk());
  const store::DeviceRecord d = registry_->device("d1").value();
  EXPECT_EQ(d.home_id, 0);
  EXPECT_EQ(d.name, "");
  EXPECT_TRUE(history_->latest("d1").value().empty());
  EXPECT_TRUE(registry_->sharesOf("d1", 0, 10).value().empty());
  EXPECT_EQ(devices_->authorize(owner(), "d1", HomeAction::kView).error().code(), StatusCode::kNotFound);
  // The label's code binds it again, anywhere.
  EXPECT_EQ(devices_->bind(owner(), other_home_, kCode, 0, "").value().home_id, other_home_);
}

TEST_F(DevicesTest, AGuestAndAnOutsiderSeeAndControlOnlyWhatIsSharedWithThemUntilItEnds) {
  ASSERT_TRUE(devices_->bind(owner(), home_, kCode, room_, "").isOk());
  ASSERT_TRUE(devices_->bind(owner(), home_, "ZZZZZ-00002", 0, "").isOk());
  EXPECT_TRUE(dids(devices_->list(guest(), home_, 0, "", 10)).empty());
  EXPECT_EQ(devices_->authorize(guest(), "d1", HomeAction::kView).error().code(), StatusCode::kNotFound);
  EXPECT_EQ(devices_->list(outsider(), home_, 0, "", 10).error().code(), StatusCode::kNotFound);

  EXPECT_EQ(devices_->share(member(), "d1", "guest@x.org", 0).error().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(devices_->share(owner(), "d1", "member@x.org", 0).error().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(devices_->share(owner(), "d1", "nobody@x.org", 0).error().code(), StatusCode::kNotFound);
  ASSERT_TRUE(devices_->share(owner(), "d1", "GUEST@x.org", 0).isOk());
  const int64_t until = clock_.unixMillis() + 60'000;
  ASSERT_TRUE(devices_->share(admin(), "d1", "friend@x.org", until).isOk());

  EXPECT_EQ(dids(devices_->list(guest(), home_, 0, "", 10)), std::vector<std::string>{"d1"});
  for (int64_t user : {guest(), outsider()}) {
    EXPECT_TRUE(devices_->authorize(user, "d1", HomeAction::kControlDevices).isOk());
    EXPECT_EQ(devices_->authorize(user, "d1", HomeAction::kManageDevices).error().code(),
              StatusCode::kPermissionDenied);
    EXPECT_EQ(devices_->authorize(user, "d2", HomeAction::kView).error().code(), StatusCode::kNotFound);
  }
  EXPECT_EQ(dids(devices_->sharedWith(outsider(), "", 10)), std::vector<std::string>{"d1"});
  EXPECT_EQ(devices_->shares(owner(), "d1", 0, 10).value().size(), 2u);
  const auto first = devices_->shares(owner(), "d1", 0, 1).value();
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(devices_->shares(owner(), "d1", first[0].user_id, 10).value().size(), 1u);

  clock_.advance(std::chrono::minutes(1));
  EXPECT_EQ(devices_->authorize(outsider(), "d1", HomeAction::kView).error().code(), StatusCode::kNotFound);
  EXPECT_TRUE(dids(devices_->sharedWith(outsider(), "", 10)).empty());
  // The guest leaves the share themselves; the outsider may not touch anyone else's.
  EXPECT_EQ(devices_->unshare(outsider(), "d1", guest()).code(), StatusCode::kNotFound);
  ASSERT_TRUE(devices_->unshare(guest(), "d1", guest()).isOk());
  EXPECT_EQ(devices_->authorize(guest(), "d1", HomeAction::kView).error().code(), StatusCode::kNotFound);
}

TEST_F(DevicesTest, EveryoneABindShareUnshareOrUnbindConcernsIsAnnounced) {
  ASSERT_TRUE(devices_->bind(admin(), home_, kCode, 0, "Lamp").isOk());
  const std::vector<int64_t> members = {owner(), admin(), member(), guest()};
  EXPECT_EQ(announced_.take(), members);
  ASSERT_TRUE(devices_->share(admin(), "d1", "friend@x.org", 0).isOk());
  EXPECT_EQ(announced_.take(), std::vector<int64_t>{outsider()});
  ASSERT_TRUE(devices_->unshare(outsider(), "d1", outsider()).isOk());
  EXPECT_EQ(announced_.take(), std::vector<int64_t>{outsider()});
  ASSERT_TRUE(devices_->share(admin(), "d1", "guest@x.org", 0).isOk());
  ASSERT_TRUE(devices_->share(admin(), "d1", "friend@x.org", 0).isOk());
  announced_.take();
  // The home's members and whoever it was shared with, read before the unbind ends the shares.
  ASSERT_TRUE(devices_->unbind(owner(), "d1").isOk());
  std::vector<int64_t> expected = members;
  expected.push_back(guest());
  expected.push_back(outsider());
  EXPECT_EQ(announced_.take(), expected);
  // A refused change announces nothing.
  EXPECT_FALSE(devices_->unbind(member(), "d2").isOk());
  EXPECT_TRUE(announced_.take().empty());
}

// The other ways out of a home go through DeviceRelease too, and announce the same people.
TEST_F(DevicesTest, RemovingADeviceOrDeletingItsHomeAnnouncesWhoSawIt) {
  ASSERT_TRUE(devices_->bind(admin(), home_, kCode, 0, "Lamp").isOk());
  ASSERT_TRUE(devices_->share(admin(), "d1", "friend@x.org", 0).isOk());
  announced_.take();
  ASSERT_TRUE(release_->remove("d1").isOk());
  EXPECT_EQ(announced_.take(), (std::vector<int64_t>{owner(), admin(), member(), guest(), outsider()}));
  ASSERT_TRUE(release_->deleteHome(other_home_).isOk());
  EXPECT_EQ(announced_.take(), std::vector<int64_t>{owner()});
}

TEST_F(DevicesTest, DeletingARoomOrTheHomeLeavesDevicesInNoRoomOrUnbound) {
  ASSERT_TRUE(devices_->bind(owner(), home_, kCode, room_, "Lamp").isOk());
  ASSERT_TRUE(devices_->share(owner(), "d1", "friend@x.org", 0).isOk());
  ASSERT_TRUE(registry_->deleteRoom(room_).isOk());
  EXPECT_EQ(registry_->device("d1").value().room_id, 0);
  ASSERT_TRUE(registry_->deleteHome(home_).isOk());
  EXPECT_EQ(registry_->device("d1").value().home_id, 0);
  EXPECT_TRUE(registry_->sharesOf("d1", 0, 10).value().empty());
}

TEST_F(DevicesTest, DeletingTheHomeErasesWhatItsDevicesKeptForTheNextOwner) {
  Homes homes(*registry_, *release_, clock_);
  ASSERT_TRUE(devices_->bind(owner(), home_, kCode, room_, "Lamp").isOk());
  report();
  EXPECT_EQ(homes.remove(admin(), home_).code(), StatusCode::kPermissionDenied);
  ASSERT_TRUE(homes.remove(owner(), home_).isOk());
  EXPECT_TRUE(history_->latest("d1").value().empty());
  EXPECT_TRUE(history_->range("d1", 2, 1, 0, INT64_MAX, 10).value().empty());
  EXPECT_TRUE(registry_->pendingErasures(10).value().empty());
}

TEST_F(DevicesTest, AnErasureLeftPendingIsCarriedOutBeforeTheDeviceIsBoundAgain) {
  ASSERT_TRUE(devices_->bind(owner(), home_, kCode, room_, "Lamp").isOk());
  report();
  // Unbound by a process without the history store (the CLI while hearthd runs).
  DeviceRelease elsewhere(*registry_, *registry_, *registry_, nullptr);
  ASSERT_TRUE(elsewhere.unbind("d1").isOk());
  EXPECT_EQ(registry_->pendingErasures(10).value(), (std::vector<std::string>{"d1"}));
  EXPECT_EQ(history_->latest("d1").value().size(), 1u);
  report("false");  // what it reports in no home belongs to the household it left
  const int64_t now = clock_.unixMillis();
  const int64_t stranger = registry_->addUser(store::UserRecord{0, "new@x.org", "-", false, 0}).value();
  const int64_t theirs = registry_->createHome(store::HomeRecord{0, "Theirs", stranger, now}).value().id;
  ASSERT_TRUE(devices_->bind(stranger, theirs, kCode, 0, "").isOk());
  EXPECT_TRUE(history_->latest("d1").value().empty());
  EXPECT_TRUE(registry_->pendingErasures(10).value().empty());
}

TEST_F(DevicesTest, ADeviceWhoseOldHistoryCannotBeErasedYetIsNotBound) {
  ASSERT_TRUE(devices_->bind(owner(), home_, kCode, room_, "Lamp").isOk());
  report();
  DeviceRelease elsewhere(*registry_, *registry_, *registry_, nullptr);
  Devices without_history(*registry_, *registry_, *registry_, *registry_, elsewhere, *audit_, clock_);
  ASSERT_TRUE(without_history.unbind(owner(), "d1").isOk());
  EXPECT_EQ(without_history.bind(owner(), other_home_, kCode, 0, "").error().code(), StatusCode::kUnavailable);
  EXPECT_EQ(registry_->device("d1").value().home_id, 0);
  ASSERT_TRUE(devices_->bind(owner(), other_home_, kCode, 0, "").isOk());
  EXPECT_TRUE(history_->latest("d1").value().empty());
}

TEST_F(DevicesTest, TheSweepCarriesOutPendingErasures) {
  ASSERT_TRUE(devices_->bind(owner(), home_, kCode, room_, "Lamp").isOk());
  report();
  DeviceRelease elsewhere(*registry_, *registry_, *registry_, nullptr);
  ASSERT_TRUE(elsewhere.remove("d1").isOk());
  EXPECT_EQ(elsewhere.erasePending().value(), 1u);  // it cannot: no history store
  EXPECT_EQ(release_->erasePending().value(), 0u);
  EXPECT_TRUE(history_->latest("d1").value().empty());
  EXPECT_FALSE(registry_->hasErasure("d1").value());  // removed: nothing left to remember
}

}  // namespace
}  // namespace hearth::home
