#include "hearth/core/config.h"

#include <charconv>
#include <toml++/toml.h>

#include <fmt/format.h>

namespace hearth::core {
namespace {

bool parseBool(std::string_view text, bool& out) {
  if (text == "true" || text == "1" || text == "yes" || text == "on") {
    out = true;
    return true;
  }
  if (text == "false" || text == "0" || text == "no" || text == "off") {
    out = false;
    return true;
  }
  return false;
}

std::string kindName(OptionKind kind) {
  switch (kind) {
    case OptionKind::kInt: return "integer";
    case OptionKind::kBool: return "boolean";
    case OptionKind::kString: return "string";
  }
  return "?";
}

}  // namespace

Config::Config(std::vector<OptionSpec> specs) : specs_(std::move(specs)) {
  for (const auto& s : specs_) {
    if (s.key.find('.') == std::string::npos) throw ConfigError("option key without section: " + s.key);
    if (!values_.emplace(s.key, s.default_value).second) throw ConfigError("duplicate option: " + s.key);
  }
}

const OptionSpec& Config::spec(std::string_view key) const {
  for (const auto& s : specs_) {
    if (s.key == key) return s;
  }
  throw ConfigError(fmt::format("unknown option '{}'", key));
}

void Config::set(std::string_view key, std::string_view value) {
  const OptionSpec& s = spec(key);
  switch (s.kind) {
    case OptionKind::kInt: {
      int64_t v = 0;
      auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
      if (ec != std::errc() || p != value.data() + value.size()) {
        throw ConfigError(fmt::format("option '{}': '{}' is not an integer", key, value));
      }
      if (v < s.min || v > s.max) {
        throw ConfigError(fmt::format("option '{}': {} is outside {}..{}", key, v, s.min, s.max));
      }
      break;
    }
    case OptionKind::kBool: {
      bool b = false;
      if (!parseBool(value, b)) throw ConfigError(fmt::format("option '{}': '{}' is not a boolean", key, value));
      value = b ? "true" : "false";
      break;
    }
    case OptionKind::kString: break;
  }
  values_.find(key)->second = std::string(value);
}

void Config::loadFile(const std::filesystem::path& path) {
  toml::table root;
  try {
    root = toml::parse_file(path.string());
  } catch (const toml::parse_error& e) {
    throw ConfigError(fmt::format("{}:{}:{}: {}", path.string(), e.source().begin.line,
                                  e.source().begin.column, e.description()));
  }
  for (const auto& [section, node] : root) {
    const toml::table* table = node.as_table();
    if (table == nullptr) {
      throw ConfigError(fmt::format("{}: '{}' must be a [section]", path.string(), section.str()));
    }
    for (const auto& [name, value] : *table) {
      std::string key = fmt::format("{}.{}", section.str(), name.str());
      const OptionSpec& s = spec(key);
      std::string text;
      if (s.kind == OptionKind::kInt && value.is_integer()) {
        text = std::to_string(value.as_integer()->get());
      } else if (s.kind == OptionKind::kBool && value.is_boolean()) {
        text = value.as_boolean()->get() ? "true" : "false";
      } else if (s.kind == OptionKind::kString && value.is_string()) {
        text = value.as_string()->get();
      } else {
        throw ConfigError(fmt::format("{}: option '{}' must be a {}", path.string(), key, kindName(s.kind)));
      }
      set(key, text);
    }
  }
}

int64_t Config::getInt(std::string_view key) const {
  if (spec(key).kind != OptionKind::kInt) throw ConfigError(fmt::format("option '{}' is not an integer", key));
  const std::string& v = values_.find(key)->second;
  int64_t out = 0;
  std::from_chars(v.data(), v.data() + v.size(), out);
  return out;
}

bool Config::getBool(std::string_view key) const {
  if (spec(key).kind != OptionKind::kBool) throw ConfigError(fmt::format("option '{}' is not a boolean", key));
  bool out = false;
  parseBool(values_.find(key)->second, out);
  return out;
}

const std::string& Config::getString(std::string_view key) const {
  if (spec(key).kind != OptionKind::kString) throw ConfigError(fmt::format("option '{}' is not a string", key));
  return values_.find(key)->second;
}

std::string Config::flagName(std::string_view key) {
  std::string flag = "--";
  for (char c : key) flag += (c == '.' || c == '_') ? '-' : c;
  return flag;
}

std::string Config::markdownReference() const {
  std::string out;
  std::string section;
  for (const auto& s : specs_) {
    std::string this_section = s.key.substr(0, s.key.find('.'));
    if (this_section != section) {
      section = this_section;
      out += fmt::format("\n### [{}]\n\n| option | flag | type | default | meaning |\n|---|---|---|---|---|\n", section);
    }
    std::string type = kindName(s.kind);
    if (s.kind == OptionKind::kInt && (s.min != INT64_MIN || s.max != INT64_MAX)) {
      type += fmt::format(" ({}..{})", s.min, s.max);
    }
    out += fmt::format("| `{}` | `{}` | {} | `{}` | {} |\n", s.key.substr(section.size() + 1),
                       flagName(s.key), type, s.default_value.empty() ? "\"\"" : s.default_value, s.help);
  }
  return out;
}

}  // namespace hearth::core
