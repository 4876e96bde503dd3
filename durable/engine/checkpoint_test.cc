// The pure core without a shell: every validation message of protocol.md §6.4 (the whole batch
// is rejected), and the Transition a batch produces. No store, no clock, no threads.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "durable/engine/core.h"
#include "durable/engine/engine_test_util.h"
#include "durable/engine/names.h"

namespace durable::engine::testing {
namespace {

using model::OperationAction;
using model::OperationType;

constexpr TimestampMs kNow = 1'700'000'000'000;

ExecutionState NewState() {
  model::DurableExecution ex;
  ex.arn = "arn:aws:lambda:us-east-1:123456789012:function:fn:$LATEST/durable-execution/n/e1";
  ex.execution_id = "e1";
  Transition t;
  return NewExecution(ex, kNow, t);
}

CoreContext Context() {
  CoreContext ctx;
  ctx.now = kNow;
  ctx.new_callback_id = [](const std::string&) { return std::string("cb-id"); };
  ctx.new_execution_id = [] { return std::string("child-id"); };
  ctx.resolve = [](const std::string& name,
                   const std::optional<std::string>&) -> Result<ResolvedFunction> {
    if (name != "child") return NotFound("Function not found: " + name);
    return ResolvedFunction{"child", "$LATEST", "arn"};
  };
  return ctx;
}

// Applies `setup` (must succeed), then returns the message `batch` is rejected with ("" if OK).
std::string Reject(std::vector<model::OperationUpdate> batch,
                   std::vector<model::OperationUpdate> setup = {}) {
  ExecutionState s = NewState();
  Transition t0;
  Status st = ApplyCheckpointBatch(s, setup, Context(), t0);
  EXPECT_TRUE(st.ok()) << st.ToString();
  Transition t;
  st = ApplyCheckpointBatch(s, batch, Context(), t);
  if (!st.ok()) EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  return st.message();
}

model::OperationUpdate With(model::OperationUpdate u, OperationAction action) {
  u.action = action;
  return u;
}

TEST(CheckpointValidationTest, BatchLevelRules) {
  auto exec = ExecutionUpdate(OperationAction::kSucceed, "1");
  EXPECT_EQ(Reject({exec, exec}), "Cannot checkpoint multiple EXECUTION updates.");
  EXPECT_EQ(Reject({exec, StepStart("s1")}), "EXECUTION checkpoint must be the last update.");
  EXPECT_EQ(Reject({StepStart("")}), "Operation update must have an Id.");
  EXPECT_EQ(Reject({StepStart("s1"), StepStart("s1")}),
            "Cannot update the same operation twice in a single request.");
  EXPECT_EQ(Reject({StepStart("s1"), StepSucceed("s1", "1"), StepFail("s1", Err("a", "b"))}),
            "Cannot update the same operation twice in a single request.");
  EXPECT_EQ(Reject({WaitStart("w1", 1), With(WaitStart("w1", 1), OperationAction::kCancel)}),
            "Cannot update the same operation twice in a single request.");
  EXPECT_EQ(Reject({StepStart("s1"), StepSucceed("s1", "1")}), "");
}

TEST(CheckpointValidationTest, ParentAndConsistencyRules) {
  EXPECT_EQ(Reject({WithParent(StepStart("s1"), "nope")}), "Invalid parent operation id.");
  EXPECT_EQ(Reject({WithParent(StepStart("s2"), "s1")}, {StepStart("s1")}),
            "Invalid parent operation id.");
  EXPECT_EQ(Reject({ContextStart("c1", "RunInChildContext"), WithParent(StepStart("s1"), "c1")}),
            "");
  EXPECT_EQ(Reject({WaitStart("s1", 1)}, {StepStart("s1")}), "Inconsistent operation type.");
  EXPECT_EQ(Reject({StepStart("s1", "", "WaitForCondition")},
                   {StepStart("s1"), StepRetry("s1", Err("e", "m"), std::nullopt, 1)}),
            "Inconsistent operation subtype.");
  auto renamed = StepSucceed("s1", "1");
  renamed.name = "other";
  EXPECT_EQ(Reject({renamed}, {StepStart("s1", "first")}), "Inconsistent operation name.");
  EXPECT_EQ(Reject({WithParent(StepSucceed("s1", "1"), "c2")},
                   {ContextStart("c1", "RunInChildContext"),
                    ContextStart("c2", "RunInChildContext"), WithParent(StepStart("s1"), "c1")}),
            "Inconsistent parent operation id.");
  model::ErrorObject huge = Err("E", std::string(40'000, 'x'));
  EXPECT_EQ(Reject({StepStart("s1"), StepFail("s1", huge)}),
            "Error object size must be less than 32768 bytes.");
}

TEST(CheckpointValidationTest, ExecutionActions) {
  EXPECT_EQ(Reject({ExecutionUpdate(OperationAction::kStart, std::nullopt)}),
            "Invalid action for the given operation type.");
  EXPECT_EQ(Reject({ExecutionUpdate(OperationAction::kSucceed, "1", Err("a", "b"))}),
            "Cannot provide an Error for SUCCEED action.");
  EXPECT_EQ(Reject({ExecutionUpdate(OperationAction::kFail, "1", Err("a", "b"))}),
            "Cannot provide a Payload for FAIL action.");
}

TEST(CheckpointValidationTest, StepStateMachine) {
  std::vector<model::OperationUpdate> done = {StepStart("s1"), StepSucceed("s1", "1")};
  EXPECT_EQ(Reject({StepStart("s1")}, {StepStart("s1")}), "Invalid current STEP state to start.");
  EXPECT_EQ(Reject({StepSucceed("s1", "2")}, done), "Invalid current STEP state to close.");
  EXPECT_EQ(Reject({StepRetry("s1", Err("a", "b"), std::nullopt, 1)}, done),
            "Invalid current STEP state to re-attempt.");
  EXPECT_EQ(Reject({StepRetry("s1", Err("a", "b"), std::nullopt, 0)}),
            "Invalid StepOptions for the given action.");
  auto no_options = StepRetry("s1", Err("a", "b"), std::nullopt, 1);
  no_options.step_options.reset();
  EXPECT_EQ(Reject({no_options}), "Invalid StepOptions for the given action.");
  EXPECT_EQ(Reject({StepRetry("s1", Err("a", "b"), "1", 1)}),
            "Cannot provide both error and payload to RETRY a STEP.");
  auto fail_with_payload = StepFail("s1", Err("a", "b"));
  fail_with_payload.payload = "1";
  EXPECT_EQ(Reject({fail_with_payload}), "Cannot provide a Payload for FAIL action.");
  auto succeed_with_error = StepSucceed("s1", "1");
  succeed_with_error.error = Err("a", "b");
  EXPECT_EQ(Reject({succeed_with_error}), "Cannot provide an Error for SUCCEED action.");
  EXPECT_EQ(Reject({With(StepStart("s1"), OperationAction::kCancel)}),
            "Invalid action for the given operation type.");
  // A retried step is PENDING; START is legal only once the engine made it READY.
  EXPECT_EQ(Reject({StepStart("s1")}, {StepStart("s1"), StepRetry("s1", std::nullopt, "1", 1)}),
            "Invalid current STEP state to start.");
}

TEST(CheckpointValidationTest, ContextWaitCallbackAndInvokeRules) {
  auto ctx = ContextStart("c1", "RunInChildContext");
  EXPECT_EQ(Reject({ctx}, {ctx}), "Cannot start a CONTEXT that already exists.");
  EXPECT_EQ(Reject({ContextSucceed("c1", "1")}, {ctx, ContextSucceed("c1", "1")}),
            "Invalid current CONTEXT state to close.");
  EXPECT_EQ(Reject({With(ctx, OperationAction::kRetry)}),
            "Invalid action for the given operation type.");
  EXPECT_EQ(Reject({WaitStart("w1", 1)}, {WaitStart("w1", 1)}),
            "Cannot start a WAIT that already exists.");
  auto no_wait_options = WaitStart("w1", 1);
  no_wait_options.wait_options.reset();
  EXPECT_EQ(Reject({no_wait_options}), "Update for WAIT operation requires WaitOptions.");
  EXPECT_EQ(Reject({With(WaitStart("w1", 1), OperationAction::kCancel)}),
            "Cannot cancel a WAIT that does not exist or has already completed.");
  EXPECT_EQ(Reject({With(WaitStart("w1", 1), OperationAction::kSucceed)}),
            "Invalid action for the given operation type.");
  EXPECT_EQ(Reject({CallbackStart("cb")}, {CallbackStart("cb")}),
            "Cannot start a CALLBACK that already exists.");
  EXPECT_EQ(Reject({With(CallbackStart("cb"), OperationAction::kSucceed)}),
            "Invalid action for the given operation type.");
  auto invoke = InvokeStart("i1", "child", "1");
  EXPECT_EQ(Reject({invoke}, {invoke}), "Cannot start a CHAINED_INVOKE that already exists.");
  EXPECT_EQ(Reject({With(invoke, OperationAction::kCancel)}),
            "Cannot cancel a CHAINED_INVOKE that does not exist or has already completed.");
  auto no_target = invoke;
  no_target.chained_invoke_options.reset();
  EXPECT_EQ(Reject({no_target}),
            "Update for CHAINED_INVOKE operation requires ChainedInvokeOptions.");
}

TEST(CheckpointCoreTest, BatchProducesRecordsEventsAndTimersAsData) {
  ExecutionState s = NewState();
  Transition t;
  ASSERT_TRUE(
      ApplyCheckpointBatch(
          s, {WaitStart("w1", 3), CallbackStart("cb", 10, 0), InvokeStart("i1", "child", "{}")},
          Context(), t)
          .ok());
  EXPECT_THAT(t.response_ids, ::testing::ElementsAre("w1", "cb", "i1"));
  ASSERT_EQ(t.events.size(), 3u);
  EXPECT_EQ(t.events[0].event_id, 2);
  EXPECT_EQ(t.events[2].durable_execution_arn,
            "arn:aws:lambda:us-east-1:123456789012:function:child:$LATEST/durable-execution/" +
                ChildExecutionName("e1", "i1") + "/child-id");
  ASSERT_EQ(t.timers_set.size(), 2u);
  EXPECT_EQ(t.timers_set[0].key.kind, store::TimerKind::kWaitEnd);
  EXPECT_EQ(t.timers_set[0].due_at, kNow + 3000);
  EXPECT_EQ(t.timers_set[1].key.kind, store::TimerKind::kCallbackTimeout);
  ASSERT_EQ(t.chained_starts.size(), 1u);
  EXPECT_EQ(t.chained_starts[0].request.parent_operation_id, "i1");
  EXPECT_EQ(s.Find("cb")->operation.callback_details->callback_id, "cb-id");
}

TEST(NamesTest, TokensMarkersAndCallbackIdsRoundTrip) {
  auto token = MakeCheckpointToken({"e1", "inv", 7});
  for (char c : token) {
    EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/' || c == '=');
  }
  auto parts = ParseCheckpointToken(token);
  ASSERT_TRUE(parts.has_value());
  EXPECT_EQ(parts->invocation_id, "inv");
  EXPECT_EQ(parts->sequence, 7);
  EXPECT_FALSE(ParseCheckpointToken("garbage").has_value());
  EXPECT_EQ(ParseMarker(MakeMarker("scope", 12), "scope"), 12);
  EXPECT_FALSE(ParseMarker(MakeMarker("scope", 12), "other").has_value());
  std::string a = NewCallbackId("arn:x"), b = NewCallbackId("arn:x");
  EXPECT_NE(a, b);
  EXPECT_EQ(ArnOfCallbackId(a), "arn:x");
  EXPECT_EQ(ChildExecutionName("p", "op"), ChildExecutionName("p", "op"));
  EXPECT_NE(ChildExecutionName("p", "op"), ChildExecutionName("p", "op2"));
  EXPECT_TRUE(ValidExecutionName(ChildExecutionName("p", "op")));
}

// A reload keeps the store's order when it is already by sequence (no sort then) and still
// restores that order, with a matching index, when it is not.
TEST(FromSnapshot, OrdersBySequenceAndIndexesIds) {
  auto rec = [](const std::string& id, int64_t seq) {
    model::OperationRecord r;
    r.operation.id = id;
    r.meta.sequence = seq;
    return r;
  };
  for (bool shuffled : {false, true}) {
    store::ExecutionSnapshot snap;
    snap.execution.arn = "arn";
    if (shuffled) {
      snap.operations = {rec("c", 3), rec("a", 1), rec("b", 2)};
    } else {
      snap.operations = {rec("a", 1), rec("b", 2), rec("c", 3)};
    }
    ExecutionState s = ExecutionState::FromSnapshot(std::move(snap));
    ASSERT_EQ(s.operations.size(), 3u);
    EXPECT_EQ(s.operations[0].operation.id, "a");
    EXPECT_EQ(s.operations[1].operation.id, "b");
    EXPECT_EQ(s.operations[2].operation.id, "c");
    for (const std::string id : {"a", "b", "c"}) {
      ASSERT_NE(s.Find(id), nullptr) << id;
      EXPECT_EQ(s.Find(id)->operation.id, id);
    }
    EXPECT_EQ(s.Find("d"), nullptr);
  }
}

TEST(BuildCommitTest, CountersAloneLeaveTheExecutionRowOut) {
  ExecutionState s = NewState();
  CoreContext ctx = Context();
  {
    // A step's checkpoint moves only the counters of the execution row.
    ChangeGuard guard(s);
    Transition t;
    ASSERT_TRUE(ApplyCheckpointBatch(s, {StepStart("a"), StepSucceed("a", "1")}, ctx, t).ok());
    store::Commit c = BuildCommit(s, t);
    EXPECT_FALSE(c.execution.has_value());
    EXPECT_EQ(c.operations.size(), 1u);
    EXPECT_FALSE(c.events.empty());
    guard.Commit();
  }
  {
    ChangeGuard guard(s);
    Transition t;
    s.execution.invoke_at = kNow + 5;
    store::Commit c = BuildCommit(s, t);
    ASSERT_TRUE(c.execution.has_value());
    EXPECT_EQ(*c.execution, s.execution);
  }
  // Not journaling (a new execution): the row always goes along.
  Transition t;
  EXPECT_TRUE(BuildCommit(NewState(), t).execution.has_value());
}

// The undo journal is kept between changes: a rolled-back change restores the records, the index
// and the execution row, and one change's journal never leaks into the next.
TEST(ChangeGuardTest, RollbackRestoresEverythingAndTheJournalIsReused) {
  ExecutionState s = NewState();
  CoreContext ctx = Context();
  {
    ChangeGuard guard(s);
    Transition t;
    ASSERT_TRUE(ApplyCheckpointBatch(s, {StepStart("a")}, ctx, t).ok());
    guard.Commit();
  }
  const std::vector<model::OperationRecord> ops_before = s.operations;
  const model::DurableExecution row_before = s.execution;
  for (int round = 0; round < 2; ++round) {
    ChangeGuard guard(s);  // never committed: rolled back
    Transition t;
    ASSERT_TRUE(ApplyCheckpointBatch(s, {StepSucceed("a", "1"), StepStart("b"), StepStart("c")},
                                     ctx, t)
                    .ok());
    s.execution.invoke_at = kNow + 5;
    EXPECT_NE(s.Find("c"), nullptr);
  }
  EXPECT_EQ(s.operations, ops_before);
  EXPECT_EQ(s.execution, row_before);
  EXPECT_EQ(s.index.size(), s.operations.size());
  EXPECT_EQ(s.Find("b"), nullptr);
  EXPECT_EQ(s.Find("c"), nullptr);
  ASSERT_NE(s.Find("a"), nullptr);
  EXPECT_EQ(s.Find("a")->operation.status, model::OperationStatus::kStarted);
  {
    // A kept change after the rollbacks: only its own changes, and the counters alone again.
    ChangeGuard guard(s);
    Transition t;
    ASSERT_TRUE(ApplyCheckpointBatch(s, {StepStart("b")}, ctx, t).ok());
    EXPECT_FALSE(s.ExecutionRowChanged());
    guard.Commit();
  }
  ASSERT_NE(s.Find("b"), nullptr);
  EXPECT_EQ(s.Find("b")->meta.sequence, s.operations.back().meta.sequence);
  EXPECT_EQ(s.index.size(), s.operations.size());
  {
    ChangeGuard guard(s);  // rolled back: "b" stays, being from a kept change
  }
  ASSERT_NE(s.Find("b"), nullptr);
}

TEST(FireDueOperationsTest, SkipsWhatCannotFallDueButNotWhatChangedSince) {
  ExecutionState s = NewState();
  CoreContext ctx = Context();
  auto apply = [&](std::vector<model::OperationUpdate> batch) {
    ChangeGuard guard(s);
    Transition t;
    Status st = ApplyCheckpointBatch(s, std::move(batch), ctx, t);
    ASSERT_TRUE(st.ok()) << st.ToString();
    guard.Commit();
  };
  auto fire = [&](TimestampMs now) {
    ChangeGuard guard(s);
    Transition t;
    FireDueOperations(s, now, t);
    guard.Commit();
    return t.changed_ids;
  };
  apply({StepStart("a"), StepSucceed("a", "1"), StepStart("b")});
  EXPECT_TRUE(fire(kNow).empty());
  EXPECT_EQ(s.due_scan_from, 3u) << "the EXECUTION record, a and b cannot fall due";
  // b, before the scan start, is retried: it can fall due again and does.
  apply({StepRetry("b", std::nullopt, std::nullopt, 5)});
  apply({WaitStart("w", 10)});
  EXPECT_TRUE(fire(kNow + 1'000).empty());
  EXPECT_EQ(fire(kNow + 5'000), std::vector<std::string>{"b"});
  EXPECT_EQ(s.Find("b")->operation.status, model::OperationStatus::kReady);
  // A rolled-back change restores the scan start with the records.
  {
    ChangeGuard guard(s);
    Transition t;
    FireDueOperations(s, kNow + 10'000, t);
    EXPECT_EQ(t.changed_ids, std::vector<std::string>{"w"});
  }
  EXPECT_EQ(s.Find("w")->operation.status, model::OperationStatus::kStarted);
  EXPECT_EQ(fire(kNow + 10'000), std::vector<std::string>{"w"});
  EXPECT_EQ(s.Find("w")->operation.status, model::OperationStatus::kSucceeded);
}

}  // namespace
}  // namespace durable::engine::testing
