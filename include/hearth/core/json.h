// The project's one JSON reader and one JSON writer, for every input (HTTP bodies, WebSocket
// messages, device messages, spec files, CLI files) and every stored or sent value.
//
// Reader contract:
// - Numbers are exact: integers that fit int64 (or uint64 above int64) stay integers; every other
//   number becomes the correctly rounded double (std::from_chars), so a double written by
//   serializeJson reads back bit for bit. Boost 1.81's json::parse rounds about a third of random
//   doubles one ulp off and turns 1e400 into infinity; it is not used on input.
// - A number beyond double's range (1e400) is an error: JSON has no infinity. One below it
//   (1e-400) underflows to 0, as every JSON reader does. "-0" is the integer 0; "-0.0" is -0.0.
// - Limits, each an error with its reason: `max_bytes` of text, `max_depth` nested arrays or
//   objects (so a deep document cannot exhaust the stack of the value's destructor or of a
//   recursive reader), trailing data after the document, invalid UTF-8, comments.
// - Errors are kInvalidArgument, "invalid JSON at line L, column C: <reason>" (bytes, 1-based).
//
// Writer contract: compact JSON as other libraries write it; doubles in their shortest form that
// reads back exactly, in plain notation where that is as short ("21.5", "0.001", "1e+300"), and
// always with a "." or an exponent so that they read back as doubles ("21.0").
//
// Thread-safety: free functions over values; no shared state. Never throw (allocation failure is
// an error like any other).
#pragma once

#include <boost/json/value.hpp>
#include <cstddef>
#include <string>
#include <string_view>

#include "hearth/core/status.h"

namespace hearth::core {

struct JsonLimits {
  // Larger than any request body hearthd accepts (1 MiB) or spec file it reads (~40 KB); callers
  // with a smaller limit of their own (a WebSocket message) pass it.
  size_t max_bytes = 16u << 20;
  // Boost's default, which every reader of the project had before there was one reader.
  size_t max_depth = 32;
};

Result<boost::json::value> parseJson(std::string_view text, const JsonLimits& limits = {});

std::string serializeJson(const boost::json::value& value);

// JSON text that serializeJson wrote into a store (a sample's value, an audit record), read back
// for an answer: its value, or null for a record that does not parse (damaged, or from elsewhere).
boost::json::value parseStoredJson(std::string_view text);

}  // namespace hearth::core
