// Clock port: every read of the time goes through it, so tests can use FakeClock.
// SystemClock and FakeClock are thread-safe.
#pragma once

#include <atomic>
#include <cstdint>

namespace durable {

// Milliseconds since the Unix epoch. The whole engine works in this unit; the wire converts.
using TimestampMs = int64_t;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimestampMs NowMs() const = 0;
};

class SystemClock final : public Clock {
 public:
  TimestampMs NowMs() const override;
  static SystemClock* Get();
};

class FakeClock final : public Clock {
 public:
  explicit FakeClock(TimestampMs start = 1'760'000'000'000) : now_(start) {}
  TimestampMs NowMs() const override { return now_.load(); }
  void AdvanceMs(int64_t ms) { now_ += ms; }
  void SetMs(TimestampMs t) { now_ = t; }

 private:
  std::atomic<TimestampMs> now_;
};

}  // namespace durable
