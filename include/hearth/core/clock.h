// Clock: the one source of "now" for code whose behaviour depends on time (keep-alive, expiry,
// will delay, retention). Production code gets SystemClock; tests inject ManualClock and move
// time forward explicitly, so no test sleeps to wait for a deadline.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace hearth::core {

// Thread-safety: implementations must be safe to call from any thread.
class Clock {
 public:
  using Duration = std::chrono::milliseconds;
  using TimePoint = std::chrono::time_point<std::chrono::steady_clock, Duration>;

  virtual ~Clock() = default;
  // Monotonic time, for deadlines and intervals.
  virtual TimePoint now() const = 0;
  // Wall-clock time in milliseconds since the Unix epoch, for timestamps shown to people.
  virtual int64_t unixMillis() const = 0;
};

class SystemClock final : public Clock {
 public:
  TimePoint now() const override;
  int64_t unixMillis() const override;
  // A process-wide instance; never destroyed.
  static const SystemClock& instance();
};

// Starts at an arbitrary fixed point; only advance() moves it.
class ManualClock final : public Clock {
 public:
  TimePoint now() const override { return TimePoint(Duration(ms_.load())); }
  int64_t unixMillis() const override { return kEpochOffsetMs + ms_.load(); }
  void advance(Duration d) { ms_ += d.count(); }

 private:
  static constexpr int64_t kEpochOffsetMs = 1'700'000'000'000;
  std::atomic<int64_t> ms_{1'000'000};
};

}  // namespace hearth::core
