// The words the interpreter knows that are not the home's own names, in English and Chinese:
// command verbs, question words, quantities, device kinds, properties, colours and states. Data
// only; interpreter.cc gives them meaning. Adding a language is adding rows.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace hearth::assistant {

enum class Cue : uint8_t {
  kOn, kOff, kOpen, kClose, kLock, kUnlock, kActivate,
  kSet, kTo, kBy, kUp, kDown,         // kUp/kDown: arg names the property when the word does
  kStart, kStop, kPause, kResume, kNext, kPrevious, kDock,
  kQuestion, kHowMany, kAll, kEverywhere, kHere,
  kKind,      // arg: "type|type/kind;sensor-type/kind": kinds meant, then those a state word picks
  kProperty,  // arg: the assistant's property name
  kColor,     // arg: colour name
  kState,     // arg: "kind=state": a state asked about, and the sensor kind the word implies
  kMax, kMin, kDegree,
  kRoomName,  // a room's usual name in Chinese; arg: the same in English. Names a room of the
              // home called either way, so a family can speak either language to one home.
};

struct LexiconEntry {
  std::string_view phrase;  // lower case; English words separated by spaces, Chinese as written
  Cue cue;
  std::string_view arg;
};

std::span<const LexiconEntry> lexicon();

}  // namespace hearth::assistant
