#include "store/rocks/history_keys.h"

#include <cstring>

namespace hearth::store::rocks {
namespace {

constexpr uint64_t kSignBit = uint64_t{1} << 63;

void appendBigEndian(std::string& key, uint64_t value, int bytes) {
  for (int shift = (bytes - 1) * 8; shift >= 0; shift -= 8) key.push_back(static_cast<char>((value >> shift) & 0xff));
}

uint64_t bigEndianAt(std::string_view key, size_t pos, int bytes) {
  uint64_t value = 0;
  for (int i = 0; i < bytes; ++i) value = (value << 8) | static_cast<unsigned char>(key[pos + static_cast<size_t>(i)]);
  return value;
}

}  // namespace

std::string devicePrefix(char tag, std::string_view did) {
  std::string key;
  key.reserve(2 + did.size() + 16);
  key.push_back(tag);
  key.push_back(static_cast<char>(did.size()));
  key.append(did);
  return key;
}

std::string seriesPrefix(std::string_view did, uint32_t siid, uint32_t piid) {
  std::string key = devicePrefix(kSampleTag, did);
  appendU32(key, siid);
  appendU32(key, piid);
  return key;
}

void appendTimestamp(std::string& key, int64_t ts_ms) {
  appendBigEndian(key, static_cast<uint64_t>(ts_ms) ^ kSignBit, 8);
}

void appendU32(std::string& key, uint32_t value) { appendBigEndian(key, value, 4); }

int64_t timestampAt(std::string_view key, size_t pos) {
  return static_cast<int64_t>(bigEndianAt(key, pos, 8) ^ kSignBit);
}

uint32_t u32At(std::string_view key, size_t pos) { return static_cast<uint32_t>(bigEndianAt(key, pos, 4)); }

std::string prefixEnd(std::string_view prefix) {
  std::string end(prefix);
  while (!end.empty() && static_cast<unsigned char>(end.back()) == 0xff) end.pop_back();
  if (!end.empty()) end.back() = static_cast<char>(static_cast<unsigned char>(end.back()) + 1);
  return end;
}

std::string encodeSampleValue(std::string_view value_json, std::optional<double> number) {
  std::string out;
  out.reserve(1 + sizeof(double) + value_json.size());
  out.push_back(number ? '\1' : '\0');
  if (number) {
    char bytes[sizeof(double)];
    std::memcpy(bytes, &*number, sizeof(double));
    out.append(bytes, sizeof(double));
  }
  out.append(value_json);
  return out;
}

bool decodeSampleValue(std::string_view stored, std::optional<double>& number, std::string_view& value_json) {
  if (stored.empty() || (stored[0] != '\0' && stored[0] != '\1')) return false;
  number.reset();
  size_t pos = 1;
  if (stored[0] == '\1') {
    if (stored.size() < 1 + sizeof(double)) return false;
    double value = 0;
    std::memcpy(&value, stored.data() + 1, sizeof(double));
    number = value;
    pos += sizeof(double);
  }
  value_json = stored.substr(pos);
  return true;
}

}  // namespace hearth::store::rocks
