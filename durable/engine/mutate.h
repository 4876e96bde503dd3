// EngineImpl::Mutate: the one pattern every engine-side change follows (lock the execution, run
// the pure core on the state under its undo journal, schedule an invocation if asked, commit, then
// run the effects; a transition decided by the clock alone starts its invocation before the
// commit). Internal to the engine. Thread-safe.
#pragma once

#include "durable/base/macros.h"
#include "durable/engine/engine_impl.h"

namespace durable::engine {

template <typename Fn>
Status EngineImpl::Mutate(const std::string& arn, Fn&& fn) {
  Effects fx;
  {
    DURABLE_ASSIGN_OR_RETURN(LockedLive live, LockLive(arn));
    if (live->purged) return NotFound("Durable execution not found: " + arn);
    // In place under the undo journal: an error or an empty transition rolls back.
    ExecutionState& scratch = live->state;
    ChangeGuard guard(scratch);
    Transition t;
    DURABLE_RETURN_IF_ERROR(fn(*live, scratch, t));
    if (t.request_invocation) ScheduleInvocation(*live, scratch, t, 0, fx);
    if (t.Empty() && !fx.pending_inflight) return Status::Ok();
    if (t.invoke_before_commit) Dispatch(arn, fx, /*before_commit=*/true);
    DURABLE_RETURN_IF_ERROR(CommitLocked(*live, scratch, t, fx));
    guard.Commit();
  }
  RunEffects(std::move(fx));
  return Status::Ok();
}

}  // namespace durable::engine
