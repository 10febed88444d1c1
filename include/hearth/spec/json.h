// Reading and writing MIoT-Spec-V2 instance documents as JSON.
//
// Errors name the place and the reason: a JSON pointer (RFC 6901) and a sentence, e.g.
// `/services/2/properties/0/format: unknown format "uint9"`. Parsing checks structure (members,
// JSON types, formats, URNs, iid ranges); what is well-formed but wrong (duplicate iids, ranges
// that do not fit) is validate()'s job, so that a flawed spec can still be loaded and reported on.
//
// Round trip: parseInstance(serializeInstance(x)) == x for every x that parseInstance returned.
// Members the model does not know are kept in `extensions` and written back after known ones.
//
// Thread-safety: free functions over values; no shared state. Errors are returned, never thrown
// (allocation failure included).
#pragma once

#include <boost/json/value.hpp>
#include <filesystem>
#include <string>
#include <string_view>

#include "hearth/core/status.h"
#include "hearth/spec/model.h"

namespace hearth::spec {

struct ParseError {
  std::string pointer;  // "" is the whole document
  std::string reason;

  // "<pointer>: <reason>", or just the reason for the whole document.
  std::string toString() const;
  core::Status toStatus() const { return core::Status::invalidArgument(toString()); }

  friend bool operator==(const ParseError&, const ParseError&) = default;
};

// Parses JSON text. Unlike boost::json::parse in Boost 1.81, doubles are converted exactly
// (correctly rounded), so a serialised double reads back bit for bit; numbers beyond double's
// range are an error. Errors carry the line and column.
core::Result<boost::json::value, ParseError> parseJson(std::string_view text);

// Compact JSON text as people and other JSON libraries write it: like boost::json::serialize,
// except that doubles are written in their shortest form that reads back exactly, in plain
// notation where it is as short ("21.5", "0.001", "1e+300"; Boost 1.81 writes "2.15E1"), and
// always with a "." or an exponent, so that parseJson gives back a double ("21.0").
std::string serializeJson(const boost::json::value& value);

core::Result<Instance, ParseError> parseInstance(std::string_view text);
core::Result<Instance, ParseError> parseInstance(const boost::json::value& json);

boost::json::value toJson(const Instance& instance);
std::string serializeInstance(const Instance& instance);

// Reads and parses a file. kIoError when it cannot be read, kInvalidArgument with
// ParseError::toString() when it does not parse.
core::Result<Instance> loadInstanceFile(const std::filesystem::path& path);

}  // namespace hearth::spec
