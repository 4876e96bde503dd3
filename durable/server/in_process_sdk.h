// Runs C++ SDK handlers inside the server process: an sdk::CheckpointClient that calls the engine
// directly (no HTTP, no JSON), and an adapter that turns an sdk::Handler into the in-process
// invoker's handler. The same handler also runs, unchanged, as a Lambda Runtime API process
// (sdk::RunLambdaRuntime). Thread-safe.
#pragma once

#include "durable/engine/engine.h"
#include "durable/host/in_process_invoker.h"
#include "durable/sdk/execution.h"

namespace durable::server {

class EngineCheckpointClient final : public sdk::CheckpointClient {
 public:
  explicit EngineCheckpointClient(engine::Engine& engine) : engine_(engine) {}
  Result<model::CheckpointResponse> Checkpoint(const std::string& arn,
                                               const model::CheckpointRequest& request) override {
    return engine_.Checkpoint(arn, request);
  }
  Result<model::StateResponse> GetState(const std::string& arn,
                                        const model::StateRequest& request) override {
    return engine_.GetState(arn, request);
  }
  // A direct call returns its answer or fails before committing: no answer to remember.
  bool SendsClientTokens() const override { return false; }

 private:
  engine::Engine& engine_;
};

// One invocation of `handler` against `engine`: SUCCEEDED/FAILED/PENDING output, or a function
// error for invocation-scoped failures (the engine then re-invokes).
host::InProcessHandler MakeInProcessHandler(engine::Engine& engine, sdk::Handler handler);

}  // namespace durable::server
