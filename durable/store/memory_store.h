// MemoryStore: the in-memory twin of Store, for tests and for running without a database. It keeps
// exactly the semantics of SqliteStore (the shared store test suite runs against both) but nothing
// survives the process. Thread-safe: one mutex guards all state.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <tuple>
#include <utility>

#include "durable/store/store.h"

namespace durable::store {

class MemoryStore final : public Store {
 public:
  MemoryStore() = default;
  MemoryStore(const MemoryStore&) = delete;
  MemoryStore& operator=(const MemoryStore&) = delete;

  Status Create(const Commit& first) override;
  Status Apply(const Commit& commit) override;
  Result<ExecutionSnapshot> Load(const std::string& arn) override;
  Result<std::optional<model::DurableExecution>> FindByName(const std::string& function_name,
                                                            const std::string& name) override;
  Result<std::vector<model::Event>> Events(const std::string& arn, int64_t after_event_id,
                                           int32_t limit) override;
  Result<model::ListResponse> List(const model::ListRequest& request) override;
  Result<std::optional<CheckpointReplay>> FindReplay(const std::string& arn,
                                                     const std::string& client_token,
                                                     const std::string& checkpoint_token) override;
  Result<std::vector<std::string>> RunningExecutions() override;
  Result<std::vector<ClaimedTimer>> ClaimDueTimers(TimestampMs now, const std::string& owner,
                                                   int64_t lease_ms, int32_t limit) override;
  Result<std::optional<TimestampMs>> NextDueAt() override;
  Status Purge(const std::string& arn) override;

 private:
  using TimerId = std::tuple<std::string, int, std::string>;  // (arn, kind, operation id)
  using ReplayId = std::pair<std::string, std::string>;       // (client token, checkpoint token)
  struct TimerRow {
    TimestampMs due_at = 0;
    std::string lease_owner;
    std::optional<TimestampMs> lease_until;
  };
  struct ExecutionState {
    model::DurableExecution execution;
    std::map<std::string, model::OperationRecord> operations;  // by operation id
    std::map<int64_t, model::Event> events;                    // by event id
    std::map<ReplayId, CheckpointReplay> replays;
  };

  // REQUIRES: mu_ held. Checks that `commit` can be applied to `state` without partial effects.
  Status Validate(const Commit& commit, const ExecutionState& state) const;
  // REQUIRES: mu_ held, Validate() returned OK.
  void ApplyLocked(const Commit& commit, ExecutionState& state);
  void EraseTimersLocked(const std::string& arn);

  std::mutex mu_;
  std::map<std::string, ExecutionState> executions_;                    // by arn
  std::map<std::pair<std::string, std::string>, std::string> by_name_;  // (function, name) -> arn
  std::map<TimerId, TimerRow> timers_;
};

}  // namespace durable::store
