// What the interpreter reads out of one sentence before deciding anything: the home's names it
// mentions (devices, rooms, floors, scenes, value words), the lexicon's words and the numbers,
// each with its place in the sentence. Built by Interpreter::Index::read(); used by the intent
// and target rules in interpreter.cc and by the responses in response.cc.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lexicon.h"
#include "text.h"

namespace hearth::assistant {

struct CueAt {
  Cue cue;
  std::string_view arg;
  size_t unit;  // position of the phrase's first unit
};

struct NameAt {
  int ref;      // device group, room, floor, scene or choice index
  size_t unit;
  bool plural;  // said in the plural ("lights" for a device named "Light"): a kind, not the name
  bool alsoWord;  // the same words are also a lexicon word ("Light", "空调")
};

struct NumberAt {
  double value;
  bool percent;
  size_t unit;
  bool out_of_range;  // see SpokenNumber::out_of_range
};

struct Reading {
  Normalized text;
  std::vector<NameAt> devices;  // ref: device group (devices sharing one name or alias)
  std::vector<NameAt> rooms;
  std::vector<NameAt> floors;
  std::vector<NameAt> scenes;
  std::vector<NameAt> choices;  // ref: a value-list word of some device's property
  std::vector<CueAt> cues;
  std::vector<NumberAt> numbers;
  std::vector<bool> known;  // per unit: part of a name, a lexicon phrase or a number

  bool has(Cue cue) const {
    for (const auto& c : cues) {
      if (c.cue == cue) return true;
    }
    return false;
  }
  const CueAt* first(Cue cue) const {
    for (const auto& c : cues) {
      if (c.cue == cue) return &c;
    }
    return nullptr;
  }
};

}  // namespace hearth::assistant
