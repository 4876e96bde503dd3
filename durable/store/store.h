// Store: the engine's persistence port. Every engine state change is one `Commit`, applied
// atomically and durable when Apply returns OK (a checkpoint is acknowledged only after that).
// Implementations: MemoryStore (tests, in-memory twin), SqliteStore (default), later PostgreSQL.
// Due work (timers, wanted invocations) is *claimed* with a lease so that several server nodes
// can share one database. All methods are thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "durable/base/result.h"
#include "durable/model/api.h"
#include "durable/model/event.h"
#include "durable/model/execution.h"
#include "durable/model/operation.h"

namespace durable::store {

// Kinds of due work. The engine arms one timer per (execution, kind, operation id).
enum class TimerKind {
  kWaitEnd = 0,           // WAIT ScheduledEndTimestamp
  kStepRetry = 1,         // STEP NextAttemptTimestamp (PENDING -> READY)
  kCallbackTimeout = 2,   // CALLBACK absolute timeout
  kCallbackHeartbeat = 3, // CALLBACK heartbeat deadline
  kExecutionTimeout = 4,  // execution timeout (operation_id empty)
  kInvoke = 5,            // an invocation is wanted (operation_id empty); re-invoke / retry backoff
  kRetention = 6,         // purge a closed execution (operation_id empty)
};

struct TimerKey {
  std::string arn;
  TimerKind kind = TimerKind::kWaitEnd;
  std::string operation_id;  // "" for execution-level timers
  bool operator==(const TimerKey&) const = default;
};

struct Timer {
  TimerKey key;
  TimestampMs due_at = 0;
  bool operator==(const Timer&) const = default;
};

// Cached answer to a checkpoint, for idempotent replay of (ClientToken, CheckpointToken).
struct CheckpointReplay {
  std::string client_token;
  std::string checkpoint_token;
  std::string request_hash;   // replay only when the body is identical
  std::string response_body;  // serialized response, returned byte-for-byte
  bool operator==(const CheckpointReplay&) const = default;
};

// One atomic state change of one execution.
struct Commit {
  std::string arn;
  std::optional<model::DurableExecution> execution;  // upsert of the execution row
  std::vector<model::OperationRecord> operations;    // upserts (by operation id)
  std::vector<model::Event> events;                  // appends; event ids already assigned
  std::vector<Timer> timers_set;                     // upsert by key (re-arming moves due_at)
  std::vector<TimerKey> timers_cleared;
  bool clear_all_timers = false;                     // on close: drop every timer of `arn` first
  std::optional<CheckpointReplay> replay;            // remembered checkpoint answer
};

// Everything the engine needs to rebuild one execution in memory.
struct ExecutionSnapshot {
  model::DurableExecution execution;
  std::vector<model::OperationRecord> operations;  // ordered by meta.sequence
};

struct ClaimedTimer {
  Timer timer;
  TimestampMs lease_until = 0;
};

class Store {
 public:
  virtual ~Store() = default;

  // Creates a new execution with its first commit (EXECUTION op, ExecutionStarted, timers).
  // kAlreadyExists if an execution with the same (function_name, name) exists.
  virtual Status Create(const Commit& first) = 0;
  // Applies one commit atomically; durable when it returns OK. kNotFound for an unknown arn.
  virtual Status Apply(const Commit& commit) = 0;

  // kNotFound. The execution's next_event_id and next_sequence come back at least one above its
  // newest event id and operation sequence: a backend need not write a commit that changes
  // nothing of the execution but those counters.
  virtual Result<ExecutionSnapshot> Load(const std::string& arn) = 0;
  virtual Result<std::optional<model::DurableExecution>> FindByName(
      const std::string& function_name, const std::string& name) = 0;
  // Events with event_id in (after_event_id, ...], ascending, at most `limit` (0 = all).
  virtual Result<std::vector<model::Event>> Events(const std::string& arn, int64_t after_event_id,
                                                   int32_t limit) = 0;
  // Executions of a function matching the request's filters; paging by opaque marker.
  // StartedAfter/StartedBefore are inclusive; an empty function_name lists every function.
  virtual Result<model::ListResponse> List(const model::ListRequest& request) = 0;
  virtual Result<std::optional<CheckpointReplay>> FindReplay(const std::string& arn,
                                                             const std::string& client_token,
                                                             const std::string& checkpoint_token) = 0;
  // Arns of all RUNNING executions (start-up recovery).
  virtual Result<std::vector<std::string>> RunningExecutions() = 0;
  // Timers with due_at <= now that are unleased or whose lease expired, at most `limit`, leased
  // to `owner` until now + lease_ms. A claimed timer stays until cleared (or re-armed). `now` is
  // the claim's time, not necessarily the clock's: the engine claims a little ahead (and holds
  // the timers until due), so a lease ending within that window counts as ended.
  virtual Result<std::vector<ClaimedTimer>> ClaimDueTimers(TimestampMs now, const std::string& owner,
                                                           int64_t lease_ms, int32_t limit) = 0;
  // The earliest due_at of any timer (to sleep until then), if any.
  // A leased timer counts from max(due_at, lease_until): it cannot be claimed before that.
  virtual Result<std::optional<TimestampMs>> NextDueAt() = 0;
  // Deletes an execution and everything that belongs to it (retention purge).
  // kNotFound for an unknown arn.
  virtual Status Purge(const std::string& arn) = 0;
};

}  // namespace durable::store
