#include "store/rocks/history_keys.h"

#include <algorithm>
#include <cstring>

namespace hearth::store::rocks {
namespace {

constexpr uint64_t kSignBit = uint64_t{1} << 63;
constexpr size_t kRecordHeader = sizeof(int64_t) + sizeof(uint32_t) + 1;

void appendBigEndian(std::string& key, uint64_t value, int bytes) {
  for (int shift = (bytes - 1) * 8; shift >= 0; shift -= 8) key.push_back(static_cast<char>((value >> shift) & 0xff));
}

uint64_t bigEndianAt(std::string_view key, size_t pos, int bytes) {
  uint64_t value = 0;
  for (int i = 0; i < bytes; ++i) value = (value << 8) | static_cast<unsigned char>(key[pos + static_cast<size_t>(i)]);
  return value;
}

template <class T>
void appendRaw(std::string& out, T value) {
  char bytes[sizeof(T)];
  std::memcpy(bytes, &value, sizeof(T));
  out.append(bytes, sizeof(T));
}

template <class T>
T rawAt(std::string_view in, size_t pos) {
  T value;
  std::memcpy(&value, in.data() + pos, sizeof(T));
  return value;
}

}  // namespace

int64_t chunkOf(int64_t ts_ms) {
  int64_t chunk = ts_ms / kChunkMs;
  return ts_ms % kChunkMs < 0 ? chunk - 1 : chunk;
}

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

void appendI64(std::string& key, int64_t value) { appendBigEndian(key, static_cast<uint64_t>(value) ^ kSignBit, 8); }

void appendU32(std::string& key, uint32_t value) { appendBigEndian(key, value, 4); }

int64_t i64At(std::string_view key, size_t pos) { return static_cast<int64_t>(bigEndianAt(key, pos, 8) ^ kSignBit); }

uint32_t u32At(std::string_view key, size_t pos) { return static_cast<uint32_t>(bigEndianAt(key, pos, 4)); }

std::string prefixEnd(std::string_view prefix) {
  std::string end(prefix);
  while (!end.empty() && static_cast<unsigned char>(end.back()) == 0xff) end.pop_back();
  if (!end.empty()) end.back() = static_cast<char>(static_cast<unsigned char>(end.back()) + 1);
  return end;
}

void appendChunkRecord(std::string& chunk, int64_t ts_ms, std::optional<double> number, std::string_view value_json) {
  appendRaw(chunk, ts_ms);
  appendRaw(chunk, static_cast<uint32_t>(value_json.size()));
  chunk.push_back(number ? '\1' : '\0');
  if (number) appendRaw(chunk, *number);
  chunk.append(value_json);
}

bool decodeChunk(std::string_view chunk, std::vector<ChunkRecord>& records) {
  records.clear();
  bool ordered = true;
  size_t pos = 0;
  while (pos < chunk.size()) {
    if (chunk.size() - pos < kRecordHeader) return false;
    ChunkRecord record;
    record.ts_ms = rawAt<int64_t>(chunk, pos);
    const uint32_t size = rawAt<uint32_t>(chunk, pos + sizeof(int64_t));
    const char numeric = chunk[pos + sizeof(int64_t) + sizeof(uint32_t)];
    pos += kRecordHeader;
    if (numeric != '\0' && numeric != '\1') return false;
    if (numeric == '\1') {
      if (chunk.size() - pos < sizeof(double)) return false;
      record.number = rawAt<double>(chunk, pos);
      pos += sizeof(double);
    }
    if (chunk.size() - pos < size) return false;
    record.value_json = chunk.substr(pos, size);
    pos += size;
    if (!records.empty() && records.back().ts_ms >= record.ts_ms) ordered = false;
    records.push_back(record);
  }
  // Samples usually arrive in time order; late or repeated reports need sorting, and of equal
  // timestamps the last appended (last after a stable sort) wins.
  if (!ordered) {
    std::stable_sort(records.begin(), records.end(),
                     [](const ChunkRecord& a, const ChunkRecord& b) { return a.ts_ms < b.ts_ms; });
    auto keep = records.begin();
    for (auto it = records.begin(); it != records.end(); ++it) {
      if (std::next(it) != records.end() && std::next(it)->ts_ms == it->ts_ms) continue;
      *keep++ = *it;
    }
    records.erase(keep, records.end());
  }
  return true;
}

}  // namespace hearth::store::rocks
