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

// Text is read by core::parseJson (exact numbers, its limits); its errors have pointer "".
core::Result<Instance, ParseError> parseInstance(std::string_view text);
core::Result<Instance, ParseError> parseInstance(const boost::json::value& json);

boost::json::value toJson(const Instance& instance);
std::string serializeInstance(const Instance& instance);

// Reads and parses a file. kIoError when it cannot be read, kInvalidArgument with
// ParseError::toString() when it does not parse.
core::Result<Instance> loadInstanceFile(const std::filesystem::path& path);

}  // namespace hearth::spec
