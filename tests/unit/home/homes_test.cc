#include "hearth/home/homes.h"

#include <gtest/gtest.h>

#include "hearth/store/sqlite_registry.h"
#include "unit/home/access_recorder.h"
#include "unit/temp_dir.h"

namespace hearth::home {
namespace {

using store::HomeRole;

constexpr int64_t kOwner = 1, kAdmin = 2, kMember = 3, kGuest = 4, kOutsider = 5;

class HomesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    registry_ = store::SqliteRegistry::open(store::registryPath(dir_.file(""))).value();
    release_ = std::make_unique<DeviceRelease>(*registry_, *registry_, *registry_, nullptr,  // no devices here
                                               &announced_);
    homes_ = std::make_unique<Homes>(*registry_, *release_, clock_, &announced_);
    auto home = homes_->create(kOwner, "  Demo Home ");
    ASSERT_TRUE(home.isOk()) << home.error().toString();
    home_ = home.value().id;
    const int64_t now = clock_.unixMillis();
    ASSERT_TRUE(registry_->addMember({home_, kAdmin, HomeRole::kAdmin, 0, now}).isOk());
    ASSERT_TRUE(registry_->addMember({home_, kMember, HomeRole::kMember, 0, now}).isOk());
    ASSERT_TRUE(registry_->addMember({home_, kGuest, HomeRole::kGuest, now + 60'000, now}).isOk());
  }

  test::TempDir dir_;
  core::ManualClock clock_;
  test::AccessRecorder announced_;
  std::unique_ptr<store::SqliteRegistry> registry_;
  std::unique_ptr<DeviceRelease> release_;
  std::unique_ptr<Homes> homes_;
  int64_t home_ = 0;
};

TEST_F(HomesTest, TheCreatorOwnsTheHomeAndSeesItWithItsRooms) {
  auto kitchen = homes_->addRoom(kOwner, home_, "Kitchen");
  ASSERT_TRUE(kitchen.isOk());
  ASSERT_TRUE(homes_->addRoom(kOwner, home_, "Bedroom").isOk());
  auto detail = homes_->get(kOwner, home_);
  ASSERT_TRUE(detail.isOk());
  EXPECT_EQ(detail.value().home.name, "Demo Home");
  EXPECT_EQ(detail.value().role, HomeRole::kOwner);
  ASSERT_EQ(detail.value().rooms.size(), 2u);
  EXPECT_EQ(detail.value().rooms[0], kitchen.value());
  auto mine = homes_->list(kOwner, 0, 10);
  ASSERT_EQ(mine.value().size(), 1u);
  EXPECT_EQ(mine.value()[0].role, HomeRole::kOwner);
  EXPECT_EQ(homes_->list(kMember, 0, 10).value().at(0).role, HomeRole::kMember);
}

TEST_F(HomesTest, EveryRoleMayDoWhatAccessSaysAndAnOutsiderSeesNothing) {
  struct Case {
    int64_t user;
    core::StatusCode view, manage, remove;
  };
  using core::StatusCode;
  for (const Case& c : {Case{kAdmin, StatusCode::kOk, StatusCode::kOk, StatusCode::kPermissionDenied},
                        Case{kMember, StatusCode::kOk, StatusCode::kPermissionDenied, StatusCode::kPermissionDenied},
                        Case{kGuest, StatusCode::kOk, StatusCode::kPermissionDenied, StatusCode::kPermissionDenied},
                        Case{kOutsider, StatusCode::kNotFound, StatusCode::kNotFound, StatusCode::kNotFound}}) {
    SCOPED_TRACE(c.user);
    auto view = homes_->get(c.user, home_);
    EXPECT_EQ(view ? StatusCode::kOk : view.error().code(), c.view);
    auto room = homes_->addRoom(c.user, home_, "Study");
    EXPECT_EQ(room ? StatusCode::kOk : room.error().code(), c.manage);
    EXPECT_EQ(homes_->rename(c.user, home_, "Other").code(), c.manage);
    EXPECT_EQ(homes_->remove(c.user, home_).code(), c.remove);
  }
  // An outsider cannot tell a home it may not see from one that does not exist.
  EXPECT_EQ(homes_->get(kOutsider, home_).error().message(), "no home " + std::to_string(home_));
  EXPECT_EQ(homes_->get(kOutsider, home_ + 99).error().message(), "no home " + std::to_string(home_ + 99));
  EXPECT_TRUE(homes_->list(kOutsider, 0, 10).value().empty());
  ASSERT_TRUE(homes_->remove(kOwner, home_).isOk());
  EXPECT_EQ(homes_->get(kOwner, home_).error().code(), StatusCode::kNotFound);
}

TEST_F(HomesTest, AGuestLosesAccessAtTheirDate) {
  EXPECT_TRUE(homes_->get(kGuest, home_).isOk());
  EXPECT_EQ(homes_->list(kGuest, 0, 10).value().size(), 1u);
  clock_.advance(std::chrono::minutes(1));
  EXPECT_EQ(homes_->get(kGuest, home_).error().code(), core::StatusCode::kNotFound);
  EXPECT_TRUE(homes_->list(kGuest, 0, 10).value().empty());
}

TEST_F(HomesTest, RoomsBelongToTheirHomeAndNamesAreChecked) {
  auto other = homes_->create(kOutsider, "Cabin");
  ASSERT_TRUE(other.isOk());
  auto shed = homes_->addRoom(kOutsider, other.value().id, "Shed");
  ASSERT_TRUE(shed.isOk());
  // The owner of the first home may manage its rooms, not another home's through it.
  EXPECT_EQ(homes_->renameRoom(kOwner, home_, shed.value().id, "Mine").code(), core::StatusCode::kNotFound);
  EXPECT_EQ(homes_->removeRoom(kOwner, home_, shed.value().id).code(), core::StatusCode::kNotFound);
  EXPECT_EQ(registry_->room(shed.value().id).value().name, "Shed");

  EXPECT_EQ(homes_->create(kOwner, "   ").error().message(), "a name is not empty");
  EXPECT_EQ(homes_->create(kOwner, std::string(65, 'x')).error().code(), core::StatusCode::kInvalidArgument);
  EXPECT_EQ(homes_->addRoom(kOwner, home_, "Bad\nName").error().code(), core::StatusCode::kInvalidArgument);
  auto room = homes_->addRoom(kOwner, home_, "Study");
  ASSERT_TRUE(homes_->renameRoom(kAdmin, home_, room.value().id, "Office").isOk());
  EXPECT_EQ(registry_->room(room.value().id).value().name, "Office");
  ASSERT_TRUE(homes_->removeRoom(kAdmin, home_, room.value().id).isOk());
  EXPECT_TRUE(homes_->get(kOwner, home_).value().rooms.empty());
}

TEST_F(HomesTest, ListsArePagedByHomeId) {
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(homes_->create(kOwner, "Home " + std::to_string(i)).isOk());
  auto first = homes_->list(kOwner, 0, 4).value();
  ASSERT_EQ(first.size(), 4u);
  auto second = homes_->list(kOwner, first.back().home.id, 4).value();
  ASSERT_EQ(second.size(), 2u);
  EXPECT_GT(second.front().home.id, first.back().home.id);
}

TEST_F(HomesTest, AnInviteeAcceptsAndBecomesAMemberWithTheOfferedRole) {
  constexpr int64_t kNew = 6;
  auto invitation = homes_->invite(kAdmin, home_, " New@Example.com ", HomeRole::kMember, 0);
  ASSERT_TRUE(invitation.isOk()) << invitation.error().toString();
  EXPECT_EQ(invitation.value().email, "new@example.com");
  EXPECT_EQ(homes_->invite(kOwner, home_, "new@example.com", HomeRole::kAdmin, 0).error().code(),
            core::StatusCode::kAlreadyExists);
  EXPECT_EQ(homes_->invitationsFor("new@example.com", 0, 10).value().size(), 1u);
  // Someone else cannot take it, nor see that it exists.
  EXPECT_EQ(homes_->accept(kOutsider, "eve@example.com", invitation.value().id).code(), core::StatusCode::kNotFound);
  ASSERT_TRUE(homes_->accept(kNew, "new@example.com", invitation.value().id).isOk());
  EXPECT_EQ(homes_->get(kNew, home_).value().role, HomeRole::kMember);
  EXPECT_TRUE(homes_->invitationsFor("new@example.com", 0, 10).value().empty());
  EXPECT_EQ(homes_->members(kNew, home_, 0, 10).value().size(), 5u);
  EXPECT_EQ(homes_->members(kNew, home_, kAdmin, 2).value().size(), 2u);
}

TEST_F(HomesTest, InvitationsAreCheckedAndOnlyManagersMayInvite) {
  const int64_t later = clock_.unixMillis() + 3'600'000;
  EXPECT_EQ(homes_->invite(kMember, home_, "x@example.com", HomeRole::kMember, 0).error().code(),
            core::StatusCode::kPermissionDenied);
  EXPECT_EQ(homes_->invite(kOutsider, home_, "x@example.com", HomeRole::kMember, 0).error().code(),
            core::StatusCode::kNotFound);
  EXPECT_EQ(homes_->invite(kOwner, home_, "x@example.com", HomeRole::kOwner, 0).error().message(),
            "a home has one owner");
  EXPECT_EQ(homes_->invite(kOwner, home_, "x@example.com", HomeRole::kMember, later).error().message(),
            "only a guest's access has an end date");
  EXPECT_EQ(homes_->invite(kOwner, home_, "x@example.com", HomeRole::kGuest, clock_.unixMillis()).error().message(),
            "the end date has passed");
  EXPECT_EQ(homes_->invite(kOwner, home_, "not an email", HomeRole::kGuest, 0).error().code(),
            core::StatusCode::kInvalidArgument);
  auto guest = homes_->invite(kOwner, home_, "x@example.com", HomeRole::kGuest, later);
  ASSERT_TRUE(guest.isOk());
  ASSERT_TRUE(homes_->decline("x@example.com", guest.value().id).isOk());
  EXPECT_EQ(homes_->accept(7, "x@example.com", guest.value().id).code(), core::StatusCode::kNotFound);
}

TEST_F(HomesTest, EveryoneAJoinALeaveOrADeletedHomeConcernsIsAnnounced) {
  auto invitation = homes_->invite(kOwner, home_, "out@x.org", HomeRole::kMember, 0);
  ASSERT_TRUE(invitation.isOk());
  ASSERT_TRUE(homes_->accept(kOutsider, "out@x.org", invitation.value().id).isOk());
  EXPECT_EQ(announced_.take(), std::vector<int64_t>{kOutsider});
  ASSERT_TRUE(homes_->removeMember(kAdmin, home_, kMember).isOk());
  EXPECT_EQ(announced_.take(), std::vector<int64_t>{kMember});
  EXPECT_FALSE(homes_->removeMember(kGuest, home_, kAdmin).isOk());  // refused: nothing changed
  EXPECT_TRUE(announced_.take().empty());
  ASSERT_TRUE(homes_->remove(kOwner, home_).isOk());
  EXPECT_EQ(announced_.take(), (std::vector<int64_t>{kOwner, kAdmin, kGuest, kOutsider}));
}

TEST_F(HomesTest, MembersLeaveOrAreRemovedButNeverTheOwner) {
  EXPECT_EQ(homes_->removeMember(kMember, home_, kGuest).code(), core::StatusCode::kPermissionDenied);
  ASSERT_TRUE(homes_->removeMember(kGuest, home_, kGuest).isOk());  // leaving
  EXPECT_EQ(homes_->get(kGuest, home_).error().code(), core::StatusCode::kNotFound);
  ASSERT_TRUE(homes_->removeMember(kAdmin, home_, kMember).isOk());
  EXPECT_EQ(homes_->removeMember(kAdmin, home_, kOwner).code(), core::StatusCode::kFailedPrecondition);
  EXPECT_EQ(homes_->removeMember(kOwner, home_, kOwner).code(), core::StatusCode::kFailedPrecondition);
  EXPECT_EQ(homes_->removeMember(kOwner, home_, kOutsider).code(), core::StatusCode::kNotFound);
}

}  // namespace
}  // namespace hearth::home
