// The pure core's vocabulary: the in-memory state of one execution (ExecutionState), what a
// change produces (Transition: records, events, timers, effects as data) and the ports the core
// may consult (CoreContext). Nothing here does I/O or reads a clock. Thread-compatible.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "durable/base/result.h"
#include "durable/engine/engine.h"
#include "durable/model/api.h"
#include "durable/store/store.h"

namespace durable::engine {

// Changes are made in place under an undo journal (BeginChange / Rollback / EndChange) instead of
// on a copy, so a change costs what it touches, not the size of the execution: every mutable
// accessor (non-const Find, At, ExecutionOp, Add) saves the record's old value first. Code that
// changes a record must reach it through one of them, never through `operations` directly.
struct ExecutionState {
  model::DurableExecution execution;
  std::vector<model::OperationRecord> operations;  // by meta.sequence; [0] is the EXECUTION op
  std::unordered_map<std::string, size_t> index;   // operation id -> position
  // The records before this position could not fall due when FireDueOperations last looked, and
  // none was reached through a mutable accessor since (so none can now): its scan starts here.
  size_t due_scan_from = 0;

  static ExecutionState FromSnapshot(store::ExecutionSnapshot snapshot);
  const model::OperationRecord* Find(const std::string& id) const;
  model::OperationRecord* Find(const std::string& id);  // journaled
  model::OperationRecord& At(size_t i);                 // journaled
  // Appends a new operation record, assigning its start sequence.
  model::OperationRecord& Add(model::OperationRecord record);
  // Appends an empty record with id `id` and its start sequence, built in place (the caller fills
  // it in): no record is moved into the vector. `id` must not refer into this state.
  model::OperationRecord& AddNew(const std::string& id);
  model::OperationRecord& ExecutionOp() { return At(0); }
  const model::OperationRecord& ExecutionOp() const { return operations.front(); }

  // Starts journaling (the execution row is saved whole). REQUIRES: no change in progress.
  void BeginChange();
  // Undoes everything since BeginChange and stops journaling.
  void Rollback();
  // Keeps the changes and stops journaling.
  void EndChange();
  bool Changing() const { return changing_; }
  // During a change: whether the execution row changed in more than its counters (next event id,
  // next sequence) since BeginChange. True when not journaling (nothing to compare with).
  bool ExecutionRowChanged() const;
  bool Running() const { return execution.status == model::ExecutionStatus::kRunning; }
  // An EXECUTION SUCCEED/FAIL checkpoint was applied; the terminal event follows the invocation.
  bool Closing() const;
  // RUNNING and not closing: the function may still change it.
  bool Open() const { return Running() && !Closing(); }

 private:
  struct Undo {
    model::DurableExecution execution;
    size_t op_count = 0;
    size_t due_scan_from = 0;
    std::vector<std::pair<size_t, model::OperationRecord>> saved;  // old values, first save wins
    // Per record added: its position (its id is read from it at rollback, not copied here) and
    // what the index held for that id before.
    std::vector<std::pair<size_t, std::optional<size_t>>> index_prev;
  };
  void Save(size_t i);
  // Kept between changes (cleared, not destroyed), so that saving the execution row copies into
  // strings that already have their capacity: a change allocates only for what it touches.
  Undo undo_;
  bool changing_ = false;
};

// Rolls back the change of `state` on destruction unless Commit() was called. REQUIRES: the
// state's lock is held for the guard's whole life.
class ChangeGuard {
 public:
  explicit ChangeGuard(ExecutionState& state) : state_(state) { state_.BeginChange(); }
  ~ChangeGuard() {
    if (state_.Changing()) state_.Rollback();
  }
  ChangeGuard(const ChangeGuard&) = delete;
  ChangeGuard& operator=(const ChangeGuard&) = delete;
  void Commit() { state_.EndChange(); }

 private:
  ExecutionState& state_;
};

// A resolved function reference (protocol.md §12.1).
struct ResolvedFunction {
  std::string name;          // registered name
  std::string version;       // always "$LATEST"
  std::string function_arn;  // qualified with the version
};

// A chained invoke to start after the commit (protocol.md §12.5).
struct ChainedStart {
  std::string operation_id;
  std::string child_execution_id;
  model::StartRequest request;
};

// What one change of one execution produces. The shell commits it as one store::Commit and then
// carries out the effects.
struct Transition {
  std::vector<std::string> changed_ids;        // records to persist (first-change order)
  std::vector<std::string> response_ids;       // ops touched by the function's own updates
  std::vector<std::string> async_changed_ids;  // ops changed by the engine (UpdatedOperationIds)
  std::vector<model::Event> events;
  std::vector<store::Timer> timers_set;
  std::vector<store::TimerKey> timers_cleared;
  bool clear_all_timers = false;
  // Effects.
  bool request_invocation = false;
  bool closed = false;  // the execution reached a terminal status in this transition
  // The invocation this transition starts may begin before its commit is durable, because what
  // the transition decided follows from the clock alone (waits ended, step retries fell due):
  // if the commit fails or the process dies first, the timer fires again and decides the same,
  // so the invocation saw nothing a later one could contradict. (Its checkpoints and its end
  // wait for the execution's lock, which the commit holds, so they still come after it.)
  bool invoke_before_commit = false;
  std::vector<ChainedStart> chained_starts;
  std::vector<std::string> children_to_stop;

  void Touch(const std::string& id);
  void TouchForResponse(const std::string& id);
  void MarkAsync(const std::string& id);
  void SetTimer(store::Timer timer);
  void ClearTimer(store::TimerKey key);
  bool Empty() const;
};

// Ports and settings the pure core may consult.
struct CoreContext {
  TimestampMs now = 0;
  Limits limits;
  std::string region = "us-east-1";
  std::string account_id = "123456789012";
  std::function<std::string(const std::string& arn)> new_callback_id;
  std::function<std::string()> new_execution_id;
  std::function<Result<ResolvedFunction>(const std::string& function_name,
                                         const std::optional<std::string>& qualifier)>
      resolve;
};

// Builds the store commit for `transition` applied to `state` (records of changed ops, the
// execution row, events, timers). The events and the cleared timers are moved into the commit
// (nothing after it needs them); the rest of `transition` stays for the effects.
store::Commit BuildCommit(const ExecutionState& state, Transition& transition);

}  // namespace durable::engine
