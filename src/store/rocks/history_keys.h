// The RocksDB history engine's key and value layout.
//
//   sample key: 'S' | u8 did length | did | be32 siid | be32 piid | be64 ts
//   event key:  'E' | u8 did length | did | be64 ts | be32 siid | be32 eiid
//   sample value: u8 1 | f64 (host order) | value JSON   (aggregated)
//              or u8 0 | value JSON                      (listed only)
//   event value: arguments JSON
//
// ts is written with its sign bit flipped, so bytewise order is numeric order and one property's
// samples (one device's events) are one contiguous, time-ordered key range: range, downsample and
// events are bounded scans, and retention is one DeleteRange per series.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hearth::store::rocks {

inline constexpr char kSampleTag = 'S';
inline constexpr char kEventTag = 'E';

// 'S' | did | siid | piid: every sample of one property starts with it.
std::string seriesPrefix(std::string_view did, uint32_t siid, uint32_t piid);
// 'S' | did, or 'E' | did: every sample, or every event, of one device.
std::string devicePrefix(char tag, std::string_view did);

// Appends the order-preserving encodings to `key`.
void appendTimestamp(std::string& key, int64_t ts_ms);
void appendU32(std::string& key, uint32_t value);

// Reads back what the appenders wrote, at `pos` of `key`.
int64_t timestampAt(std::string_view key, size_t pos);
uint32_t u32At(std::string_view key, size_t pos);

// The smallest key greater than every key starting with `prefix` (prefixes here never consist
// of 0xff bytes only, since they start with a tag).
std::string prefixEnd(std::string_view prefix);

std::string encodeSampleValue(std::string_view value_json, std::optional<double> number);
// Splits a stored sample value; false for a value this layout cannot have produced.
bool decodeSampleValue(std::string_view stored, std::optional<double>& number, std::string_view& value_json);

}  // namespace hearth::store::rocks
