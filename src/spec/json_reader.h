// Reads a boost::json tree into model types while keeping the JSON pointer of the current
// position, so that the first error names its exact place. Shared by the instance parser
// (parse.cc) and the standard catalogue loader (catalogue.cc).
//
// Not thread-safe: one reader per parse. Never throws; every read* returns false after recording
// the error (only the first error is kept: later ones are consequences).
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <array>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "hearth/spec/json.h"
#include "hearth/spec/model.h"

namespace hearth::spec::detail {

// The whole file as a string; kIoError naming the file when it cannot be read.
core::Result<std::string> readTextFile(const std::filesystem::path& path);

// "an integer", "a string", ...: how messages name what a JSON value is.
std::string_view jsonKindName(const boost::json::value& value);

// Appends "/<token>" to a JSON pointer, escaping '~' and '/' (RFC 6901 §3).
void appendPointerToken(std::string& pointer, std::string_view token);
void appendPointerIndex(std::string& pointer, size_t index);

class JsonReader {
 public:
  // Descends into a member or array element for its lifetime.
  class Scope {
   public:
    Scope(JsonReader& reader, std::string_view member);
    Scope(JsonReader& reader, size_t index);
    ~Scope() { reader_.pointer_.resize(length_); }
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

   private:
    JsonReader& reader_;
    size_t length_;
  };

  bool fail(std::string reason);
  ParseError takeError() { return std::move(error_).value_or(ParseError{}); }

  // Calls read(value) inside the member's scope. A missing member is an error when `required`,
  // otherwise read is not called and the result is true.
  template <class Read>
  bool member(const boost::json::object& object, std::string_view key, bool required, Read&& read) {
    const boost::json::value* v = object.if_contains(key);
    if (v == nullptr) return !required || fail("missing required member \"" + std::string(key) + "\"");
    Scope scope(*this, key);
    return read(*v);
  }

  // Calls read(element) for each element of an array, inside each element's scope.
  template <class Read>
  bool eachElement(const boost::json::value& value, Read&& read) {
    const boost::json::array* array = asArray(value);
    if (array == nullptr) return false;
    for (size_t i = 0; i < array->size(); ++i) {
      Scope scope(*this, i);
      if (!read((*array)[i])) return false;
    }
    return true;
  }

  const boost::json::object* asObject(const boost::json::value& value);
  const boost::json::array* asArray(const boost::json::value& value);
  bool readString(const boost::json::value& value, std::string& out);
  bool readUint32(const boost::json::value& value, uint32_t& out);
  bool readNumber(const boost::json::value& value, Number& out);
  bool readUrn(const boost::json::value& value, Urn& out);
  bool readDescription(const boost::json::value& value, Description& out);
  bool readArguments(const boost::json::value& value, std::vector<Argument>& out);
  bool readRepeat(const boost::json::value& value, Repeat& out);

  // type, description, format, access, unit, value-range, value-list: everything of a property
  // but its iid, which a standard definition does not have.
  bool readPropertyFields(const boost::json::object& object, Property& out);

  // Copies the members whose names are not in `known` into `out`.
  static void keepExtensions(const boost::json::object& object,
                             std::span<const std::string_view> known, boost::json::object& out);

 private:
  bool readAccess(const boost::json::value& value, Access& out);
  bool readValueRange(const boost::json::value& value, ValueRange& out);
  bool readValueList(const boost::json::value& value, ValueList& out);
  bool typeError(std::string_view expected, const boost::json::value& got);

  std::string pointer_;
  std::optional<ParseError> error_;
};

// The members each element type knows; anything else goes to `extensions`.
inline constexpr std::array<std::string_view, 3> kInstanceMembers = {"type", "description",
                                                                    "services"};
inline constexpr std::array<std::string_view, 6> kServiceMembers = {
    "iid", "type", "description", "properties", "actions", "events"};
inline constexpr std::array<std::string_view, 8> kPropertyMembers = {
    "iid", "type", "description", "format", "access", "unit", "value-range", "value-list"};
inline constexpr std::array<std::string_view, 5> kActionMembers = {"iid", "type", "description",
                                                                  "in", "out"};
inline constexpr std::array<std::string_view, 4> kEventMembers = {"iid", "type", "description",
                                                                 "arguments"};

}  // namespace hearth::spec::detail
