// RunDurableInvocation: runs one invocation of a durable handler against the engine behind a
// CheckpointClient — pages the initial state, runs the handler (replaying what is checkpointed),
// flushes checkpoints, and maps the outcome to the invocation output (protocol.md §3):
// returned value -> SUCCEEDED, escaped error -> FAILED, waiting -> PENDING. An error Status means
// an invocation-scoped failure (stale token, 429/5xx while checkpointing): the caller must report
// a function error so the engine re-invokes. Thread-safe; one call per invocation.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "durable/base/clock.h"
#include "durable/base/result.h"
#include "durable/model/api.h"
#include "durable/sdk/checkpoint_client.h"
#include "durable/sdk/context.h"
#include "durable/sdk/logger.h"
#include "durable/sdk/plugin.h"

namespace durable::sdk {

// A durable function: the user event in, the execution result out.
using Handler = std::function<Json(DurableContext& context, const Json& event)>;

struct RunOptions {
  const Clock* clock = SystemClock::Get();
  LogSink log_sink;  // empty = stdout
  std::vector<std::shared_ptr<Plugin>> plugins;
  std::string request_id;
  int checkpoint_retry_backoff_ms = 100;
  // Results longer than this are checkpointed as EXECUTION SUCCEED and returned as "".
  size_t max_result_bytes = 6 * 1024 * 1024 - 50;
};

Result<model::InvocationOutput> RunDurableInvocation(const Handler& handler,
                                                     const model::InvocationInput& input,
                                                     CheckpointClient& client,
                                                     const RunOptions& options = {});
// The same, taking the input's operations over instead of copying them (in-process callers).
Result<model::InvocationOutput> RunDurableInvocation(const Handler& handler,
                                                     model::InvocationInput&& input,
                                                     CheckpointClient& client,
                                                     const RunOptions& options = {});

}  // namespace durable::sdk
