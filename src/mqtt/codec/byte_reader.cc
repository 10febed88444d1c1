#include "mqtt/codec/byte_reader.h"

#include "mqtt/codec/utf8.h"

namespace hearth::mqtt::detail {

CodecError truncated(std::string_view what) {
  std::string message = "truncated ";
  message += what;
  return malformed(std::move(message));
}

DecodeError readUtf8String(ByteReader& reader, std::string_view& out, std::string_view what) {
  if (!reader.readBinary(out)) return truncated(what);
  if (!isValidMqttUtf8(out)) {
    std::string message = "invalid UTF-8 in ";
    message += what;
    return malformed(std::move(message));
  }
  return std::nullopt;
}

DecodeError readBinaryData(ByteReader& reader, std::string_view& out, std::string_view what) {
  if (!reader.readBinary(out)) return truncated(what);
  return std::nullopt;
}

}  // namespace hearth::mqtt::detail
