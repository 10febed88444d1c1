#include "response.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>

namespace hearth::assistant {

namespace {

struct Words {
  bool zh;
  std::string_view en;
  std::string_view cn;
  std::string_view operator()() const { return zh ? cn : en; }
};

std::vector<const Device*> devicesOf(const Interpretation& in, const HomeSnapshot& home) {
  std::vector<const Device*> out;
  for (const auto& d : home.devices) {
    if (std::find(in.targets.begin(), in.targets.end(), d.id) != in.targets.end()) out.push_back(&d);
  }
  return out;
}

// "A", "A and B", "A, B and C", "A, B, C and 4 more" / "A、B和C".
std::string list(const std::vector<std::string>& names, bool zh) {
  std::string out;
  const size_t shown = names.size() > 4 ? 3 : names.size();
  for (size_t i = 0; i < shown; ++i) {
    if (i > 0) out += i + 1 == shown && names.size() == shown ? (zh ? "和" : " and ") : (zh ? "、" : ", ");
    out += names[i];
  }
  if (shown < names.size()) out += zh ? fmt::format("等{}个设备", names.size()) : fmt::format(" and {} more", names.size() - shown);
  return out;
}

const Value* reading(const Device& d, std::string_view property) {
  for (const auto& [name, value] : d.state) {
    if (name == property) return &value;
  }
  return nullptr;
}

// The device's state in one word of the sentence's language: on/off, open/closed,
// locked/unlocked, detected/clear, or its main reading.
std::string stateWord(const Device& d, bool zh) {
  if (const Value* v = reading(d, "locked"); v && std::holds_alternative<bool>(*v)) {
    return std::get<bool>(*v) ? (zh ? "锁着" : "locked") : (zh ? "没锁" : "unlocked");
  }
  if (const Value* v = reading(d, "position"); v && std::holds_alternative<double>(*v)) {
    return std::get<double>(*v) > 0 ? (zh ? "开着" : "open") : (zh ? "关着" : "closed");
  }
  if (const Value* v = reading(d, "detected"); v && std::holds_alternative<bool>(*v)) {
    return std::get<bool>(*v) ? (zh ? "检测到了" : "detected") : (zh ? "正常" : "clear");
  }
  if (const Value* v = reading(d, "on"); v && std::holds_alternative<bool>(*v)) {
    return std::get<bool>(*v) ? (zh ? "开着" : "on") : (zh ? "关着" : "off");
  }
  if (!d.state.empty()) return spoken(d.state.front().second);
  return zh ? "状态未知" : "unknown";
}

// Whether the device is in the state a question asks about ("on", "off", "open", "closed",
// "locked", "unlocked"); nullopt when it cannot say.
std::optional<bool> inState(const Device& d, std::string_view state) {
  if (const Value* v = reading(d, "locked"); v && std::holds_alternative<bool>(*v)) {
    if (state == "locked" || state == "closed") return std::get<bool>(*v);
    if (state == "unlocked" || state == "open") return !std::get<bool>(*v);
  }
  if (const Value* v = reading(d, "position"); v && std::holds_alternative<double>(*v)) {
    if (state == "open" || state == "on") return std::get<double>(*v) > 0;
    if (state == "closed" || state == "off") return std::get<double>(*v) <= 0;
  }
  for (std::string_view property : {"detected", "on"}) {
    if (const Value* v = reading(d, property); v && std::holds_alternative<bool>(*v)) {
      if (state == "on" || state == "open") return std::get<bool>(*v);
      if (state == "off" || state == "closed") return !std::get<bool>(*v);
    }
  }
  return std::nullopt;
}

std::string askedState(const Reading& r) {
  for (const auto& c : r.cues) {
    switch (c.cue) {
      case Cue::kOn: return "on";
      case Cue::kOff: return "off";
      case Cue::kOpen: return "open";
      case Cue::kClose: return "closed";
      case Cue::kState: {
        auto arg = c.arg;
        const size_t eq = arg.find('=');
        if (eq != std::string_view::npos && eq + 1 < arg.size()) return std::string(arg.substr(eq + 1));
        break;
      }
      default: break;
    }
  }
  return {};
}

std::string answer(const Interpretation& in, const std::vector<const Device*>& devices, const Reading& r) {
  const bool zh = in.language == "zh";
  if (!in.property.empty()) {
    std::vector<std::string> parts;
    for (const Device* d : devices) {
      std::string_view property = in.property;
      const Value* v = reading(*d, property);
      if (!v && property == "temperature") v = reading(*d, "target-temperature");
      if (!v) continue;
      const bool degrees = property == "temperature" || property == "target-temperature";
      const std::string value = spoken(*v) + (degrees ? (zh ? "度" : "°") : "");
      parts.push_back(zh ? fmt::format("{}是{}", d->name, value) : fmt::format("{} is {}", d->name, value));
    }
    if (parts.empty()) return zh ? "没有这个读数。" : "I don't have that reading.";
    return list(parts, zh) + (zh ? "。" : ".");
  }
  const std::string state = askedState(r);
  if (state.empty()) {
    std::vector<std::string> parts;
    for (const Device* d : devices) {
      parts.push_back(zh ? fmt::format("{}{}", d->name, stateWord(*d, true)) : fmt::format("{} is {}", d->name, stateWord(*d, false)));
    }
    return list(parts, zh) + (zh ? "。" : ".");
  }
  std::vector<std::string> yes;
  std::vector<std::string> no;
  for (const Device* d : devices) {
    auto s = inState(*d, state);
    if (s.has_value()) (*s ? yes : no).push_back(d->name);
  }
  const bool how_many = r.has(Cue::kHowMany);
  if (how_many) return zh ? fmt::format("{}个。", yes.size()) : fmt::format("{}.", yes.size());
  const bool which = std::any_of(r.text.units.begin(), r.text.units.end(), [](const Unit& u) {
    return u.text == "which" || u.text == "哪";
  });
  if (which) return yes.empty() ? (zh ? "一个都没有。" : "None.") : list(yes, zh) + (zh ? "。" : ".");
  const bool all = r.has(Cue::kAll) && std::none_of(r.text.units.begin(), r.text.units.end(), [](const Unit& u) {
    return u.text == "any";
  });
  if (devices.size() == 1) {
    if (yes.size() == 1) return zh ? "是的。" : "Yes.";
    return zh ? fmt::format("不，{}。", stateWord(*devices.front(), true))
              : fmt::format("No, {}.", stateWord(*devices.front(), false));
  }
  if (all) {
    if (no.empty()) return zh ? "是的，都是。" : "Yes, all of them.";
    return zh ? fmt::format("不，{}不是。", list(no, true)) : fmt::format("No, not {}.", list(no, false));
  }
  if (yes.empty()) return zh ? "没有。" : "No.";
  return zh ? fmt::format("有，{}。", list(yes, true)) : fmt::format("Yes, {}.", list(yes, false));
}

// A property as people say it.
std::string_view propertyWord(std::string_view property, bool zh) {
  static constexpr std::array<std::array<std::string_view, 3>, 8> kWords{{
      {"brightness", "brightness", "亮度"}, {"color", "colour", "颜色"},
      {"color-temperature", "colour temperature", "色温"}, {"target-temperature", "temperature", "温度"},
      {"position", "position", "位置"}, {"volume", "volume", "音量"}, {"mode", "mode", "模式"},
      {"fan-level", "fan speed", "风速"}}};
  for (const auto& row : kWords) {
    if (row[0] == property) return zh ? row[2] : row[1];
  }
  return property;
}

// The value set, as people say it: a colour or a value-list word in the sentence's language.
std::string valueWord(const Interpretation& in, const Device* first) {
  const bool zh = in.language == "zh";
  if (!in.value) return {};
  if (const auto* word = std::get_if<std::string>(&*in.value)) {
    static constexpr std::array<std::array<std::string_view, 2>, 10> kColours{{
        {"red", "红色"}, {"green", "绿色"}, {"blue", "蓝色"}, {"yellow", "黄色"}, {"orange", "橙色"},
        {"purple", "紫色"}, {"pink", "粉色"}, {"white", "白色"}, {"cyan", "青色"}, {"magenta", "品红色"}}};
    for (const auto& row : kColours) {
      if (row[0] == *word) return std::string(zh ? row[1] : row[0]);
    }
    return *word;
  }
  if (first && std::holds_alternative<double>(*in.value)) {
    for (const auto& c : first->properties) {
      if (c.name != in.property) continue;
      for (const auto& choice : c.choices) {
        if (choice.value != std::get<double>(*in.value) || choice.words.empty()) continue;
        auto chinese = std::find_if(choice.words.begin(), choice.words.end(), [](const std::string& w) {
          return !w.empty() && static_cast<unsigned char>(w[0]) >= 0x80;
        });
        auto english = std::find_if(choice.words.begin(), choice.words.end(), [](const std::string& w) {
          return !w.empty() && static_cast<unsigned char>(w[0]) < 0x80;
        });
        if (zh && chinese != choice.words.end()) return *chinese;
        if (!zh && english != choice.words.end()) return *english;
        return choice.words.front();
      }
    }
  }
  std::string value = spoken(*in.value);
  if (in.property == "brightness" || in.property == "position" || in.property == "volume") value += "%";
  if (in.property == "target-temperature") value += zh ? "度" : " degrees";
  return value;
}

std::string did(const Interpretation& in, const std::vector<std::string>& names, const Device* first) {
  const bool zh = in.language == "zh";
  const std::string who = list(names, zh);
  const bool lock = first && first->type == "lock";
  const bool cover = first && (first->type == "curtain" || first->type == "valve");
  switch (in.intent) {
    case Intent::kTurnOn:
      if (lock) return zh ? "已锁上" + who + "。" : "Locked " + who + ".";
      if (cover) return zh ? "已打开" + who + "。" : "Opened " + who + ".";
      return zh ? "已打开" + who + "。" : "Turned on " + who + ".";
    case Intent::kTurnOff:
      if (lock) return zh ? "已解锁" + who + "。" : "Unlocked " + who + ".";
      if (cover) return zh ? "已关闭" + who + "。" : "Closed " + who + ".";
      return zh ? "已关闭" + who + "。" : "Turned off " + who + ".";
    case Intent::kSet:
      return zh ? fmt::format("已把{}的{}调到{}。", who, propertyWord(in.property, true), valueWord(in, first))
                : fmt::format("Set the {} of {} to {}.", propertyWord(in.property, false), who, valueWord(in, first));
    case Intent::kAdjust:
      return zh ? fmt::format("已调{}{}的{}。", in.direction > 0 ? "高" : "低", who, propertyWord(in.property, true))
                : fmt::format("Turned {} the {} of {}.", in.direction > 0 ? "up" : "down", propertyWord(in.property, false), who);
    case Intent::kAction: {
      static constexpr std::array<std::array<std::string_view, 3>, 7> kSaid{{
          {"start", "Started {}.", "已让{}开始工作。"}, {"dock", "Sent {} back to its dock.", "已让{}回去充电。"},
          {"pause", "Paused {}.", "已暂停{}。"}, {"resume", "Resumed {}.", "已继续{}。"},
          {"next", "Skipped to the next one on {}.", "{}已切到下一首。"},
          {"previous", "Went back on {}.", "{}已切到上一首。"}, {"stop", "Stopped {}.", "已停止{}。"}}};
      for (const auto& row : kSaid) {
        if (row[0] == in.action) return fmt::format(fmt::runtime(zh ? row[2] : row[1]), who);
      }
      return zh ? fmt::format("已让{}执行{}。", who, in.action) : fmt::format("Asked {} to {}.", who, in.action);
    }
    default: return {};
  }
}

}  // namespace

std::string spoken(const Value& value) {
  if (const auto* b = std::get_if<bool>(&value)) return *b ? "on" : "off";
  if (const auto* d = std::get_if<double>(&value)) {
    if (std::isfinite(*d) && *d == std::round(*d) && std::abs(*d) < 1e15) return fmt::format("{}", static_cast<long long>(*d));
    return fmt::format("{:g}", *d);
  }
  return std::get<std::string>(value);
}

std::string respond(const Interpretation& in, const HomeSnapshot& home, const Reading& r,
                    const Interpreter& interpreter) {
  const bool zh = in.language == "zh";
  if (in.intent == Intent::kUnknown) return zh ? "抱歉，我没听懂。" : "Sorry, I didn't understand that.";
  if (in.targets.empty()) {
    return zh ? "抱歉，没有找到这个设备。" : "Sorry, I couldn't find a device like that.";
  }
  if (in.intent == Intent::kScene) {
    std::vector<std::string> names;
    for (const auto& s : home.scenes) {
      if (std::find(in.targets.begin(), in.targets.end(), s.id) != in.targets.end()) names.push_back(s.name);
    }
    return zh ? "已执行" + list(names, true) + "。" : "Activated " + list(names, false) + ".";
  }
  const auto devices = devicesOf(in, home);
  if (in.intent == Intent::kQuery) return answer(in, devices, r);
  std::vector<std::string> acted;
  std::vector<std::string> offline;
  const Device* first = nullptr;
  for (const Device* d : devices) {
    if (!interpreter.appliesTo(in, *d)) continue;
    if (!d->online) {
      offline.push_back(d->name);
      continue;
    }
    if (!first) first = d;
    acted.push_back(d->name);
  }
  std::string out;
  if (!acted.empty()) out = did(in, acted, first);
  if (!offline.empty()) {
    if (!out.empty()) out += zh ? "" : " ";
    out += zh ? list(offline, true) + "离线了。" : list(offline, false) + (offline.size() == 1 ? " is offline." : " are offline.");
  }
  if (out.empty()) out = zh ? "这些设备做不到。" : "None of those devices can do that.";
  return out;
}

}  // namespace hearth::assistant
