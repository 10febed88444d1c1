// JSON text → boost::json::value with exact numbers, and back (json.h has the contracts).
//
// Boost 1.81's parser converts doubles with a fast, slightly imprecise algorithm: about a third
// of random doubles come back one ulp off after serialize → parse. This handler keeps Boost's
// tokenizer and value building but converts each fraction from its text with std::from_chars,
// which rounds correctly.
#include "hearth/core/json.h"

#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value_stack.hpp>
#include <charconv>
#include <cmath>
#include <new>

namespace hearth::core {
namespace json = boost::json;
namespace {

struct ExactDoubleHandler {
  static constexpr std::size_t max_object_size = json::object::max_size();
  static constexpr std::size_t max_array_size = json::array::max_size();
  static constexpr std::size_t max_key_size = json::string::max_size();
  static constexpr std::size_t max_string_size = json::string::max_size();

  json::value_stack stack;
  std::string number;  // a number's text when the tokenizer hands it over in parts

  explicit ExactDoubleHandler(json::storage_ptr sp) : stack(std::move(sp)) {}

  bool on_document_begin(json::error_code&) { return true; }
  bool on_document_end(json::error_code&) { return true; }
  bool on_object_begin(json::error_code&) { return true; }
  bool on_object_end(std::size_t n, json::error_code&) {
    stack.push_object(n);
    return true;
  }
  bool on_array_begin(json::error_code&) { return true; }
  bool on_array_end(std::size_t n, json::error_code&) {
    stack.push_array(n);
    return true;
  }
  bool on_key_part(json::string_view s, std::size_t, json::error_code&) {
    stack.push_chars(s);
    return true;
  }
  bool on_key(json::string_view s, std::size_t, json::error_code&) {
    stack.push_key(s);
    return true;
  }
  bool on_string_part(json::string_view s, std::size_t, json::error_code&) {
    stack.push_chars(s);
    return true;
  }
  bool on_string(json::string_view s, std::size_t, json::error_code&) {
    stack.push_string(s);
    return true;
  }
  bool on_number_part(json::string_view s, json::error_code&) {
    number.append(s.data(), s.size());
    return true;
  }
  bool on_int64(std::int64_t i, json::string_view, json::error_code&) {
    number.clear();
    stack.push_int64(i);
    return true;
  }
  bool on_uint64(std::uint64_t u, json::string_view, json::error_code&) {
    number.clear();
    stack.push_uint64(u);
    return true;
  }
  bool on_double(double approximate, json::string_view s, json::error_code& ec) {
    number.append(s.data(), s.size());
    double exact = 0;
    auto [end, err] = std::from_chars(number.data(), number.data() + number.size(), exact);
    number.clear();
    if (err == std::errc::result_out_of_range) {
      // Underflow: Boost's tiny or zero result is as good as any. Overflow has no JSON value.
      if (!std::isfinite(approximate)) {
        ec = json::error::exponent_overflow;
        return false;
      }
      exact = approximate;
    } else if (err != std::errc()) {
      exact = approximate;  // cannot happen for text the tokenizer accepted; keep Boost's value
    }
    stack.push_double(exact);
    return true;
  }
  bool on_bool(bool b, json::error_code&) {
    stack.push_bool(b);
    return true;
  }
  bool on_null(json::error_code&) {
    stack.push_null();
    return true;
  }
  bool on_comment_part(json::string_view, json::error_code&) { return true; }
  bool on_comment(json::string_view, json::error_code&) { return true; }
};

// "line 3, column 7" of byte `offset` (1-based, counting bytes).
std::string location(std::string_view text, size_t offset) {
  size_t line = 1;
  size_t column = 1;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

}  // namespace

Result<json::value> parseJson(std::string_view text, const JsonLimits& limits) {
  if (text.size() > limits.max_bytes) {
    return Status::invalidArgument("invalid JSON: longer than " + std::to_string(limits.max_bytes) + " bytes");
  }
  try {
    json::parse_options options;
    options.max_depth = limits.max_depth;
    json::basic_parser<ExactDoubleHandler> parser(options, json::storage_ptr());
    parser.handler().stack.reset();
    json::error_code ec;
    const size_t used = parser.write_some(false, text.data(), text.size(), ec);
    if (!ec && used < text.size()) ec = json::error::extra_data;
    if (ec) return Status::invalidArgument("invalid JSON at " + location(text, used) + ": " + ec.message());
    return parser.handler().stack.release();
  } catch (const std::bad_alloc&) {
    return Status::resourceExhausted("out of memory while parsing JSON");
  }
}

namespace {

void writeJson(const json::value& v, std::string& out) {
  switch (v.kind()) {
    case json::kind::object: {
      out += '{';
      bool first = true;
      for (const auto& member : v.get_object()) {
        if (!first) out += ',';
        first = false;
        out += json::serialize(json::string_view(member.key()));
        out += ':';
        writeJson(member.value(), out);
      }
      out += '}';
      return;
    }
    case json::kind::array: {
      out += '[';
      bool first = true;
      for (const auto& item : v.get_array()) {
        if (!first) out += ',';
        first = false;
        writeJson(item, out);
      }
      out += ']';
      return;
    }
    case json::kind::double_: {
      char buffer[32];
      auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, v.get_double());
      if (ec != std::errc() || !std::isfinite(v.get_double())) {
        out += json::serialize(v);  // not reachable from parsed JSON; Boost's own spelling
        return;
      }
      const std::string_view text(buffer, static_cast<size_t>(end - buffer));
      out += text;
      if (text.find_first_of(".e") == std::string_view::npos) out += ".0";
      return;
    }
    default:
      out += json::serialize(v);  // strings, integers, booleans and null as Boost writes them
  }
}

}  // namespace

json::value parseStoredJson(std::string_view text) {
  auto value = parseJson(text);
  return value ? std::move(value).value() : json::value(nullptr);
}

std::string serializeJson(const json::value& value) {
  std::string out;
  writeJson(value, out);
  return out;
}

}  // namespace hearth::core
