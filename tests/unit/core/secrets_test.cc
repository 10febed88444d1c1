#include "hearth/core/secrets.h"

#include <gtest/gtest.h>

#include <set>

namespace hearth::core {
namespace {

TEST(SecretsTest, RandomHexHasTheAskedLengthAndDoesNotRepeat) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    const std::string s = randomHex(16);
    ASSERT_EQ(s.size(), 32u);
    EXPECT_EQ(s.find_first_not_of("0123456789abcdef"), std::string::npos);
    seen.insert(s);
  }
  EXPECT_EQ(seen.size(), 100u);
  EXPECT_EQ(randomHex(0), "");
}

TEST(SecretsTest, Blake2bMatchesTheReferenceVector) {
  // BLAKE2b-256 of the empty string (RFC 7693's parameters with a 32-byte digest).
  EXPECT_EQ(blake2bHex(""), "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8");
  EXPECT_NE(blake2bHex("a"), blake2bHex("b"));
}

TEST(SecretsTest, ConstantTimeEqualsComparesContentAndLength) {
  EXPECT_TRUE(constantTimeEquals("token", "token"));
  EXPECT_FALSE(constantTimeEquals("token", "tokem"));
  EXPECT_FALSE(constantTimeEquals("token", "token2"));
  EXPECT_TRUE(constantTimeEquals("", ""));
}

TEST(SecretsTest, PasswordsHashWithArgon2idAndVerify) {
  Result<std::string> hash = hashPassword("s3cret", PasswordHashCost::kMinimum);
  ASSERT_TRUE(hash.isOk()) << hash.error().toString();
  EXPECT_TRUE(hash->starts_with("$argon2id$"));
  EXPECT_TRUE(verifyPassword(*hash, "s3cret"));
  EXPECT_FALSE(verifyPassword(*hash, "s3cret "));
  EXPECT_FALSE(verifyPassword("not a hash", "s3cret"));
  EXPECT_FALSE(verifyPassword(std::string(500, '$'), "s3cret"));
}

}  // namespace
}  // namespace hearth::core
