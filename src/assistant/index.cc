#include "index.h"

#include <algorithm>
#include <map>

#include "hearth/assistant/numbers.h"

namespace hearth::assistant {

namespace {

std::string joined(const std::vector<std::string>& units) {
  std::string key;
  for (const auto& u : units) {
    key += u;
    key += '\x1f';
  }
  return key;
}

bool ascii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

}  // namespace

Interpreter::Index::Index(HomeSnapshot snapshot) : home(std::move(snapshot)) {
  std::map<std::string, int> room_by_id;
  for (size_t i = 0; i < home.rooms.size(); ++i) room_by_id[home.rooms[i].id] = static_cast<int>(i);
  for (const auto& room : home.rooms) {
    int floor = -1;
    for (size_t f = 0; f < home.floors.size(); ++f) {
      if (home.floors[f].id == room.floor) floor = static_cast<int>(f);
    }
    room_floor.push_back(floor);
  }
  // Devices that share a name or alias form one group: "Phone" may be six sensors of one phone.
  std::map<std::string, int> group_of_name;
  std::map<std::pair<std::string, std::string>, int> choice_of;
  for (size_t d = 0; d < home.devices.size(); ++d) {
    const Device& device = home.devices[d];
    auto room = room_by_id.find(device.room);
    device_room.push_back(room == room_by_id.end() ? -1 : room->second);
    std::vector<std::string> names{device.name};
    names.insert(names.end(), device.aliases.begin(), device.aliases.end());
    for (const auto& name : names) {
      auto units = unitsOf(name);
      if (units.empty()) continue;
      auto [it, fresh] = group_of_name.try_emplace(joined(units), static_cast<int>(device_groups.size()));
      if (fresh) {
        device_groups.emplace_back();
        add(name, Ref::kDevice, it->second);
      }
      auto& group = device_groups[it->second];
      if (std::find(group.begin(), group.end(), static_cast<int>(d)) == group.end()) group.push_back(static_cast<int>(d));
    }
    for (const auto& capability : device.properties) {
      for (const auto& choice : capability.choices) {
        for (const auto& word : choice.words) {
          auto key = std::make_pair(capability.name, joined(unitsOf(word)));
          if (choice_of.count(key) != 0) continue;
          choice_of[key] = static_cast<int>(choices.size());
          choices.push_back({capability.name, choice.value, word});
          const int at = static_cast<int>(choices.size() - 1);
          // A lone "cool" or "自动" is too common a word to be a value; "cool mode" is one.
          add(word + (ascii(word) ? " mode" : "模式"), Ref::kChoice, at);
          if (unitsOf(word).size() > 1) add(word, Ref::kChoice, at);
        }
      }
    }
  }
  for (size_t i = 0; i < home.rooms.size(); ++i) {
    add(home.rooms[i].name, Ref::kRoom, static_cast<int>(i));
    for (const auto& alias : home.rooms[i].aliases) add(alias, Ref::kRoom, static_cast<int>(i));
  }
  // A room called "Bedroom" is also 卧室, and one called 卧室 also "bedroom".
  for (const auto& entry : lexicon()) {
    if (entry.cue != Cue::kRoomName) continue;
    const auto english = unitsOf(entry.arg);
    for (size_t i = 0; i < home.rooms.size(); ++i) {
      const auto name = unitsOf(home.rooms[i].name);
      if (name == english) add(entry.phrase, Ref::kRoom, static_cast<int>(i));
      if (home.rooms[i].name == entry.phrase) add(entry.arg, Ref::kRoom, static_cast<int>(i));
    }
  }
  for (size_t i = 0; i < home.floors.size(); ++i) add(home.floors[i].name, Ref::kFloor, static_cast<int>(i));
  for (size_t i = 0; i < home.scenes.size(); ++i) add(home.scenes[i].name, Ref::kScene, static_cast<int>(i));
  const auto words = lexicon();
  for (size_t i = 0; i < words.size(); ++i) {
    if (words[i].cue != Cue::kRoomName) add(words[i].phrase, Ref::kWord, static_cast<int>(i));
  }
}

void Interpreter::Index::add(std::string_view text, Ref ref, int index) {
  Phrase phrase{unitsOf(text), ref, index};
  if (phrase.units.empty()) return;
  by_first_unit_[phrase.units.front()].push_back(static_cast<int>(phrases_.size()));
  phrases_.push_back(std::move(phrase));
}

Reading Interpreter::Index::read(std::string_view text) const {
  Reading r;
  r.text = normalize(text);
  const auto& units = r.text.units;
  std::vector<bool> in_name(units.size(), false);
  r.known.assign(units.size(), false);
  const auto words = lexicon();
  for (size_t i = 0; i < units.size();) {
    auto it = by_first_unit_.find(units[i].text);
    if (it == by_first_unit_.end()) {
      ++i;
      continue;
    }
    size_t best = 0;
    // A plural starts no multi-word lexicon phrase: "switches on" is not "switch on".
    auto fits = [&](const Phrase& phrase) {
      return !(units[i].plural && phrase.ref == Ref::kWord && phrase.units.size() > 1);
    };
    for (int p : it->second) {
      const auto& phrase = phrases_[p];
      const size_t n = phrase.units.size();
      if (n < best || i + n > units.size() || !fits(phrase)) continue;
      bool match = true;
      for (size_t k = 1; k < n && match; ++k) match = units[i + k].text == phrase.units[k];
      if (match) best = n;
    }
    if (best == 0) {
      ++i;
      continue;
    }
    bool word = false;
    bool name = false;
    for (int p : it->second) {
      const auto& phrase = phrases_[p];
      if (phrase.units.size() != best || !fits(phrase)) continue;
      bool match = i + best <= units.size();
      for (size_t k = 1; k < best && match; ++k) match = units[i + k].text == phrase.units[k];
      if (!match) continue;
      NameAt at{phrase.index, i, best == 1 && units[i].plural, false};
      switch (phrase.ref) {
        case Ref::kDevice: r.devices.push_back(at); name = true; break;
        case Ref::kRoom: r.rooms.push_back(at); name = true; break;
        case Ref::kFloor: r.floors.push_back(at); name = true; break;
        case Ref::kScene: r.scenes.push_back(at); name = true; break;
        case Ref::kChoice: r.choices.push_back(at); name = true; break;
        case Ref::kWord:
          r.cues.push_back({words[phrase.index].cue, words[phrase.index].arg, i});
          word = true;
          break;
      }
    }
    if (word && name) {
      for (auto* list : {&r.devices, &r.rooms, &r.scenes}) {
        if (!list->empty() && list->back().unit == i) list->back().alsoWord = true;
      }
    }
    for (size_t k = i; k < i + best; ++k) {
      r.known[k] = true;
      in_name[k] = name && !word;
    }
    i += best;
  }
  findNumbers(r, in_name);
  if (r.devices.empty()) findSlips(r, in_name);
  return r;
}

void Interpreter::Index::findNumbers(Reading& r, const std::vector<bool>& in_name) const {
  const auto& units = r.text.units;
  for (const auto& number : assistant::findNumbers(r.text.text)) {
    auto unit = std::find_if(units.begin(), units.end(), [&](const Unit& u) { return u.begin == number.begin; });
    if (unit == units.end()) continue;  // inside a word: "co2", "pm2.5"
    const auto at = static_cast<size_t>(unit - units.begin());
    if (in_name[at]) continue;
    r.numbers.push_back({number.value, number.percent, at, number.out_of_range});
    for (size_t k = at; k < units.size() && units[k].begin < number.end; ++k) r.known[k] = true;
  }
}

void Interpreter::Index::findSlips(Reading& r, const std::vector<bool>& in_name) const {
  const auto& units = r.text.units;
  for (size_t i = 0; i < units.size(); ++i) {
    if (in_name[i] || units[i].cjk || units[i].text.size() < 4) continue;
    for (const auto& phrase : phrases_) {
      if (phrase.ref != Ref::kDevice || !ascii(phrase.units.front())) continue;
      const size_t n = phrase.units.size();
      if (i + n > units.size()) continue;
      int edits = 0;
      for (size_t k = 0; k < n && edits <= 1; ++k) {
        const auto& said = units[i + k].text;
        const auto& want = phrase.units[k];
        if (said == want) continue;
        edits += in_name[i + k] || std::min(said.size(), want.size()) < 4 ? 2 : editDistance(said, want, 1);
      }
      // One slip in a one-word name is too often another word ("right" for "Light").
      if (edits == 1 && (n > 1 || phrase.units.front().size() >= 6)) {
        r.devices.push_back({phrase.index, i, false, false});
        return;
      }
    }
  }
}

}  // namespace hearth::assistant
