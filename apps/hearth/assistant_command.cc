#include "assistant_command.h"

#include <boost/json.hpp>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>

#include "hearth/assistant/interpreter.h"
#include "hearth/core/json.h"

namespace hearth::cli {

namespace {

struct ParseOptions {
  std::string home_path;
};

// The sentence and the speaker's room of one input line, or why the line is not one.
std::string readLine(const std::string& line, std::string& text, std::string& room) {
  auto v = core::parseJson(line);
  if (!v) return "not JSON: " + v.error().message();
  if (!v.value().is_object()) return "each line must be a JSON object";
  const auto& o = v.value().get_object();
  const auto* t = o.if_contains("text");
  if (t == nullptr || !t->is_string()) return "\"text\" must be a string";
  text = std::string(t->get_string());
  room.clear();
  if (const auto* r = o.if_contains("room"); r != nullptr && !r->is_null()) {
    if (!r->is_string()) return "\"room\" must be a string or null";
    room = std::string(r->get_string());
  }
  return {};
}

int runParse(const ParseOptions& options) {
  std::ifstream in(options.home_path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "hearth assistant parse: cannot read %s\n", options.home_path.c_str());
    return 1;
  }
  std::stringstream body;
  body << in.rdbuf();
  auto home = assistant::parseHomeJson(body.str());
  if (!home) {
    std::fprintf(stderr, "hearth assistant parse: %s\n", home.error().toString().c_str());
    return 1;
  }
  const assistant::Interpreter interpreter(std::move(*home));
  std::string line;
  std::string text;
  std::string room;
  while (std::getline(std::cin, line)) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    const std::string error = readLine(line, text, room);
    if (!error.empty()) {
      boost::json::object o{{"intent", "unknown"}, {"targets", boost::json::array()}, {"error", error}};
      std::cout << boost::json::serialize(o) << '\n' << std::flush;
      continue;
    }
    std::cout << boost::json::serialize(assistant::toJson(interpreter.interpret(text, room))) << '\n' << std::flush;
  }
  return 0;
}

}  // namespace

void addAssistantCommand(CLI::App& app, int& exit_code) {
  auto* assistant = app.add_subcommand("assistant", "The voice assistant's interpreter, offline");
  assistant->require_subcommand(1);
  auto options = std::make_shared<ParseOptions>();
  auto* parse = assistant->add_subcommand(
      "parse", "Read JSON lines {\"text\", \"room\"?} on stdin, write one interpretation per line");
  parse->add_option("--home", options->home_path, "The home: HOME.json as tests/assistant/score.py writes it")
      ->required();
  parse->callback([options, &exit_code] { exit_code = runParse(*options); });
}

}  // namespace hearth::cli
