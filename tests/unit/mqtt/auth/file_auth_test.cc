#include "hearth/mqtt/file_auth.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <optional>
#include <thread>
#include <vector>

#include "hearth/core/config.h"
#include "unit/temp_dir.h"

namespace hearth::mqtt {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using test::TempDir;

constexpr auto kCheap = PasswordHashCost::kMinimum;

class FileAuthTest : public ::testing::Test {
 protected:
  void SetUp() override {
    passwords_ = dir_.file("passwd");
    ASSERT_TRUE(setPasswordFileUser(passwords_, "alice", "wonderland", kCheap).isOk());
    ASSERT_TRUE(setPasswordFileUser(passwords_, "bob", "builder", kCheap).isOk());
  }

  FileAuthOptions options(bool allow_anonymous = false) const {
    FileAuthOptions o;
    o.password_file = passwords_.string();
    o.allow_anonymous = allow_anonymous;
    return o;
  }

  static AuthDecision login(FileAuth& auth, std::optional<std::string> user,
                            std::optional<std::string> password) {
    ConnectCredentials c;
    c.client_id = "client-1";
    if (user) c.username = *user;
    if (password) c.password = *password;
    std::promise<AuthDecision> promise;
    std::future<AuthDecision> result = promise.get_future();
    auth.authenticate(c, [&promise](AuthDecision d) { promise.set_value(std::move(d)); });
    if (result.wait_for(20s) != std::future_status::ready) {
      ADD_FAILURE() << "authenticate did not call done";
      return {};
    }
    return result.get();
  }

  TempDir dir_;
  std::filesystem::path passwords_;
};

TEST_F(FileAuthTest, AcceptsCorrectPassword) {
  FileAuth auth(options());
  AuthDecision d = login(auth, "alice", "wonderland");
  EXPECT_EQ(d.reason, ReasonCode::kSuccess);
  EXPECT_EQ(d.username, "alice");
  EXPECT_EQ(auth.stats().verifications, 1u);
}

TEST_F(FileAuthTest, RejectsWrongPassword) {
  FileAuth auth(options());
  AuthDecision d = login(auth, "alice", "builder");
  EXPECT_EQ(d.reason, ReasonCode::kBadUserNameOrPassword);
  EXPECT_FALSE(d.reason_string.empty());
}

TEST_F(FileAuthTest, RejectsUnknownUserLikeWrongPassword) {
  FileAuth auth(options());
  AuthDecision wrong = login(auth, "alice", "nope");
  // Bob's password under an unknown name: the decoy verification must not turn into a success.
  AuthDecision unknown = login(auth, "mallory", "builder");
  EXPECT_EQ(unknown.reason, ReasonCode::kBadUserNameOrPassword);
  EXPECT_EQ(unknown.reason_string, wrong.reason_string);
  // The unknown user cost a verification too, so timing does not tell them apart.
  EXPECT_EQ(auth.stats().verifications, 2u);
}

TEST_F(FileAuthTest, RejectsUserNameWithoutPassword) {
  FileAuth auth(options(/*allow_anonymous=*/true));
  EXPECT_EQ(login(auth, "alice", std::nullopt).reason, ReasonCode::kBadUserNameOrPassword);
}

TEST_F(FileAuthTest, AnonymousRejectedUnlessAllowed) {
  FileAuth strict(options(false));
  EXPECT_EQ(login(strict, std::nullopt, std::nullopt).reason, ReasonCode::kNotAuthorized);
  EXPECT_EQ(login(strict, "", "x").reason, ReasonCode::kNotAuthorized);
  FileAuth open(options(true));
  AuthDecision d = login(open, std::nullopt, std::nullopt);
  EXPECT_EQ(d.reason, ReasonCode::kSuccess);
  EXPECT_EQ(d.username, "");
}

TEST_F(FileAuthTest, WithoutPasswordFileEveryClientIsAnonymous) {
  FileAuthOptions o;
  o.allow_anonymous = true;
  FileAuth auth(o);
  AuthDecision d = login(auth, "admin", "anything");
  EXPECT_EQ(d.reason, ReasonCode::kSuccess);
  EXPECT_EQ(d.username, "");  // unverified names are dropped, never trusted
  EXPECT_EQ(auth.stats().verifications, 0u);

  // hearthd's default: no files, no anonymous clients (devices and apps sign in elsewhere).
  o.allow_anonymous = false;
  FileAuth closed(o);
  EXPECT_EQ(login(closed, "admin", "anything").reason, ReasonCode::kNotAuthorized);
  EXPECT_EQ(login(closed, std::nullopt, std::nullopt).reason, ReasonCode::kNotAuthorized);
}

TEST_F(FileAuthTest, ConstructorReportsFileErrors) {
  auto bad = dir_.write("bad", "alice:$argon2id$x\nbob\n");
  FileAuthOptions o;
  o.password_file = bad.string();
  try {
    FileAuth auth(o);
    ADD_FAILURE() << "no exception";
  } catch (const core::ConfigError& e) {
    EXPECT_THAT(e.what(), HasSubstr(bad.string() + ":2:"));
  }
  o.password_file = dir_.file("missing").string();
  EXPECT_THROW(FileAuth{o}, core::ConfigError);
  o = options();
  o.acl_file = dir_.write("acl", "topic read a/#/b\n").string();
  EXPECT_THROW(FileAuth{o}, core::ConfigError);
}

TEST_F(FileAuthTest, CacheHitSkipsVerification) {
  FileAuth auth(options());
  ASSERT_EQ(login(auth, "alice", "wonderland").reason, ReasonCode::kSuccess);

  // A hit answers synchronously, before authenticate returns.
  ConnectCredentials c;
  c.username = "alice";
  c.password = "wonderland";
  std::optional<AuthDecision> sync;
  auth.authenticate(c, [&sync](AuthDecision d) { sync = std::move(d); });
  ASSERT_TRUE(sync.has_value());
  EXPECT_EQ(sync->reason, ReasonCode::kSuccess);
  EXPECT_EQ(sync->username, "alice");
  EXPECT_EQ(auth.stats().cache_hits, 1u);
  EXPECT_EQ(auth.stats().verifications, 1u);

  // Another password for the same user is not a hit, and does not evict the right one.
  EXPECT_EQ(login(auth, "alice", "wonderland2").reason, ReasonCode::kBadUserNameOrPassword);
  EXPECT_EQ(auth.stats().verifications, 2u);
  EXPECT_EQ(login(auth, "alice", "wonderland").reason, ReasonCode::kSuccess);
  EXPECT_EQ(auth.stats().cache_hits, 2u);
}

TEST_F(FileAuthTest, CopiesCredentialsBeforeReturning) {
  FileAuth auth(options());
  std::string user = "bob";
  std::string password = "builder";
  ConnectCredentials c;
  c.username = user;
  c.password = password;
  std::promise<AuthDecision> promise;
  auth.authenticate(c, [&promise](AuthDecision d) { promise.set_value(std::move(d)); });
  user.assign("XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX");
  password.assign("YYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYY");
  AuthDecision d = promise.get_future().get();
  EXPECT_EQ(d.reason, ReasonCode::kSuccess);
  EXPECT_EQ(d.username, "bob");
}

TEST_F(FileAuthTest, ReloadPicksUpChangesAndClearsCache) {
  FileAuth auth(options());
  ASSERT_EQ(login(auth, "alice", "wonderland").reason, ReasonCode::kSuccess);
  ASSERT_TRUE(setPasswordFileUser(passwords_, "alice", "looking-glass", kCheap).isOk());
  ASSERT_TRUE(setPasswordFileUser(passwords_, "carol", "c", kCheap).isOk());
  // Until reload the old file, and the cached login, stay in force.
  EXPECT_EQ(login(auth, "alice", "wonderland").reason, ReasonCode::kSuccess);
  ASSERT_TRUE(auth.reload().isOk());
  EXPECT_EQ(login(auth, "alice", "wonderland").reason, ReasonCode::kBadUserNameOrPassword);
  EXPECT_EQ(login(auth, "alice", "looking-glass").reason, ReasonCode::kSuccess);
  EXPECT_EQ(login(auth, "carol", "c").reason, ReasonCode::kSuccess);
}

TEST_F(FileAuthTest, FailedReloadKeepsPreviousFiles) {
  FileAuth auth(options());
  dir_.write("passwd", "broken\n");
  core::Status s = auth.reload();
  EXPECT_EQ(s.code(), core::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr(":1:"));
  EXPECT_EQ(login(auth, "bob", "builder").reason, ReasonCode::kSuccess);
}

// Holds the only verification thread inside a `done` callback until released.
struct Gate {
  std::promise<void> entered;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
};

TEST_F(FileAuthTest, FullQueueRepliesServerBusy) {
  FileAuthOptions o = options();
  o.verify_threads = 1;
  o.verify_queue_capacity = 1;
  FileAuth auth(o);
  Gate gate;
  ConnectCredentials c;
  c.username = "alice";
  c.password = "wrong";
  auth.authenticate(c, [&gate](AuthDecision) {
    gate.entered.set_value();
    gate.released.wait();
  });
  gate.entered.get_future().wait();  // the worker is busy; the queue is empty

  std::promise<AuthDecision> queued;
  auth.authenticate(c, [&queued](AuthDecision d) { queued.set_value(std::move(d)); });
  std::optional<AuthDecision> busy;
  auth.authenticate(c, [&busy](AuthDecision d) { busy = std::move(d); });
  ASSERT_TRUE(busy.has_value());
  EXPECT_EQ(busy->reason, ReasonCode::kServerBusy);
  EXPECT_EQ(auth.stats().busy_rejections, 1u);

  gate.release.set_value();
  EXPECT_EQ(queued.get_future().get().reason, ReasonCode::kBadUserNameOrPassword);
}

TEST_F(FileAuthTest, DestructionAnswersQueuedLogins) {
  FileAuthOptions o = options();
  o.verify_threads = 1;
  auto auth = std::make_unique<FileAuth>(o);
  Gate gate;
  ConnectCredentials c;
  c.username = "alice";
  c.password = "wrong";  // a success would be cached and answer the second call at once
  auth->authenticate(c, [&gate](AuthDecision) {
    gate.entered.set_value();
    gate.released.wait();
  });
  gate.entered.get_future().wait();
  std::promise<AuthDecision> queued;
  auth->authenticate(c, [&queued](AuthDecision d) { queued.set_value(std::move(d)); });

  std::thread destroyer([&auth] { auth.reset(); });
  EXPECT_EQ(queued.get_future().get().reason, ReasonCode::kServerUnavailable);
  gate.release.set_value();
  destroyer.join();
}

TEST_F(FileAuthTest, WithoutAclEverythingIsAllowed) {
  FileAuth auth(options());
  EXPECT_TRUE(auth.allowed({"c", "alice"}, AccessKind::kPublish, "any/topic"));
  EXPECT_TRUE(auth.allowed({"c", "alice"}, AccessKind::kSubscribe, "#"));
}

TEST_F(FileAuthTest, AclFromFileAndReload) {
  FileAuthOptions o = options();
  o.acl_file = dir_.write("acl", "user alice\ntopic readwrite alice/#\npattern read devices/%c/cmd\n").string();
  FileAuth auth(o);
  EXPECT_TRUE(auth.allowed({"lamp", "alice"}, AccessKind::kPublish, "alice/x"));
  EXPECT_FALSE(auth.allowed({"lamp", "bob"}, AccessKind::kPublish, "alice/x"));
  EXPECT_TRUE(auth.allowed({"lamp", "bob"}, AccessKind::kSubscribe, "devices/lamp/cmd"));

  dir_.write("acl", "user bob\ntopic readwrite alice/#\n");
  ASSERT_TRUE(auth.reload().isOk());
  EXPECT_FALSE(auth.allowed({"lamp", "alice"}, AccessKind::kPublish, "alice/x"));
  EXPECT_TRUE(auth.allowed({"lamp", "bob"}, AccessKind::kPublish, "alice/x"));
}

TEST_F(FileAuthTest, InstancesOnOneThreadKeepTheirOwnRules) {
  FileAuthOptions o = options();
  o.acl_file = dir_.write("acl-a", "topic readwrite a/#\nuser alice\ntopic readwrite a/#\n").string();
  FileAuth a(o);
  o.acl_file = dir_.write("acl-b", "user alice\ntopic readwrite b/#\n").string();
  for (int i = 0; i < 3; ++i) {
    auto b = std::make_unique<FileAuth>(o);  // may reuse the address of the previous one
    EXPECT_TRUE(a.allowed({"c", "alice"}, AccessKind::kPublish, "a/x"));
    EXPECT_FALSE(b->allowed({"c", "alice"}, AccessKind::kPublish, "a/x"));
    EXPECT_TRUE(b->allowed({"c", "alice"}, AccessKind::kPublish, "b/x"));
    EXPECT_FALSE(a.allowed({"c", "alice"}, AccessKind::kPublish, "b/x"));
  }
}

TEST_F(FileAuthTest, ConcurrentLoginsChecksAndReloads) {
  FileAuthOptions o = options();
  o.acl_file = dir_.write("acl", "pattern readwrite devices/%c/#\n").string();
  FileAuth auth(o);
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&auth, &failures, t] {
      std::string id = "dev" + std::to_string(t);
      for (int i = 0; i < 200; ++i) {
        if (!auth.allowed({id, "alice"}, AccessKind::kPublish, "devices/" + id + "/x")) ++failures;
        if (i % 50 == 0 && login(auth, "alice", "wonderland").reason != ReasonCode::kSuccess) {
          ++failures;
        }
      }
    });
  }
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(auth.reload().isOk());
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
}

TEST(FileAuthConfigTest, OptionsComeFromConfig) {
  core::Config config(authOptionSpecs());
  FileAuthOptions defaults = fileAuthOptionsFromConfig(config);
  EXPECT_TRUE(defaults.password_file.empty() && defaults.acl_file.empty());
  EXPECT_FALSE(defaults.allow_anonymous);
  config.set("auth.password_file", "/etc/hearth/passwd");
  config.set("auth.acl_file", "/etc/hearth/acl");
  config.set("auth.allow_anonymous", "true");
  FileAuthOptions o = fileAuthOptionsFromConfig(config);
  EXPECT_EQ(o.password_file, "/etc/hearth/passwd");
  EXPECT_EQ(o.acl_file, "/etc/hearth/acl");
  EXPECT_TRUE(o.allow_anonymous);
}

}  // namespace
}  // namespace hearth::mqtt
