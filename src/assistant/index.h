// The interpreter's view of one home, built once: every name, alias and lexicon phrase cut into
// units and keyed by its first unit, so that reading a sentence costs one hash lookup per unit.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "hearth/assistant/home_snapshot.h"
#include "hearth/assistant/interpreter.h"
#include "reading.h"

namespace hearth::assistant {

struct ChoiceWord {
  std::string property;
  double value;
  std::string word;  // as the spec or the home says it, for the response
};

struct Interpreter::Index {
  explicit Index(HomeSnapshot snapshot);

  // Names, words and numbers of `text`, longest phrase first at each position; a device name
  // with one slip ("bedrom lamp") is found when nothing else names a device.
  Reading read(std::string_view text) const;

  HomeSnapshot home;
  std::vector<std::vector<int>> device_groups;  // devices sharing one name or alias
  std::vector<ChoiceWord> choices;
  std::vector<int> device_room;  // room index per device, -1 for none
  std::vector<int> room_floor;   // floor index per room, -1 for none

 private:
  enum class Ref : unsigned char { kDevice, kRoom, kFloor, kScene, kChoice, kWord };
  struct Phrase {
    std::vector<std::string> units;
    Ref ref;
    int index;  // into device_groups, home.rooms, home.floors, home.scenes, choices, lexicon()
  };
  void add(std::string_view text, Ref ref, int index);
  void findNumbers(Reading& reading, const std::vector<bool>& in_name) const;
  void findSlips(Reading& reading, const std::vector<bool>& in_name) const;

  std::vector<Phrase> phrases_;
  std::unordered_map<std::string, std::vector<int>> by_first_unit_;
};

}  // namespace hearth::assistant
