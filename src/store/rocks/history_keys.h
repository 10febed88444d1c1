// The RocksDB history engine's key and value layout.
//
//   sample chunk key: 'S' | u8 did length | did | be32 siid | be32 piid | be64 hour
//   sample chunk:     records, each i64 ts | u32 n | u8 numeric | [f64 number] | n bytes of JSON
//                     (host byte order), appended by the merge operator as samples arrive
//   event key:        'E' | u8 did length | did | be64 ts | be32 siid | be32 eiid
//   event value:      arguments JSON
//   latest key:       'L' | u8 did length | did | be32 siid | be32 piid   (the shadow)
//   latest value:     be64 ts | JSON
//
// hour is floor(ts / 1 h) and ts is written with its sign bit flipped, so bytewise order is time
// order: one property's samples (one device's events) are one contiguous key range, and queries
// are bounded forward scans. Samples are chunked by hour (as time-series databases do) so that a
// year of one property is 8,760 values rather than 525,600 keys: appending is a Merge (no read),
// scanning skips the per-key overhead, and retention drops whole hours with one DeleteRange.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hearth::store::rocks {

inline constexpr char kSampleTag = 'S';
inline constexpr char kEventTag = 'E';
inline constexpr char kLatestTag = 'L';
inline constexpr int64_t kChunkMs = 3'600'000;

// floor(ts_ms / kChunkMs): the chunk a sample belongs to.
int64_t chunkOf(int64_t ts_ms);

// 'S' | did | siid | piid: every chunk of one property starts with it.
std::string seriesPrefix(std::string_view did, uint32_t siid, uint32_t piid);
// 'S' | did, or 'E' | did: every chunk, or every event, of one device.
std::string devicePrefix(char tag, std::string_view did);

// Appends the order-preserving encodings to `key` (timestamps and chunk numbers are i64).
void appendI64(std::string& key, int64_t value);
void appendU32(std::string& key, uint32_t value);

// Reads back what the appenders wrote, at `pos` of `key`.
int64_t i64At(std::string_view key, size_t pos);
uint32_t u32At(std::string_view key, size_t pos);

// The smallest key greater than every key starting with `prefix` (prefixes here never consist
// of 0xff bytes only, since they start with a tag).
std::string prefixEnd(std::string_view prefix);

struct ChunkRecord {
  int64_t ts_ms = 0;
  std::optional<double> number;  // the value aggregates as this (history::numericValue)
  std::string_view value_json;   // points into the chunk
};

void appendChunkRecord(std::string& chunk, int64_t ts_ms, std::optional<double> number, std::string_view value_json);

// The chunk's samples in time order, one per ts (the one appended last: a later report in the
// same millisecond replaces the earlier). False for bytes this layout cannot have produced.
bool decodeChunk(std::string_view chunk, std::vector<ChunkRecord>& records);

}  // namespace hearth::store::rocks
