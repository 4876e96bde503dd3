#include "durable/sdk/retry.h"

#include <algorithm>
#include <cmath>
#include <random>

#include "durable/sdk/wait_strategy.h"

namespace durable::sdk {
namespace {

bool Retryable(const RetryOptions& o, const model::ErrorObject& e) {
  if (o.retryable_errors.empty() && !o.should_retry) return true;
  if (o.should_retry && o.should_retry(e)) return true;
  std::string type = e.error_type.value_or("");
  std::string message = e.error_message.value_or("");
  for (const auto& s : o.retryable_errors) {
    if (type.find(s) != std::string::npos || message.find(s) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

double JitterRandom() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(rng);
}

int64_t BackoffDelaySeconds(const RetryOptions& o, int attempt, double unit_random) {
  double base = o.initial_delay_seconds * std::pow(o.backoff_rate, std::max(0, attempt - 1));
  base = std::min(base, o.max_delay_seconds);
  switch (o.jitter) {
    case Jitter::kFull:
      base = base * unit_random;
      break;
    case Jitter::kHalf:
      base = base / 2 + base / 2 * unit_random;
      break;
    case Jitter::kNone:
      break;
  }
  return std::max<int64_t>(1, std::llround(base));
}

RetryStrategy ExponentialBackoff(RetryOptions options) {
  return [o = std::move(options)](const model::ErrorObject& error, int attempt) {
    if (attempt >= o.max_attempts || !Retryable(o, error)) return RetryDecision{false, 0};
    return RetryDecision{true, BackoffDelaySeconds(o, attempt, JitterRandom())};
  };
}

RetryStrategy DefaultRetryStrategy() { return ExponentialBackoff(RetryOptions{}); }

RetryStrategy NoRetry() {
  return [](const model::ErrorObject&, int) { return RetryDecision{false, 0}; };
}

}  // namespace durable::sdk
