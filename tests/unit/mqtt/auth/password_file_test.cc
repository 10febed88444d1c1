#include "mqtt/auth/password_file.h"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "hearth/core/config.h"
#include "unit/temp_dir.h"

namespace hearth::mqtt {
namespace {

using ::testing::HasSubstr;
using test::TempDir;
using test::readFile;

constexpr auto kCheap = PasswordHashCost::kMinimum;

// A syntactically valid hash; parsing does not verify it.
constexpr std::string_view kHash = "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaA";

std::string parseError(std::string_view text) {
  try {
    parsePasswordFile(text, "pw.txt");
  } catch (const core::ConfigError& e) {
    return e.what();
  }
  return "no error";
}

TEST(PasswordFileTest, ParsesEntriesCommentsAndBlankLines) {
  std::string text = fmt::format("# users\n\nalice:{}\r\n  # indented comment\nbob:{}  \n", kHash, kHash);
  PasswordTable table = parsePasswordFile(text, "pw.txt");
  ASSERT_EQ(table.size(), 2u);
  EXPECT_EQ(table.at("alice"), kHash);
  EXPECT_EQ(table.at("bob"), kHash);
}

TEST(PasswordFileTest, ReportsParseErrorsWithFileAndLine) {
  EXPECT_THAT(parseError("# c\nalice\n"), HasSubstr("pw.txt:2:"));
  EXPECT_THAT(parseError("alice:plaintext\n"), HasSubstr("pw.txt:1: user 'alice'"));
  EXPECT_THAT(parseError(fmt::format("a:{}\n\na:{}\n", kHash, kHash)), HasSubstr("pw.txt:3: user 'a' appears twice"));
  EXPECT_THAT(parseError(fmt::format(":{}\n", kHash)), HasSubstr("pw.txt:1: empty user name"));
  EXPECT_THAT(parseError(fmt::format(" alice:{}\n", kHash)), HasSubstr("pw.txt:1:"));
  EXPECT_THAT(parseError(fmt::format("al\x01ice:{}\n", kHash)), HasSubstr("control characters"));
}

TEST(PasswordFileTest, MissingFileThrowsConfigError) {
  TempDir dir;
  EXPECT_THROW(loadPasswordFile(dir.file("absent")), core::ConfigError);
}

TEST(PasswordFileTest, AddsUpdatesAndDeletesUsers) {
  TempDir dir;
  auto path = dir.write("pw.txt", "# managed by hearth passwd\n\n");
  ASSERT_TRUE(setPasswordFileUser(path, "alice", "one", kCheap).isOk());
  ASSERT_TRUE(setPasswordFileUser(path, "bob", "two", kCheap).isOk());
  PasswordTable table = loadPasswordFile(path);
  ASSERT_EQ(table.size(), 2u);
  EXPECT_TRUE(core::verifyPassword(table.at("alice"), "one"));
  EXPECT_TRUE(core::verifyPassword(table.at("bob"), "two"));

  ASSERT_TRUE(setPasswordFileUser(path, "alice", "three", kCheap).isOk());
  table = loadPasswordFile(path);
  ASSERT_EQ(table.size(), 2u);
  EXPECT_TRUE(core::verifyPassword(table.at("alice"), "three"));
  EXPECT_FALSE(core::verifyPassword(table.at("alice"), "one"));

  ASSERT_TRUE(removePasswordFileUser(path, "alice").isOk());
  table = loadPasswordFile(path);
  EXPECT_EQ(table.size(), 1u);
  EXPECT_EQ(table.count("alice"), 0u);
  EXPECT_TRUE(readFile(path).starts_with("# managed by hearth passwd\n\nbob:"));
}

TEST(PasswordFileTest, CreatesMissingFileWithPrivateMode) {
  TempDir dir;
  auto path = dir.file("new.txt");
  ASSERT_TRUE(setPasswordFileUser(path, "alice", "pw", kCheap).isOk());
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(loadPasswordFile(path).size(), 1u);
  // Only the file itself: the temporary was renamed, not left behind.
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(path.parent_path()), {}), 1);
}

TEST(PasswordFileTest, KeepsModeOfExistingFile) {
  TempDir dir;
  auto path = dir.write("pw.txt", "");
  ASSERT_EQ(::chmod(path.c_str(), 0640), 0);
  ASSERT_TRUE(setPasswordFileUser(path, "alice", "pw", kCheap).isOk());
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0640u);
}

TEST(PasswordFileTest, RejectsInvalidUserNamesAndEmptyPassword) {
  TempDir dir;
  auto path = dir.file("pw.txt");
  for (std::string_view bad : {"", "a:b", "#root", " alice", "alice ", "new\nline"}) {
    core::Status s = setPasswordFileUser(path, bad, "pw", kCheap);
    EXPECT_EQ(s.code(), core::StatusCode::kInvalidArgument) << bad;
  }
  EXPECT_EQ(setPasswordFileUser(path, "alice", "", kCheap).code(), core::StatusCode::kInvalidArgument);
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(PasswordFileTest, RefusesToRewriteUnparsableFile) {
  TempDir dir;
  auto path = dir.write("pw.txt", "garbage line\n");
  core::Status s = setPasswordFileUser(path, "alice", "pw", kCheap);
  EXPECT_EQ(s.code(), core::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr(":1:"));
  EXPECT_EQ(readFile(path), "garbage line\n");
}

TEST(PasswordFileTest, DeletingUnknownUserOrFileIsNotFound) {
  TempDir dir;
  auto path = dir.file("pw.txt");
  EXPECT_EQ(removePasswordFileUser(path, "alice").code(), core::StatusCode::kNotFound);
  ASSERT_TRUE(setPasswordFileUser(path, "bob", "pw", kCheap).isOk());
  EXPECT_EQ(removePasswordFileUser(path, "alice").code(), core::StatusCode::kNotFound);
  EXPECT_EQ(loadPasswordFile(path).size(), 1u);
}

}  // namespace
}  // namespace hearth::mqtt
