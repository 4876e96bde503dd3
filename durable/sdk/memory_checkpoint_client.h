// MemoryCheckpointClient: an in-memory twin of the engine for ONE execution, for SDK tests.
// It validates tokens (single slot, "Invalid Checkpoint Token"), replays duplicate requests by
// (ClientToken, CheckpointToken), applies updates as protocol.md §6.3 describes, assigns callback
// ids, prunes children of completed contexts from the envelope, keeps every accepted request, and
// lets a test play the engine's part (fire timers, complete callbacks and chained invokes, inject
// faults). Thread-safe: every member takes one mutex.
#pragma once

#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "durable/base/clock.h"
#include "durable/sdk/checkpoint_client.h"

namespace durable::sdk {

class MemoryCheckpointClient final : public CheckpointClient {
 public:
  static constexpr const char* kDefaultArn =
      "arn:aws:lambda:us-east-1:123456789012:function:test:$LATEST/durable-execution/test-run/"
      "0b7c1a6e-2b8e-4c55-9a1e-2b6f0c3b9d11";

  explicit MemoryCheckpointClient(const Clock* clock = SystemClock::Get());

  // Creates the EXECUTION operation and returns the first invocation's envelope.
  // `input_payload` absent => no InputPayload (the SDK then uses {}).
  model::InvocationInput Start(std::optional<std::string> input_payload,
                               std::string arn = kDefaultArn);
  // Envelope of the next invocation: fresh token, pruned state, UpdatedOperationIds. When
  // SetEnvelopePageSize was called the rest is left to GetState paging.
  model::InvocationInput NextInvocation();
  void SetEnvelopePageSize(size_t n);

  // --- the engine's part ---
  // WAIT STARTED with ScheduledEndTimestamp <= now -> SUCCEEDED; STEP PENDING with
  // NextAttemptTimestamp <= now -> READY. `ignore_time` fires all of them. Returns how many fired.
  int FireTimers(bool ignore_time = false);
  Status SucceedCallback(const std::string& callback_id, std::optional<std::string> result);
  Status FailCallback(const std::string& callback_id, model::ErrorObject error);
  Status TimeOutCallback(const std::string& callback_id, std::string error_type);
  Status FinishChainedInvoke(const std::string& operation_id, model::OperationStatus status,
                             std::optional<std::string> result,
                             std::optional<model::ErrorObject> error);
  // The next Checkpoint call fails with `status` (and applies nothing).
  void FailNextCheckpoint(Status status);

  // --- inspection ---
  std::vector<model::CheckpointRequest> requests() const;  // accepted requests, in order
  std::vector<model::Operation> operations() const;        // start order, unpruned
  std::optional<model::Operation> operation(const std::string& id) const;
  std::optional<model::Operation> FindByName(const std::string& name) const;
  // Set by an EXECUTION SUCCEED / FAIL update.
  std::optional<std::string> checkpointed_result() const;
  std::optional<model::ErrorObject> checkpointed_error() const;
  bool execution_closed() const;
  int state_calls() const;

  // --- CheckpointClient ---
  Result<model::CheckpointResponse> Checkpoint(const std::string& durable_execution_arn,
                                               const model::CheckpointRequest& request) override;
  Result<model::StateResponse> GetState(const std::string& durable_execution_arn,
                                        const model::StateRequest& request) override;

 private:
  Status CheckToken(const std::string& arn, const std::string& token) const;
  Status Validate(const model::OperationUpdate& u) const;
  void Apply(const model::OperationUpdate& u);
  model::Operation* Find(const std::string& id);
  const model::Operation* Find(const std::string& id) const;
  model::Operation* FindCallback(const std::string& callback_id);
  void Touch(const std::string& id, bool async);
  std::vector<model::Operation> PrunedOperations() const;
  std::string NewToken();

  const Clock* clock_;
  mutable std::mutex mu_;
  std::string arn_;
  std::vector<model::Operation> ops_;  // start order
  std::string token_;
  int token_seq_ = 0;
  int callback_seq_ = 0;
  size_t page_size_ = 0;  // 0 = everything in the envelope
  int state_calls_ = 0;
  std::set<std::string> delta_;            // changed since the last checkpoint response
  std::set<std::string> updated_between_;  // changed by the engine since the last invocation
  std::vector<model::CheckpointRequest> requests_;
  std::optional<std::pair<std::string, std::string>> last_tokens_;  // (client, checkpoint)
  std::optional<model::CheckpointResponse> last_response_;
  std::deque<Status> injected_failures_;
  bool closed_ = false;
  std::optional<std::string> result_;
  std::optional<model::ErrorObject> error_;
};

}  // namespace durable::sdk
