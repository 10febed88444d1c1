#include "hearth/core/config.h"

#include <gtest/gtest.h>

#include <fstream>

namespace hearth::core {
namespace {

std::vector<OptionSpec> specs() {
  return {
      {"server.threads", OptionKind::kInt, "0", "Event loops.", 0, 256},
      {"server.data_dir", OptionKind::kString, "./var", "Data directory."},
      {"mqtt.tcp_port", OptionKind::kInt, "1883", "TCP port.", 0, 65535},
      {"mqtt.allow_anonymous", OptionKind::kBool, "false", "Anonymous clients."},
  };
}

std::filesystem::path writeFile(const std::string& name, const std::string& text) {
  auto path = std::filesystem::temp_directory_path() / name;
  std::ofstream(path) << text;
  return path;
}

TEST(ConfigTest, DefaultsThenFileThenFlags) {
  Config c(specs());
  EXPECT_EQ(c.getInt("mqtt.tcp_port"), 1883);
  EXPECT_EQ(c.getString("server.data_dir"), "./var");
  c.loadFile(writeFile("hearth_cfg_ok.toml", "[mqtt]\ntcp_port = 1999\nallow_anonymous = true\n"));
  EXPECT_EQ(c.getInt("mqtt.tcp_port"), 1999);
  EXPECT_TRUE(c.getBool("mqtt.allow_anonymous"));
  c.set("mqtt.tcp_port", "0");
  EXPECT_EQ(c.getInt("mqtt.tcp_port"), 0);
}

TEST(ConfigTest, RejectsUnknownKeysWrongTypesAndRanges) {
  Config c(specs());
  EXPECT_THROW(c.loadFile(writeFile("hearth_cfg_unknown.toml", "[mqtt]\ntcp_prot = 1\n")), ConfigError);
  EXPECT_THROW(c.loadFile(writeFile("hearth_cfg_type.toml", "[mqtt]\ntcp_port = \"x\"\n")), ConfigError);
  EXPECT_THROW(c.loadFile(writeFile("hearth_cfg_syntax.toml", "[mqtt\n")), ConfigError);
  EXPECT_THROW(c.set("mqtt.tcp_port", "70000"), ConfigError);
  EXPECT_THROW(c.set("mqtt.tcp_port", "12a"), ConfigError);
  EXPECT_THROW(c.set("mqtt.allow_anonymous", "maybe"), ConfigError);
  EXPECT_EQ(c.getInt("mqtt.tcp_port"), 1883);
}

TEST(ConfigTest, FlagNamesAndReference) {
  EXPECT_EQ(Config::flagName("mqtt.tcp_port"), "--mqtt-tcp-port");
  Config c(specs());
  std::string ref = c.markdownReference();
  EXPECT_NE(ref.find("### [mqtt]"), std::string::npos);
  EXPECT_NE(ref.find("`--mqtt-tcp-port`"), std::string::npos);
  EXPECT_NE(ref.find("integer (0..65535)"), std::string::npos);
}

}  // namespace
}  // namespace hearth::core
