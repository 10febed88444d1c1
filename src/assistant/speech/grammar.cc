// The recogniser's grammar for one home. Its shape is what made espeak-ng's synthetic commands
// come out right 199 times in 200 (docs/assistant.md, "Speech"): one rule per kind of command,
// each taking only the names of devices that can do it, numbers as words, temperatures only from
// 16 to 30; a loose "any verb, any name, any number" grammar got two in three.
#include <algorithm>
#include <charconv>
#include <cctype>
#include <set>
#include <string>
#include <vector>

#include "hearth/assistant/speech.h"

namespace hearth::assistant {

namespace {

constexpr const char* kOnes[] = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"};
constexpr const char* kTeens[] = {"ten", "eleven", "twelve", "thirteen", "fourteen",
                                  "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"};
constexpr const char* kTens[] = {"", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"};

// 0 to 999 in words.
std::string inWords(int n) {
  std::string out;
  if (n >= 100) {
    out = std::string(kOnes[n / 100]) + " hundred";
    n %= 100;
    if (n == 0) return out;
    out += " ";
  }
  if (n < 10) return out + kOnes[n];
  if (n < 20) return out + kTeens[n - 10];
  out += kTens[n / 10];
  if (n % 10 != 0) out += std::string(" ") + kOnes[n % 10];
  return out;
}

// A name as the grammar writes it ("Desk Lamp 2" → "desk lamp two"), or empty when it has
// characters the recogniser cannot say.
std::string spokenName(std::string_view name, const std::function<bool(std::string_view)>& speakable) {
  std::string out;
  std::string word;
  auto flush = [&]() -> bool {
    if (word.empty()) return true;
    const bool digits = std::all_of(word.begin(), word.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (digits && word.size() > 3) return false;  // beyond what inWords() says
    if (!digits && speakable && !speakable(word)) return false;
    int n = 0;
    if (digits) (void)std::from_chars(word.data(), word.data() + word.size(), n);  // 1 to 3 digits: always fits
    out += (out.empty() ? "" : " ") + (digits ? inWords(n) : word);
    word.clear();
    return true;
  };
  for (char c : name) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) && u < 0x80) {
      word += static_cast<char>(std::tolower(u));
    } else if (c == ' ' || c == '-' || c == '_' || c == '.') {
      if (!flush()) return {};
    } else {
      return {};
    }
  }
  return flush() ? out : std::string{};
}

bool has(const Device& d, std::string_view property) {
  return std::any_of(d.properties.begin(), d.properties.end(),
                     [&](const Capability& c) { return c.name == property && c.writable; });
}

bool does(const Device& d, std::string_view action) {
  return std::any_of(d.actions.begin(), d.actions.end(), [&](const DeviceAction& a) { return a.name == action; });
}

std::string alternatives(const std::set<std::string>& words) {
  std::string out = "( ";
  bool first = true;
  for (const auto& w : words) {
    out += (first ? "" : " | ") + w;
    first = false;
  }
  return out + " )";
}

}  // namespace

std::string grammarFor(const HomeSnapshot& home, const std::function<bool(std::string_view)>& speakable) {
  std::set<std::string> all, switchable, dimmable, climate, curtain, cleaner, rooms, scenes;
  bool volume = false;
  double low = 16;
  double high = 30;
  for (const auto& d : home.devices) {
    std::vector<std::string> names{spokenName(d.name, speakable)};
    for (const auto& alias : d.aliases) names.push_back(spokenName(alias, speakable));
    for (const auto& name : names) {
      if (name.empty()) continue;
      all.insert(name);
      if (has(d, "on") || has(d, "position")) switchable.insert(name);
      if (has(d, "brightness")) dimmable.insert(name);
      if (has(d, "target-temperature")) climate.insert(name);
      if (has(d, "position")) curtain.insert(name);
      if (does(d, "start") || does(d, "dock")) cleaner.insert(name);
    }
    volume = volume || has(d, "volume");
    for (const auto& c : d.properties) {
      if (c.name == "target-temperature" && c.min && c.max) {
        low = std::max(5.0, std::min(low, *c.min));
        high = std::min(40.0, std::max(high, *c.max));
      }
    }
  }
  for (const auto& r : home.rooms) {
    if (auto name = spokenName(r.name, speakable); !name.empty()) rooms.insert(name);
  }
  for (const auto& s : home.scenes) {
    if (auto name = spokenName(s.name, speakable); !name.empty()) scenes.insert(name);
  }
  cleaner.insert("robot vacuum");
  cleaner.insert("vacuum");

  std::vector<std::string> rules;
  std::vector<std::string> commands;
  auto rule = [&](const std::string& name, const std::string& body) { rules.push_back("<" + name + "> = " + body + ";"); };
  auto command = [&](const std::string& name, const std::string& body) {
    rule(name, body);
    commands.push_back("<" + name + ">");
  };
  std::string temps;
  for (int t = static_cast<int>(low); t <= static_cast<int>(high); ++t) temps += (temps.empty() ? "" : " | ") + inWords(t);
  rule("temp", temps);
  rule("digit", "one | two | three | four | five | six | seven | eight | nine");
  rule("teen", "ten | eleven | twelve | thirteen | fourteen | fifteen | sixteen | seventeen | eighteen | nineteen");
  rule("tens", "twenty | thirty | forty | fifty | sixty | seventy | eighty | ninety");
  rule("number", "zero | <digit> | <teen> | <tens> [<digit>] | one hundred");
  rule("onoff", "on | off");
  rule("kinds", "lights | lamps | fans | plugs | curtains");
  const std::string place = rooms.empty() ? "" : " [in [the] <room>]";
  if (!rooms.empty()) rule("room", alternatives(rooms));
  if (!all.empty()) rule("device", alternatives(all));
  std::string power = "(turn | switch) <onoff> [all] [the] <kinds>" + place;
  if (!switchable.empty()) {
    rule("switchable", alternatives(switchable));
    power += " | (turn | switch) <onoff> [the] <switchable> | (turn | switch) [the] <switchable> <onoff>";
  }
  command("power", power);
  if (!dimmable.empty()) {
    rule("light", alternatives(dimmable));
    command("level", "(set | dim) [the] <light> [brightness] to <number> percent");
  }
  if (!curtain.empty()) {
    rule("curtain", alternatives(curtain));
    command("curtains", "(open | close) [the] (<curtain> | curtains" + place + ") | set [the] <curtain> to <number> percent");
  }
  if (!climate.empty()) {
    rule("climate", alternatives(climate));
    command("setpoint", "set [the] (<climate> | temperature) to <temp> degrees");
  }
  rule("cleaner", alternatives(cleaner));
  command("cleaning", "(start | stop | pause | dock) [the] <cleaner> | send [the] <cleaner> home");
  // Said to any home: where nothing plays, the response says so.
  command("media", "(next | previous) song | (pause | resume) [the] music");
  if (volume) command("volume", "set [the] volume to <number>");
  command("query", "what is the (temperature | humidity)" + place + (all.empty() ? "" : " | is [the] <device> (on | off | open | closed)"));
  if (!scenes.empty()) {
    rule("scene", alternatives(scenes));
    command("activate", "activate [the] <scene> [scene]");
  }
  std::string out = "#JSGF V1.0;\ngrammar hearth;\n";
  for (const auto& r : rules) out += r + "\n";
  out += "public <command> = ";
  for (size_t i = 0; i < commands.size(); ++i) out += (i ? " | " : "") + commands[i];
  return out + ";\n";
}

}  // namespace hearth::assistant
