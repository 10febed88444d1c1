// The registry across the life of its rows: ids never handed out twice, devices leaving a home
// with an erasure request, and a registry of an older schema brought up to date with its data.
#include <gtest/gtest.h>

#include <sqlite3.h>

#include <cstdint>
#include <fstream>
#include <sstream>

#include "hearth/store/sqlite_registry.h"
#include "unit/temp_dir.h"

namespace hearth::store {
namespace {

using core::StatusCode;

class RegistryLifecycleTest : public ::testing::Test {
 protected:
  std::unique_ptr<SqliteRegistry> open() {
    auto r = SqliteRegistry::open(registryPath(dir_.file("")));
    EXPECT_TRUE(r.isOk()) << r.error().toString();
    return r.isOk() ? std::move(r).value() : nullptr;
  }
  // One integer the registry file answers, read beside the open registry (WAL allows it).
  int64_t query(const std::string& sql) {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open(registryPath(dir_.file("")).c_str(), &db), SQLITE_OK);
    sqlite3_stmt* stmt = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
    const int64_t out = sqlite3_step(stmt) == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : -1;
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return out;
  }
  test::TempDir dir_;
};

DeviceRecord device(std::string did) { return DeviceRecord{did, "acme.light.one", "-", "", 0}; }

TEST_F(RegistryLifecycleTest, IdsOfDeletedRowsAreNeverHandedOutAgain) {
  auto reg = open();
  const int64_t ann = reg->addUser(UserRecord{0, "ann@x.org", "-", false, 0}).value();
  const int64_t first = reg->createHome(HomeRecord{0, "One", ann, 0}).value().id;
  const int64_t second = reg->createHome(HomeRecord{0, "Two", ann, 0}).value().id;
  ASSERT_TRUE(reg->deleteHome(second).isOk());
  EXPECT_GT(reg->createHome(HomeRecord{0, "Three", ann, 0}).value().id, second);

  const int64_t room = reg->addRoom(RoomRecord{0, first, "Hall", 0}).value().id;
  ASSERT_TRUE(reg->deleteRoom(room).isOk());
  EXPECT_GT(reg->addRoom(RoomRecord{0, first, "Hall", 0}).value().id, room);

  const InvitationRecord bob{0, first, "bob@x.org", HomeRole::kMember, 0, ann, 0};
  const int64_t invitation = reg->addInvitation(bob).value().id;
  ASSERT_TRUE(reg->removeInvitation(invitation).isOk());
  EXPECT_GT(reg->addInvitation(bob).value().id, invitation);

  ASSERT_TRUE(reg->addDevices({device("d1")}).isOk());
  ASSERT_TRUE(reg->bindDevice("d1", first, 0, "", 0).isOk());
  ASSERT_TRUE(reg->appendAudit({AuditRecord{"d1", 1, "user:1", "rename", "{}", "{}"}}).isOk());
  const int64_t audit = query("SELECT MAX(id) FROM audit_log");
  ASSERT_TRUE(reg->unbindDevice("d1").isOk());  // forgets its audit log
  ASSERT_TRUE(reg->appendAudit({AuditRecord{"d1", 2, "user:1", "rename", "{}", "{}"}}).isOk());
  EXPECT_GT(query("SELECT MAX(id) FROM audit_log"), audit);
}

TEST_F(RegistryLifecycleTest, EveryWayOutOfAHomeRequestsAnErasureThatTheNextBindWaitsFor) {
  auto reg = open();
  const int64_t ann = reg->addUser(UserRecord{0, "ann@x.org", "-", false, 0}).value();
  const int64_t home = reg->createHome(HomeRecord{0, "Home", ann, 0}).value().id;
  ASSERT_TRUE(reg->addDevices({device("d1"), device("d2"), device("d3")}).isOk());
  EXPECT_FALSE(reg->hasErasure("d1").value());  // never bound: nothing to erase
  for (const char* did : {"d1", "d2", "d3"}) ASSERT_TRUE(reg->bindDevice(did, home, 0, "", 0).isOk());
  ASSERT_TRUE(reg->putShare(ShareRecord{"d1", 7, ann, 0, 0}).isOk());
  ASSERT_TRUE(reg->enqueue(OutboxEntry{"d2", 1, "{}", 0, 100}).isOk());

  ASSERT_TRUE(reg->unbindDevice("d3").isOk());
  auto released = reg->deleteHome(home);
  ASSERT_TRUE(released.isOk());
  EXPECT_EQ(released.value(), (std::vector<std::string>{"d1", "d2"}));
  EXPECT_TRUE(reg->sharesOf("d1", 0, 10).value().empty());
  EXPECT_TRUE(reg->devicesWithEntries().value().empty());
  EXPECT_EQ(reg->pendingErasures(10).value(), (std::vector<std::string>{"d1", "d2", "d3"}));
  EXPECT_EQ(reg->pendingErasures(1).value(), (std::vector<std::string>{"d1"}));

  // Until its history is erased, a device goes into no home.
  const int64_t next = reg->createHome(HomeRecord{0, "Next", ann, 0}).value().id;
  EXPECT_EQ(reg->bindDevice("d1", next, 0, "", 0).code(), StatusCode::kFailedPrecondition);
  ASSERT_TRUE(reg->erasureDone("d1").isOk());
  EXPECT_EQ(reg->pendingErasures(10).value(), (std::vector<std::string>{"d2", "d3"}));
  EXPECT_TRUE(reg->hasErasure("d1").value());  // done, kept until the next bind
  ASSERT_TRUE(reg->bindDevice("d1", next, 0, "", 0).isOk());
  EXPECT_FALSE(reg->hasErasure("d1").value());

  // A removed device's request stays until done, then goes.
  ASSERT_TRUE(reg->removeDevice("d2").isOk());
  EXPECT_TRUE(reg->hasErasure("d2").value());
  ASSERT_TRUE(reg->erasureDone("d2").isOk());
  EXPECT_FALSE(reg->hasErasure("d2").value());
  EXPECT_EQ(reg->pendingErasures(10).value(), (std::vector<std::string>{"d3"}));
}

TEST_F(RegistryLifecycleTest, AnOldRegistryKeepsItsDataAndNeverReusesIds) {
  {
    std::ifstream in(std::string(HEARTH_STORE_TEST_DATA) + "/registry_v12.sql");
    ASSERT_TRUE(in) << "registry_v12.sql";
    std::stringstream dump;
    dump << in.rdbuf();
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(registryPath(dir_.file("")).c_str(), &db), SQLITE_OK);
    char* error = nullptr;
    ASSERT_EQ(sqlite3_exec(db, dump.str().c_str(), nullptr, nullptr, &error), SQLITE_OK) << error;
    sqlite3_close(db);
  }
  ASSERT_EQ(query("PRAGMA user_version"), 12);
  auto reg = open();
  ASSERT_NE(reg, nullptr);
  EXPECT_GT(query("PRAGMA user_version"), 12);

  // Every row is still there, under its id.
  EXPECT_EQ(reg->userByEmail("cat@example.com").value(),
            (UserRecord{3, "cat@example.com", "hash-cat", false, 1700000000003}));
  EXPECT_EQ(reg->sessionByAccessHash("access-1").value().user_id, 1);
  EXPECT_EQ(reg->home(2).value(), (HomeRecord{2, "Bob's house", 2, 1700000000200}));
  EXPECT_EQ(reg->member(1, 3).value().role, HomeRole::kGuest);
  EXPECT_EQ(reg->room(3).value(), (RoomRecord{3, 2, "Attic", 1700000000220}));
  EXPECT_EQ(reg->invitationsFor("cat@example.com", 0, 10).value().size(), 1u);
  const DeviceRecord lamp = reg->device("00000000000000b2").value();
  EXPECT_EQ(lamp.home_id, 2);
  EXPECT_EQ(lamp.room_id, 3);
  EXPECT_EQ(reg->sharesWith(2, "", 10).value().size(), 1u);
  EXPECT_EQ(reg->audit("00000000000000a1", 0, INT64_MAX, 10).value().size(), 1u);
  EXPECT_EQ(reg->latest("acme.light.one").value().version, 1u);
  EXPECT_EQ(reg->retentionOverrides().value().size(), 1u);
  // The unbound device may carry a deleted home's history: its erasure is requested.
  EXPECT_EQ(reg->pendingErasures(10).value(), (std::vector<std::string>{"00000000000000c3"}));
  // The outbox entry of schema 12 is delivered as any other.
  EXPECT_EQ(reg->claim("00000000000000b2", 1700000000900, 5).value().deliver.size(), 1u);

  // New rows get ids above every old one, and a deleted row's id is not handed out again.
  ASSERT_TRUE(reg->deleteHome(2).isOk());
  EXPECT_EQ(reg->createHome(HomeRecord{0, "New", 1, 0}).value().id, 3);
  EXPECT_EQ(reg->addUser(UserRecord{0, "dan@example.com", "-", false, 0}).value(), 4);
  EXPECT_EQ(reg->addRoom(RoomRecord{0, 1, "Den", 0}).value().id, 4);  // room 3 went with home 2
  EXPECT_EQ(reg->addInvitation(InvitationRecord{0, 1, "eve@example.com", HomeRole::kMember, 0, 1, 0}).value().id, 2);
}

}  // namespace
}  // namespace hearth::store
