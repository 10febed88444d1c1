// The history store: every reported property value and event, kept as a time series per
// (did, siid, piid) and an event log per device, queried for charts and lists.
//
// The interface is engine-neutral: the embedded engines (embedded_history.h) and a later
// distributed one (PostgreSQL/TimescaleDB, NATS JetStream) sit behind it, so `platform` never
// changes with the engine. Validation against the product spec happens above, in `platform`; the
// store keeps what it is given.
//
// Ownership: implementations own their engine handles and their writer thread; destroying a
// store finishes every append already accepted (its `done` is called) before it returns.
// Thread-safety: every method may be called from any thread, concurrently.
// Errors: Status with kIoError, or kCorruption for data the engine finds damaged; kInvalidArgument
// for a query that cannot be answered as asked (zero points). Never throws on these paths.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "hearth/core/status.h"

namespace hearth::store {

// Device ids are short ("1234567890", "blt.3.abc"); a store may rely on this bound in its keys.
inline constexpr size_t kMaxDidBytes = 255;

// One reported property value. `value_json` is the value as reported, canonical JSON text
// (`true`, `24.5`, `"auto"`): numbers aggregate as themselves, booleans as 0/1; strings and other
// values are stored and listed but never aggregated. One sample per (did, siid, piid, ts_ms): a
// second report in the same millisecond replaces the first.
struct PropertySample {
  std::string did;
  uint32_t siid = 0;
  uint32_t piid = 0;
  int64_t ts_ms = 0;
  std::string value_json;

  friend bool operator==(const PropertySample&, const PropertySample&) = default;
};

// One event as reported, its arguments as canonical JSON text (`[{"piid":1,"value":3}]`). One
// event per (did, ts_ms, siid, eiid): a repeat in the same millisecond replaces the first.
struct EventRecord {
  std::string did;
  uint32_t siid = 0;
  uint32_t eiid = 0;
  int64_t ts_ms = 0;
  std::string arguments_json;

  friend bool operator==(const EventRecord&, const EventRecord&) = default;
};

// One interval of a downsampled series, over the numeric samples in [start_ms, start_ms +
// interval): `last` is the value of the latest of them.
struct Bucket {
  int64_t start_ms = 0;
  double min = 0;
  double max = 0;
  double avg = 0;
  double last = 0;
  uint32_t count = 0;

  friend bool operator==(const Bucket&, const Bucket&) = default;
};

// When append's `done` is called, and what a crash then cannot lose. The broker has its own,
// like-named setting (mqtt::Durability); the platform maps its `durability` option onto both.
enum class HistoryDurability : uint8_t {
  kAsync,   // the engine accepted the batch; a crash of the process may lose the latest batches
  kCommit,  // the engine committed the batch (WAL written): survives a crash of the process
  kFsync,   // the commit is synced to the device: survives a power loss
};

struct HistoryOptions {
  HistoryDurability durability = HistoryDurability::kCommit;
};

class HistoryStore {
 public:
  using Done = std::function<void(core::Status)>;

  virtual ~HistoryStore() = default;

  // Queues samples and events for the writer thread, which writes whatever arrived while its
  // previous batch was being written as one batch (group commit). `done` (may be empty) is called
  // exactly once, on the writer thread, when the batch holding this append is as durable as the
  // store's HistoryDurability says, or with the engine's error; it must be quick (it delays the
  // next batch) and must not destroy the store. An append with an empty did or one longer than
  // kMaxDidBytes is refused whole, at once, on the caller's thread: `done` gets kInvalidArgument.
  // Returns at once.
  virtual void append(std::vector<PropertySample> samples, std::vector<EventRecord> events, Done done) = 0;

  // Samples of one property with from_ms <= ts_ms < to_ms, oldest first, at most `limit`.
  virtual core::Result<std::vector<PropertySample>> range(std::string_view did, uint32_t siid, uint32_t piid,
                                                          int64_t from_ms, int64_t to_ms, size_t limit) = 0;

  // [from_ms, to_ms) cut into intervals of ceil((to_ms - from_ms) / points) ms from from_ms, one
  // Bucket per interval holding numeric samples, oldest first; intervals without any are omitted.
  // kInvalidArgument when points is 0; empty when to_ms <= from_ms.
  virtual core::Result<std::vector<Bucket>> downsample(std::string_view did, uint32_t siid, uint32_t piid,
                                                       int64_t from_ms, int64_t to_ms, uint32_t points) = 0;

  // The shadow: the most recently appended sample of each property of one device, ordered by
  // (siid, piid). It is written in the same batch as the history, so it is exactly as durable,
  // and retention never removes it. "Most recent" is by arrival: the platform's ingest appends
  // the samples of one device in time order.
  virtual core::Result<std::vector<PropertySample>> latest(std::string_view did) = 0;

  // Events of one device with from_ms <= ts_ms < to_ms, oldest first, at most `limit`.
  virtual core::Result<std::vector<EventRecord>> events(std::string_view did, int64_t from_ms, int64_t to_ms,
                                                        size_t limit) = 0;

  // Retention: removes samples and events older than cutoff_ms (ts_ms < cutoff_ms), of every
  // device, or of one device (the platform applies per-product retention device by device).
  // Appends still queued are not affected.
  virtual core::Status deleteBefore(int64_t cutoff_ms) = 0;
  virtual core::Status deleteBefore(std::string_view did, int64_t cutoff_ms) = 0;

  // Everything of one device: samples, events and its shadow (a device unbound from a home
  // starts afresh for its next owner). Appends still queued are not affected.
  virtual core::Status removeDevice(std::string_view did) = 0;
};

}  // namespace hearth::store
