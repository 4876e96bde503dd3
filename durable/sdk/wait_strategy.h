// Wait strategies for WaitForCondition: keep polling while `should_continue(state)` holds, with
// exponential (or fixed, backoff_rate = 1) jittered delays, and fail once `max_attempts` checks
// ran. Defaults follow the AWS SDKs (60 attempts, 5 s initial, 300 s max, x1.5, full jitter).
// The returned functions are thread-safe.
#pragma once

#include <functional>
#include <string>

#include "durable/sdk/errors.h"
#include "durable/sdk/retry.h"

namespace durable::sdk {

struct WaitStrategyOptions {
  int max_attempts = 60;
  double initial_delay_seconds = 5;
  double max_delay_seconds = 300;
  double backoff_rate = 1.5;
  Jitter jitter = Jitter::kFull;
};

// Random number in [0, 1) for jitter (thread-local generator).
double JitterRandom();

template <typename S>
std::function<WaitDecision(const S&, int)> CreateWaitStrategy(
    std::function<bool(const S& state)> should_continue, WaitStrategyOptions options = {}) {
  return [should_continue, options](const S& state, int attempt) {
    if (!should_continue(state)) return WaitDecision{false, 0};
    if (attempt >= options.max_attempts) {
      throw UserError("WaitForConditionError", "waitForCondition exceeded maximum attempts (" +
                                                   std::to_string(options.max_attempts) + ")");
    }
    RetryOptions r;
    r.initial_delay_seconds = options.initial_delay_seconds;
    r.max_delay_seconds = options.max_delay_seconds;
    r.backoff_rate = options.backoff_rate;
    r.jitter = options.jitter;
    return WaitDecision{true, BackoffDelaySeconds(r, attempt, JitterRandom())};
  };
}

// Polls every `delay_seconds` while `should_continue(state)`, at most `max_attempts` checks.
template <typename S>
std::function<WaitDecision(const S&, int)> FixedWaitStrategy(
    std::function<bool(const S& state)> should_continue, int64_t delay_seconds,
    int max_attempts = 60) {
  WaitStrategyOptions o;
  o.max_attempts = max_attempts;
  o.initial_delay_seconds = static_cast<double>(delay_seconds);
  o.max_delay_seconds = static_cast<double>(delay_seconds);
  o.backoff_rate = 1;
  o.jitter = Jitter::kNone;
  return CreateWaitStrategy<S>(std::move(should_continue), o);
}

}  // namespace durable::sdk
