#include "hearth/home/accounts.h"

#include <gtest/gtest.h>

#include "hearth/store/sqlite_registry.h"
#include "unit/home/access_recorder.h"
#include "unit/temp_dir.h"

namespace hearth::home {
namespace {

using namespace std::chrono_literals;

class AccountsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    registry_ = store::SqliteRegistry::open(store::registryPath(dir_.file(""))).value();
    AccountOptions o;
    o.cost = core::PasswordHashCost::kMinimum;
    accounts_ = std::make_unique<Accounts>(*registry_, clock_, o, &announced_);
  }
  Tokens login(std::string_view email = "ann@example.com", std::string_view password = "correct horse") {
    auto t = accounts_->login(email, password, "10.0.0.1");
    EXPECT_TRUE(t.isOk()) << t.error().toString();
    return t.isOk() ? t.value() : Tokens{};
  }

  test::TempDir dir_;
  core::ManualClock clock_;
  test::AccessRecorder announced_;
  std::unique_ptr<store::SqliteRegistry> registry_;
  std::unique_ptr<Accounts> accounts_;
};

TEST_F(AccountsTest, SignUpNormalisesTheEmailAndRefusesBadInputWithAReason) {
  auto ann = accounts_->signUp("  Ann@Example.COM ", "correct horse");
  ASSERT_TRUE(ann.isOk()) << ann.error().toString();
  EXPECT_EQ(ann.value().email, "ann@example.com");
  EXPECT_TRUE(ann.value().password_hash.starts_with("$argon2id$"));
  EXPECT_FALSE(ann.value().admin);
  EXPECT_EQ(accounts_->signUp("ANN@example.com", "another one").error().code(), core::StatusCode::kAlreadyExists);
  for (std::string_view bad : {"", "ann", "@example.com", "ann@", "ann@example", "a@b@c.com", "ann @x.com", "ann@x."}) {
    EXPECT_EQ(accounts_->signUp(bad, "correct horse").error().code(), core::StatusCode::kInvalidArgument) << bad;
  }
  EXPECT_EQ(accounts_->signUp("bob@example.com", "short").error().message(), "a password has at least 8 characters");
  EXPECT_EQ(accounts_->signUp("bob@example.com", std::string(1025, 'x')).error().code(),
            core::StatusCode::kInvalidArgument);
  EXPECT_TRUE(accounts_->signUp("root@example.com", "correct horse", true).value().admin);
  EXPECT_EQ(registry_->countUsers().value(), 2u);
}

TEST_F(AccountsTest, LoginGivesTokensThatAuthenticateUntilTheyExpire) {
  ASSERT_TRUE(accounts_->signUp("ann@example.com", "correct horse").isOk());
  EXPECT_EQ(accounts_->login("ann@example.com", "wrong horse", "a").error().code(), core::StatusCode::kUnauthenticated);
  EXPECT_EQ(accounts_->login("nobody@example.com", "correct horse", "a").error().message(), "wrong email or password");
  Tokens t = login("ANN@example.com");
  EXPECT_TRUE(t.access_token.starts_with("hat_"));
  EXPECT_TRUE(t.refresh_token.starts_with("hrt_"));
  EXPECT_EQ(t.access_token.size(), 68u);
  EXPECT_EQ(accounts_->authenticate(t.access_token).value().email, "ann@example.com");
  EXPECT_EQ(accounts_->authenticate(t.refresh_token).error().code(), core::StatusCode::kUnauthenticated);
  EXPECT_EQ(accounts_->authenticate("hat_" + std::string(64, '0')).error().code(), core::StatusCode::kUnauthenticated);
  clock_.advance(15min);
  EXPECT_EQ(accounts_->authenticate(t.access_token).error().code(), core::StatusCode::kUnauthenticated);
}

TEST_F(AccountsTest, RefreshRotatesBothTokensAndTheOldPairStopsWorking) {
  ASSERT_TRUE(accounts_->signUp("ann@example.com", "correct horse").isOk());
  Tokens first = login();
  clock_.advance(20min);
  auto second = accounts_->refresh(first.refresh_token);
  ASSERT_TRUE(second.isOk()) << second.error().toString();
  EXPECT_EQ(second.value().session_id, first.session_id);
  EXPECT_TRUE(accounts_->authenticate(second.value().access_token).isOk());
  EXPECT_EQ(accounts_->refresh(first.refresh_token).error().code(), core::StatusCode::kUnauthenticated);
  EXPECT_EQ(accounts_->authenticate(first.access_token).error().code(), core::StatusCode::kUnauthenticated);
  clock_.advance(std::chrono::hours(24 * 31));
  EXPECT_EQ(accounts_->refresh(second.value().refresh_token).error().message(),
            "the refresh token has expired; log in again");
}

TEST_F(AccountsTest, LogoutEndsOneSessionAndAPasswordChangeEndsTheOthers) {
  ASSERT_TRUE(accounts_->signUp("ann@example.com", "correct horse").isOk());
  Tokens phone = login();
  Tokens laptop = login();
  Tokens tablet = login();
  ASSERT_TRUE(accounts_->logout(phone.access_token).isOk());
  EXPECT_FALSE(accounts_->authenticate(phone.access_token).isOk());
  EXPECT_FALSE(accounts_->refresh(phone.refresh_token).isOk());
  EXPECT_TRUE(accounts_->authenticate(laptop.access_token).isOk());

  EXPECT_EQ(accounts_->changePassword(laptop.access_token, "wrong horse", "battery staple").code(),
            core::StatusCode::kUnauthenticated);
  EXPECT_EQ(accounts_->changePassword(laptop.access_token, "correct horse", "short").code(),
            core::StatusCode::kInvalidArgument);
  ASSERT_TRUE(accounts_->changePassword(laptop.access_token, "correct horse", "battery staple").isOk());
  EXPECT_TRUE(accounts_->authenticate(laptop.access_token).isOk());   // the session that changed it stays
  EXPECT_FALSE(accounts_->authenticate(tablet.access_token).isOk());  // every other one ends
  EXPECT_FALSE(accounts_->login("ann@example.com", "correct horse", "b").isOk());
  EXPECT_TRUE(accounts_->login("ann@example.com", "battery staple", "b").isOk());
}

TEST_F(AccountsTest, ASessionLivesUntilItEndsAndItsEndIsAnnounced) {
  const int64_t ann = accounts_->signUp("ann@example.com", "correct horse").value().id;
  Tokens phone = login();
  Tokens tablet = login();
  auto session = accounts_->authenticateSession(phone.access_token);
  ASSERT_TRUE(session.isOk());
  EXPECT_EQ(session.value().id, phone.session_id);
  EXPECT_EQ(session.value().user_id, ann);
  // The session outlives its access token, not its refresh token.
  clock_.advance(AccountOptions{}.access_ttl);
  EXPECT_FALSE(accounts_->authenticateSession(phone.access_token).isOk());
  EXPECT_TRUE(accounts_->sessionLive(ann, phone.session_id).isOk());
  EXPECT_EQ(accounts_->sessionLive(ann + 1, phone.session_id).code(), core::StatusCode::kUnauthenticated);

  ASSERT_TRUE(accounts_->logout(phone.access_token).isOk());
  EXPECT_EQ(announced_.take(), std::vector<int64_t>{ann});
  EXPECT_EQ(accounts_->sessionLive(ann, phone.session_id).code(), core::StatusCode::kUnauthenticated);
  EXPECT_TRUE(accounts_->sessionLive(ann, tablet.session_id).isOk());

  clock_.advance(AccountOptions{}.refresh_ttl);
  EXPECT_EQ(accounts_->sessionLive(ann, tablet.session_id).code(), core::StatusCode::kUnauthenticated);
}

TEST_F(AccountsTest, FailedLoginsAreLimitedPerAccountAndPerAddress) {
  ASSERT_TRUE(accounts_->signUp("ann@example.com", "correct horse").isOk());
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(accounts_->login("ann@example.com", "guess", "10.0.0." + std::to_string(i)).error().code(),
              core::StatusCode::kUnauthenticated);
  }
  // The account is locked for now, even with the right password and from a new address.
  EXPECT_EQ(accounts_->login("ann@example.com", "correct horse", "10.9.9.9").error().code(),
            core::StatusCode::kResourceExhausted);
  clock_.advance(15min);
  EXPECT_TRUE(accounts_->login("ann@example.com", "correct horse", "10.9.9.9").isOk());

  // One address guessing at many accounts.
  for (int i = 0; i < 20; ++i) {
    EXPECT_FALSE(accounts_->login("user" + std::to_string(i) + "@example.com", "guess", "192.0.2.7").isOk());
  }
  EXPECT_EQ(accounts_->login("ann@example.com", "correct horse", "192.0.2.7").error().code(),
            core::StatusCode::kResourceExhausted);
  EXPECT_TRUE(accounts_->login("ann@example.com", "correct horse", "192.0.2.8").isOk());
}

}  // namespace
}  // namespace hearth::home

namespace hearth::home {
namespace {

TEST_F(AccountsTest, UsingTheApiMakesAUserActiveForTheDayAndTheMonth) {
  ASSERT_TRUE(accounts_->signUp("ann@example.com", "correct horse").isOk());
  ASSERT_TRUE(accounts_->signUp("bob@example.com", "correct horse").isOk());
  const auto today = [this] { return clock_.unixMillis() / 86'400'000; };
  const Tokens ann = login();
  EXPECT_EQ(registry_->platformCounts(today()).value().daily_active_users, 0u);  // a login alone is not use
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(accounts_->authenticate(ann.access_token).isOk());
  EXPECT_EQ(registry_->platformCounts(today()).value().daily_active_users, 1u);
  clock_.advance(24h);
  const Tokens bob = login("bob@example.com");
  ASSERT_TRUE(accounts_->authenticate(bob.access_token).isOk());
  auto counts = registry_->platformCounts(today()).value();
  EXPECT_EQ(counts.daily_active_users, 1u);
  EXPECT_EQ(counts.monthly_active_users, 2u);
  EXPECT_EQ(registry_->platformCounts(today() + 30).value().monthly_active_users, 0u);
}

}  // namespace
}  // namespace hearth::home
