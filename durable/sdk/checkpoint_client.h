// The SDK's port to the engine: CheckpointDurableExecution and GetDurableExecutionState
// (protocol.md §6, §7). Implementations: HttpCheckpointClient (AWS REST, function processes),
// MemoryCheckpointClient (tests) and server::EngineCheckpointClient (in-process). Errors are
// Statuses classified as the SDKs do (protocol.md §2.1): kInvalidToken ("Invalid Checkpoint
// Token"), kUnavailable (429), kInternal (5xx, network) are invocation-scoped and retried by the
// engine; any other code is a non-retryable execution error. Implementations must be thread-safe.
#pragma once

#include <string>

#include "durable/base/result.h"
#include "durable/model/api.h"

namespace durable::sdk {

class CheckpointClient {
 public:
  virtual ~CheckpointClient() = default;
  virtual Result<model::CheckpointResponse> Checkpoint(const std::string& durable_execution_arn,
                                                       const model::CheckpointRequest& request) = 0;
  virtual Result<model::StateResponse> GetState(const std::string& durable_execution_arn,
                                                const model::StateRequest& request) = 0;
  // Whether checkpoints carry a ClientToken, so that a request whose answer was lost on the way
  // can be sent again and get the same answer (the service remembers the latest one). A client
  // that cannot lose an answer (an in-process call) says false: nothing is remembered for it.
  virtual bool SendsClientTokens() const { return true; }
};

// True for the statuses that must end the invocation with a function error (engine re-invokes)
// rather than failing the execution.
bool IsInvocationScoped(const Status& status);

}  // namespace durable::sdk
