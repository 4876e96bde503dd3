// Retry strategies for steps and wait strategies for WaitForCondition. A strategy is a plain
// function of (error, attempt) so users can write their own; the factories reproduce the AWS
// SDKs' defaults: 6 attempts, 5 s initial delay, 60 s max, x2 backoff, full jitter, delays
// clamped to >= 1 s. Factories and the strategies they return are thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "durable/model/types.h"

namespace durable::sdk {

struct RetryDecision {
  bool should_retry = false;
  int64_t delay_seconds = 1;
};
// `attempt` is the 1-based number of the attempt that just failed.
using RetryStrategy = std::function<RetryDecision(const model::ErrorObject& error, int attempt)>;

enum class Jitter { kNone, kFull, kHalf };

struct RetryOptions {
  int max_attempts = 6;
  double initial_delay_seconds = 5;
  double max_delay_seconds = 60;
  double backoff_rate = 2;
  Jitter jitter = Jitter::kFull;
  // Retry only errors whose ErrorType or ErrorMessage contains one of these (empty = all)...
  std::vector<std::string> retryable_errors;
  // ...or for which this returns true (empty = not used).
  std::function<bool(const model::ErrorObject&)> should_retry{};
};

// Exponential backoff: delay = min(initial * rate^(attempt-1), max), jittered, then rounded and
// clamped to >= 1 s. Gives up once `attempt >= max_attempts`.
RetryStrategy ExponentialBackoff(RetryOptions options = {});
// The default strategy of Step (ExponentialBackoff with the defaults above).
RetryStrategy DefaultRetryStrategy();
// Never retries: the first failure is final.
RetryStrategy NoRetry();

// The delay computation alone (exposed for tests); `unit_random` in [0, 1).
int64_t BackoffDelaySeconds(const RetryOptions& options, int attempt, double unit_random);

// WaitForCondition: after each check, continue polling (after `delay_seconds`) or stop.
struct WaitDecision {
  bool should_continue = false;
  int64_t delay_seconds = 1;
};

}  // namespace durable::sdk
