// Test harness for SDK tests: a FakeClock, a MemoryCheckpointClient playing the engine, captured
// log lines, and helpers that run a handler invocation by invocation. Test-only.
#pragma once

#include <gtest/gtest.h>

#include <mutex>
#include <string>
#include <vector>

#include "durable/sdk/execution.h"
#include "durable/sdk/memory_checkpoint_client.h"

namespace durable::sdk::testing {

class Harness {
 public:
  Harness() : client(&clock) {
    options.clock = &clock;
    options.checkpoint_retry_backoff_ms = 0;
    options.log_sink = [this](const std::string& line) {
      std::lock_guard<std::mutex> lock(mu_);
      logs.push_back(line);
    };
  }

  model::InvocationOutput Invoke(const Handler& handler, const model::InvocationInput& input) {
    ++invocations;
    auto out = RunDurableInvocation(handler, input, client, options);
    EXPECT_TRUE(out.ok()) << out.status().ToString();
    return out.ok() ? *out : model::InvocationOutput{};
  }
  model::InvocationOutput Start(const Handler& handler, const std::string& input = "{}") {
    return Invoke(handler, client.Start(input));
  }
  model::InvocationOutput Next(const Handler& handler) {
    return Invoke(handler, client.NextInvocation());
  }
  // Starts, then re-invokes while PENDING, advancing the clock by `step_ms` and firing due
  // timers before each re-invocation.
  model::InvocationOutput RunToEnd(const Handler& handler, const std::string& input = "{}",
                                   int max_invocations = 20, int64_t step_ms = 60'000) {
    auto out = Start(handler, input);
    while (out.status == model::InvocationStatus::kPending && invocations < max_invocations) {
      clock.AdvanceMs(step_ms);
      client.FireTimers();
      out = Next(handler);
    }
    return out;
  }
  std::vector<model::OperationUpdate> AllUpdates() const {
    std::vector<model::OperationUpdate> out;
    for (const auto& r : client.requests())
      out.insert(out.end(), r.updates.begin(), r.updates.end());
    return out;
  }

  FakeClock clock;
  MemoryCheckpointClient client;
  RunOptions options;
  std::vector<std::string> logs;
  int invocations = 0;

 private:
  std::mutex mu_;
};

inline Json Parse(const std::optional<std::string>& s) {
  return s && !s->empty() ? Json::parse(*s) : Json();
}

}  // namespace durable::sdk::testing
