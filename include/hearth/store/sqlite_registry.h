// The embedded registry: products, devices with their credentials and presence, the command
// outbox, people's accounts and sessions, and homes with their rooms and members, in one SQLite
// file of the data directory, in WAL mode. SQLite rather than RocksDB here because the registry is
// relational, read far more than written and queried by several keys; the
// high-rate data (MQTT state, history) lives elsewhere. docs/architecture.md has the reasoning.
//
// Thread-safety: any thread; calls are serialised by one mutex (registry writes are rare).
// Several processes may open the same file (hearthd and the CLI): SQLite's locking applies.
#pragma once

#include <filesystem>
#include <memory>

#include "hearth/core/status.h"
#include "hearth/store/account_store.h"
#include "hearth/store/audit_store.h"
#include "hearth/store/command_outbox.h"
#include "hearth/store/device_store.h"
#include "hearth/store/home_store.h"
#include "hearth/store/product_store.h"
#include "hearth/store/share_store.h"
#include "hearth/store/stats_store.h"

namespace hearth::store {

class SqliteRegistry final : public ProductStore, public DeviceStore, public CommandOutbox, public AccountStore,
                             public HomeStore, public ShareStore,
                             public StatsStore, public AuditStore {
 public:
  // Opens or creates the file and brings its schema up to date. Errors name the file.
  static core::Result<std::unique_ptr<SqliteRegistry>> open(const std::filesystem::path& path);
  ~SqliteRegistry() override;

  core::Status addVersions(const std::vector<ProductVersion>& versions) override;
  core::Result<ProductVersion> latest(std::string_view model) override;
  core::Result<ProductVersion> version(std::string_view model, uint32_t version) override;
  core::Result<uint32_t> latestVersionNumber(std::string_view model) override;
  core::Result<std::vector<ProductSummary>> list(std::string_view after, size_t limit) override;
  core::Result<size_t> countProducts() override;
  core::Result<std::vector<std::pair<std::string, size_t>>> countByDeviceType() override;
  core::Status setRetentionDays(std::string_view model, std::optional<uint32_t> days) override;
  core::Result<std::vector<std::pair<std::string, uint32_t>>> retentionOverrides() override;

  core::Status addDevices(const std::vector<DeviceRecord>& devices) override;
  core::Result<DeviceRecord> device(std::string_view did) override;
  core::Result<std::vector<DeviceRecord>> listDevices(std::string_view after, size_t limit,
                                                      std::string_view model) override;
  core::Status removeDevice(std::string_view did) override;
  core::Status setPresence(const std::vector<PresenceChange>& changes) override;
  core::Status setDeviceInfo(std::string_view did, const DeviceInfo& info) override;
  core::Result<std::vector<std::string>> markAllOffline(int64_t at_ms) override;
  core::Result<size_t> countDevices() override;
  core::Result<DeviceRecord> deviceWithBindCode(std::string_view code_hash) override;
  core::Status setBindCode(std::string_view did, std::string_view code_hash) override;
  core::Status bindDevice(std::string_view did, int64_t home_id, int64_t room_id, std::string_view name,
                          int64_t at_ms) override;
  core::Status unbindDevice(std::string_view did) override;
  core::Result<std::vector<std::string>> pendingErasures(size_t limit) override;
  core::Result<bool> hasErasure(std::string_view did) override;
  core::Status erasureDone(std::string_view did) override;
  core::Status setDeviceRoom(std::string_view did, int64_t room_id) override;
  core::Status renameDevice(std::string_view did, std::string_view name) override;
  core::Result<std::vector<DeviceRecord>> devicesInHome(int64_t home_id, int64_t room_id, std::string_view after,
                                                        size_t limit) override;

  core::Status enqueue(const OutboxEntry& entry) override;
  core::Result<OutboxClaim> claim(std::string_view did, int64_t now_ms, uint32_t max_deliveries) override;
  core::Status acknowledge(std::string_view did, uint64_t request_id) override;
  core::Result<size_t> removeExpired(int64_t now_ms) override;
  core::Result<std::vector<std::string>> devicesWithEntries() override;

  core::Result<int64_t> addUser(const UserRecord& user) override;
  core::Result<UserRecord> userById(int64_t id) override;
  core::Result<UserRecord> userByEmail(std::string_view email) override;
  core::Status setPasswordHash(int64_t user_id, std::string_view hash) override;
  core::Result<size_t> countUsers() override;
  core::Result<std::vector<UserRecord>> listUsers(int64_t after_id, size_t limit) override;
  core::Status addSession(const SessionRecord& session) override;
  core::Result<SessionRecord> sessionByAccessHash(std::string_view hash) override;
  core::Result<SessionRecord> sessionByRefreshHash(std::string_view hash) override;
  core::Result<SessionRecord> sessionById(std::string_view id) override;
  core::Status replaceSessionTokens(const SessionRecord& session) override;
  core::Status removeSession(std::string_view id) override;
  core::Result<size_t> removeSessionsOf(int64_t user_id, std::string_view keep) override;
  core::Status recordActivity(int64_t user_id, int64_t day) override;
  core::Status removeActivityBefore(int64_t day) override;

  core::Result<HomeRecord> createHome(const HomeRecord& home) override;
  core::Result<HomeRecord> home(int64_t id) override;
  core::Result<std::vector<std::pair<HomeRecord, MemberRecord>>> homesOf(int64_t user_id, int64_t after_id,
                                                                         size_t limit) override;
  core::Status renameHome(int64_t id, std::string_view name) override;
  core::Result<std::vector<std::string>> deleteHome(int64_t id) override;
  core::Result<MemberRecord> member(int64_t home_id, int64_t user_id) override;
  core::Status addMember(const MemberRecord& member) override;
  core::Result<std::vector<MemberRecord>> members(int64_t home_id, int64_t after_user, size_t limit) override;
  core::Status removeMember(int64_t home_id, int64_t user_id) override;
  core::Result<InvitationRecord> addInvitation(const InvitationRecord& invitation) override;
  core::Result<InvitationRecord> invitation(int64_t id) override;
  core::Result<std::vector<InvitationRecord>> invitationsFor(std::string_view email, int64_t after_id,
                                                             size_t limit) override;
  core::Status acceptInvitation(int64_t id, int64_t user_id, int64_t now_ms) override;
  core::Status removeInvitation(int64_t id) override;
  core::Result<RoomRecord> addRoom(const RoomRecord& room) override;
  core::Result<RoomRecord> room(int64_t id) override;
  core::Result<std::vector<RoomRecord>> rooms(int64_t home_id) override;
  core::Status renameRoom(int64_t id, std::string_view name) override;
  core::Status deleteRoom(int64_t id) override;

  core::Status putShare(const ShareRecord& share) override;
  core::Result<ShareRecord> share(std::string_view did, int64_t user_id) override;
  core::Result<std::vector<ShareRecord>> sharesOf(std::string_view did, int64_t after_user, size_t limit) override;
  core::Result<std::vector<ShareRecord>> sharesWith(int64_t user_id, std::string_view after, size_t limit) override;
  core::Status removeShare(std::string_view did, int64_t user_id) override;

  core::Result<PlatformCounts> platformCounts(int64_t day) override;

  core::Status appendAudit(const std::vector<AuditRecord>& records) override;
  core::Result<std::vector<AuditRecord>> audit(std::string_view did, int64_t from_ms, int64_t to_ms,
                                               size_t limit) override;

 private:
  struct Impl;
  explicit SqliteRegistry(std::unique_ptr<Impl> impl);
  // The session whose `column` (id, access_hash or refresh_hash: fixed names, never input) is `hash`.
  core::Result<SessionRecord> sessionWhere(std::string_view column, std::string_view hash);
  // The devices `sql` selects (kDeviceColumns) with `binds` bound to ?1, ?2, ...
  template <typename... Args>
  core::Result<std::vector<DeviceRecord>> selectDevices(std::string_view sql, const Args&... binds);
  std::unique_ptr<Impl> impl_;
};

// Where a data directory keeps the registry.
std::filesystem::path registryPath(const std::filesystem::path& data_dir);

}  // namespace hearth::store
