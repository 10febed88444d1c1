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

}  // namespace
}  // namespace hearth::core
