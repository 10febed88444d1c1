// Configuration: one table of options drives the TOML file, the command-line flags and the
// reference in docs/configuration.md, so the three cannot drift apart.
//
// An option's key is "<section>.<name>" (e.g. "mqtt.tcp_port"): in TOML it is `name` under
// `[section]`; on the command line it is `--section-name` with '_' written as '-'
// (`--mqtt-tcp-port`). Precedence: flag over file over default.
//
// Loading happens at start-up, so errors throw ConfigError (the one place exceptions are used);
// reading values afterwards never fails for a declared key. Not thread-safe while loading;
// safe to read from many threads afterwards.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace hearth::core {

class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

enum class OptionKind { kInt, kBool, kString };

struct OptionSpec {
  std::string key;            // "section.name"
  OptionKind kind = OptionKind::kString;
  std::string default_value;  // as it would be written on the command line
  std::string help;           // one or two sentences for the reference
  int64_t min = INT64_MIN;    // for kInt
  int64_t max = INT64_MAX;
};

class Config {
 public:
  explicit Config(std::vector<OptionSpec> specs);

  // Reads a TOML file. Unknown sections or keys and wrongly typed values are errors: a typo in
  // a config file should stop the server, not be silently ignored.
  void loadFile(const std::filesystem::path& path);
  // Sets one option from text (a command-line flag).
  void set(std::string_view key, std::string_view value);

  int64_t getInt(std::string_view key) const;
  bool getBool(std::string_view key) const;
  const std::string& getString(std::string_view key) const;

  const std::vector<OptionSpec>& specs() const { return specs_; }
  // "--mqtt-tcp-port" for "mqtt.tcp_port".
  static std::string flagName(std::string_view key);
  // The Markdown reference of every option, grouped by section (docs/configuration.md embeds it).
  std::string markdownReference() const;

 private:
  const OptionSpec& spec(std::string_view key) const;
  std::vector<OptionSpec> specs_;
  std::map<std::string, std::string, std::less<>> values_;
};

}  // namespace hearth::core
