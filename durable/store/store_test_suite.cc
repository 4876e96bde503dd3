#include "durable/store/store_test_suite.h"

#include <algorithm>
#include <set>
#include <thread>

namespace durable::store {

using model::EventType;
using model::ExecutionStatus;
using model::OperationStatus;
using model::OperationType;

std::string StoreBackendName(const ::testing::TestParamInfo<StoreBackend>& info) {
  return info.param.name;
}
void PrintTo(const StoreBackend& backend, std::ostream* os) { *os << backend.name; }

void StoreContractTest::SetUp() {
  store_ = GetParam().open();
  ASSERT_NE(store_, nullptr);
}

namespace {

TEST_P(StoreContractTest, CreateThenLoadReturnsEveryExecutionField) {
  model::DurableExecution e = FullExecution("a", 1000);
  ASSERT_TRUE(store_->Create(FirstCommit(e)).ok());
  Result<ExecutionSnapshot> snap = store_->Load(e.arn);
  ASSERT_TRUE(snap.ok()) << snap.status().ToString();
  EXPECT_EQ(snap->execution, e);
  ASSERT_EQ(snap->operations.size(), 1u);
  EXPECT_EQ(snap->operations[0], FirstCommit(e).operations[0]);
}

TEST_P(StoreContractTest, CreateRejectsDuplicateNameAndArn) {
  model::DurableExecution e = FullExecution("a", 1000);
  ASSERT_TRUE(store_->Create(FirstCommit(e)).ok());
  model::DurableExecution same_name = e;
  same_name.arn = "arn:other";
  EXPECT_EQ(store_->Create(FirstCommit(same_name)).code(), StatusCode::kAlreadyExists);
  model::DurableExecution same_arn = e;
  same_arn.name = "b";
  EXPECT_EQ(store_->Create(FirstCommit(same_arn)).code(), StatusCode::kAlreadyExists);
  // The same name under another function is a different execution.
  model::DurableExecution other_fn = FullExecution("a", 1000, "fn2");
  EXPECT_TRUE(store_->Create(FirstCommit(other_fn)).ok());
}

TEST_P(StoreContractTest, CreateWithoutExecutionRowIsInvalid) {
  Commit c = FirstCommit(FullExecution("a", 1000));
  c.execution.reset();
  EXPECT_EQ(store_->Create(c).code(), StatusCode::kInvalidArgument);
}

TEST_P(StoreContractTest, ApplyRoundTripsEveryOperationTypeInSequenceOrder) {
  model::DurableExecution e = FullExecution("a", 1000);
  ASSERT_TRUE(store_->Create(FirstCommit(e)).ok());
  std::vector<model::OperationRecord> ops = EveryOperationType();
  Commit c;
  c.arn = e.arn;
  c.operations.assign(ops.rbegin(), ops.rend());  // order in the commit does not matter
  ASSERT_TRUE(store_->Apply(c).ok());
  Result<ExecutionSnapshot> snap = store_->Load(e.arn);
  ASSERT_TRUE(snap.ok());
  ASSERT_EQ(snap->operations.size(), ops.size() + 1);
  for (size_t i = 0; i < ops.size(); ++i) EXPECT_EQ(snap->operations[i + 1], ops[i]) << i;
}

TEST_P(StoreContractTest, LoadRaisesTheCountersAboveTheNewestEventAndOperation) {
  model::DurableExecution e = FullExecution("a", 1000);  // counters 2 and 2
  ASSERT_TRUE(store_->Create(FirstCommit(e)).ok());
  model::OperationRecord step = EveryOperationType()[2];
  step.meta.sequence = 40;
  Commit c;
  c.arn = e.arn;
  c.operations.push_back(step);
  c.events = {FullEvent(model::EventType::kStepStarted, 2),
              FullEvent(model::EventType::kStepSucceeded, 3)};
  c.execution = e;  // the counters left behind: a backend may keep or derive them
  ASSERT_TRUE(store_->Apply(c).ok());
  Result<ExecutionSnapshot> snap = store_->Load(e.arn);
  ASSERT_TRUE(snap.ok());
  EXPECT_EQ(snap->execution.next_event_id, 4);
  EXPECT_EQ(snap->execution.next_sequence, 41);
  // The same without the execution row in the commit (the engine leaves it out then).
  step.operation.id = "step-2";
  step.meta.sequence = 41;
  Commit c2;
  c2.arn = e.arn;
  c2.operations.push_back(step);
  c2.events = {FullEvent(model::EventType::kStepStarted, 4)};
  ASSERT_TRUE(store_->Apply(c2).ok());
  snap = store_->Load(e.arn);
  ASSERT_TRUE(snap.ok());
  EXPECT_EQ(snap->execution.next_event_id, 5);
  EXPECT_EQ(snap->execution.next_sequence, 42);
  e.next_event_id = 5;
  e.next_sequence = 42;
  EXPECT_EQ(snap->execution, e);
}

TEST_P(StoreContractTest, ApplyUpsertsOperationsAndTheExecutionRow) {
  model::DurableExecution e = FullExecution("a", 1000);
  ASSERT_TRUE(store_->Create(FirstCommit(e)).ok());
  model::OperationRecord step = EveryOperationType()[2];
  Commit c1;
  c1.arn = e.arn;
  c1.operations.push_back(step);
  ASSERT_TRUE(store_->Apply(c1).ok());
  step.operation.status = OperationStatus::kSucceeded;
  step.operation.step_details->result = "\"second\"";
  step.operation.step_details->error.reset();
  e.status = ExecutionStatus::kSucceeded;
  e.error.reset();
  e.end_timestamp.reset();
  e.next_event_id = 9;
  e.next_sequence = step.meta.sequence + 1;
  Commit c2;
  c2.arn = e.arn;
  c2.execution = e;
  c2.operations.push_back(step);
  ASSERT_TRUE(store_->Apply(c2).ok());
  Result<ExecutionSnapshot> snap = store_->Load(e.arn);
  ASSERT_TRUE(snap.ok());
  EXPECT_EQ(snap->execution, e);
  ASSERT_EQ(snap->operations.size(), 2u);
  EXPECT_EQ(snap->operations[1], step);
}

TEST_P(StoreContractTest, UnknownArnIsNotFound) {
  Commit c;
  c.arn = "arn:missing";
  EXPECT_EQ(store_->Apply(c).code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->Load("arn:missing").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->Events("arn:missing", 0, 0).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->Purge("arn:missing").code(), StatusCode::kNotFound);
  Result<std::optional<model::DurableExecution>> by_name = store_->FindByName("fn", "nope");
  ASSERT_TRUE(by_name.ok());
  EXPECT_FALSE(by_name->has_value());
}

TEST_P(StoreContractTest, FindByNameReturnsTheExecution) {
  model::DurableExecution e = FullExecution("a", 1000);
  ASSERT_TRUE(store_->Create(FirstCommit(e)).ok());
  Result<std::optional<model::DurableExecution>> found = store_->FindByName("fn", "a");
  ASSERT_TRUE(found.ok());
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ(**found, e);
  EXPECT_FALSE(store_->FindByName("fn2", "a")->has_value());
}

TEST_P(StoreContractTest, EventsAreAppendedInOrderAndPaged) {
  model::DurableExecution e = FullExecution("a", 1000);
  ASSERT_TRUE(store_->Create(FirstCommit(e)).ok());
  std::vector<model::Event> all = {FirstCommit(e).events[0]};
  for (int64_t id = 2; id <= 10; id += 3) {
    Commit c;
    c.arn = e.arn;
    for (int64_t k = id; k < id + 3; ++k) {
      c.events.push_back(FullEvent(static_cast<EventType>(k % model::kEventTypeCount), k));
    }
    all.insert(all.end(), c.events.begin(), c.events.end());
    ASSERT_TRUE(store_->Apply(c).ok());
  }
  Result<std::vector<model::Event>> everything = store_->Events(e.arn, 0, 0);
  ASSERT_TRUE(everything.ok());
  EXPECT_EQ(*everything, all);
  Result<std::vector<model::Event>> page = store_->Events(e.arn, 3, 4);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(*page, std::vector<model::Event>(all.begin() + 3, all.begin() + 7));
  EXPECT_TRUE(store_->Events(e.arn, 11, 10)->empty());
}

TEST_P(StoreContractTest, ApplyIsAtomicWhenAnEventIdRepeats) {
  model::DurableExecution e = FullExecution("a", 1000);
  ASSERT_TRUE(store_->Create(FirstCommit(e)).ok());
  Commit bad;
  bad.arn = e.arn;
  bad.operations = EveryOperationType();
  bad.events.push_back(FullEvent(EventType::kStepStarted, 2));
  bad.events.push_back(FullEvent(EventType::kStepStarted, 1));  // already stored
  bad.timers_set.push_back({{e.arn, TimerKind::kWaitEnd, "wait"}, 5});
  EXPECT_EQ(store_->Apply(bad).code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(store_->Load(e.arn)->operations.size(), 1u);
  EXPECT_EQ(store_->Events(e.arn, 0, 0)->size(), 1u);
  EXPECT_FALSE(store_->NextDueAt()->has_value());
}

TEST_P(StoreContractTest, CommitWithTimerOfAnotherExecutionIsInvalid) {
  model::DurableExecution e = FullExecution("a", 1000);
  Commit c = FirstCommit(e);
  c.timers_set.push_back({{"arn:other", TimerKind::kInvoke, ""}, 5});
  EXPECT_EQ(store_->Create(c).code(), StatusCode::kInvalidArgument);
}

// The engine finds a callback by its id through the execution's operations (the id carries the
// arn): a callback operation of the first commit reads back with its callback id.
TEST_P(StoreContractTest, ACallbackOperationReadsBackWithItsCallbackId) {
  model::DurableExecution e = FullExecution("a", 1000);
  Commit c = FirstCommit(e);
  c.operations.push_back(EveryOperationType()[4]);
  ASSERT_TRUE(store_->Create(c).ok());
  Result<ExecutionSnapshot> snap = store_->Load(e.arn);
  ASSERT_TRUE(snap.ok()) << snap.status().ToString();
  EXPECT_EQ(CallbacksOf(*snap),
            (std::vector<std::pair<std::string, std::string>>{{"cb-id-1", "cb"}}));
}

TEST_P(StoreContractTest, FindReplayReturnsTheRememberedAnswer) {
  model::DurableExecution e = FullExecution("a", 1000);
  ASSERT_TRUE(store_->Create(FirstCommit(e)).ok());
  Commit c;
  c.arn = e.arn;
  c.replay = CheckpointReplay{"client-1", "token-1", "hash", std::string("{\"x\":\0}", 8)};
  ASSERT_TRUE(store_->Apply(c).ok());
  Result<std::optional<CheckpointReplay>> found = store_->FindReplay(e.arn, "client-1", "token-1");
  ASSERT_TRUE(found.ok());
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ(**found, *c.replay);
  EXPECT_FALSE(store_->FindReplay(e.arn, "client-1", "token-2")->has_value());
  EXPECT_FALSE(store_->FindReplay(e.arn, "client-2", "token-1")->has_value());
  EXPECT_FALSE(store_->FindReplay("arn:other", "client-1", "token-1")->has_value());
  c.replay->response_body = "second";
  ASSERT_TRUE(store_->Apply(c).ok());
  EXPECT_EQ(store_->FindReplay(e.arn, "client-1", "token-1")->value().response_body, "second");
}

TEST_P(StoreContractTest, RunningExecutionsListsOnlyRunning) {
  model::DurableExecution a = FullExecution("a", 1000);
  model::DurableExecution b = FullExecution("b", 1000);
  b.status = ExecutionStatus::kFailed;
  model::DurableExecution c = FullExecution("c", 1000);
  for (const auto& e : {a, b, c}) ASSERT_TRUE(store_->Create(FirstCommit(e)).ok());
  Result<std::vector<std::string>> running = store_->RunningExecutions();
  ASSERT_TRUE(running.ok());
  std::vector<std::string> got = *running;
  std::sort(got.begin(), got.end());
  EXPECT_EQ(got, (std::vector<std::string>{a.arn, c.arn}));
}

TEST_P(StoreContractTest, PurgeDeletesEverythingOfTheExecution) {
  model::DurableExecution e = FullExecution("a", 1000);
  model::DurableExecution keep = FullExecution("k", 1000);
  Commit c = FirstCommit(e);
  c.operations.push_back(EveryOperationType()[4]);
  c.timers_set.push_back({{e.arn, TimerKind::kWaitEnd, "w"}, 50});
  c.replay = CheckpointReplay{"c", "t", "h", "body"};
  ASSERT_TRUE(store_->Create(c).ok());
  Commit k = FirstCommit(keep);
  k.timers_set.push_back({{keep.arn, TimerKind::kInvoke, ""}, 70});
  ASSERT_TRUE(store_->Create(k).ok());

  ASSERT_TRUE(store_->Purge(e.arn).ok());
  EXPECT_EQ(store_->Load(e.arn).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->Events(e.arn, 0, 0).status().code(), StatusCode::kNotFound);
  EXPECT_FALSE(store_->FindByName("fn", "a")->has_value());
  EXPECT_FALSE(store_->FindReplay(e.arn, "c", "t")->has_value());
  EXPECT_EQ(store_->NextDueAt()->value_or(-1), 70);
  EXPECT_TRUE(store_->Load(keep.arn).ok());
  // The name is free again, and the new execution starts with no leftovers.
  ASSERT_TRUE(store_->Create(FirstCommit(e)).ok());
  EXPECT_EQ(store_->Load(e.arn)->operations.size(), 1u);
  EXPECT_EQ(store_->Events(e.arn, 0, 0)->size(), 1u);
}

TEST_P(StoreContractTest, LargePayloadsRoundTrip) {
  const std::string big(5 * 1024 * 1024, 'x');
  model::DurableExecution e = FullExecution("a", 1000);
  e.input_payload = big;
  Commit c = FirstCommit(e);
  c.operations[0].operation.execution_details->input_payload = big;
  c.events[0].input = model::EventPayload{big, false};
  ASSERT_TRUE(store_->Create(c).ok());
  Result<ExecutionSnapshot> snap = store_->Load(e.arn);
  ASSERT_TRUE(snap.ok());
  EXPECT_EQ(snap->execution.input_payload->size(), big.size());
  EXPECT_EQ(snap->operations[0], c.operations[0]);
  EXPECT_EQ(store_->Events(e.arn, 0, 0)->at(0), c.events[0]);
}

TEST_P(StoreContractTest, ConcurrentAppliesToDifferentExecutions) {
  constexpr int kThreads = 4;
  constexpr int kCommits = 25;
  std::vector<model::DurableExecution> executions;
  for (int t = 0; t < kThreads; ++t) {
    executions.push_back(FullExecution("e" + std::to_string(t), 1000));
    ASSERT_TRUE(store_->Create(FirstCommit(executions.back())).ok());
  }
  std::vector<std::thread> threads;
  std::vector<int> failures(kThreads, 0);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kCommits; ++i) {
        Commit c;
        c.arn = executions[t].arn;
        c.events.push_back(FullEvent(EventType::kStepStarted, i + 2));
        model::OperationRecord op = EveryOperationType()[2];
        op.operation.id = "step-" + std::to_string(i);
        op.meta.sequence = i + 2;
        c.operations.push_back(op);
        if (!store_->Apply(c).ok()) ++failures[t];
      }
    });
  }
  for (std::thread& th : threads) th.join();
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ(failures[t], 0);
    EXPECT_EQ(store_->Events(executions[t].arn, 0, 0)->size(), size_t{kCommits} + 1);
    EXPECT_EQ(store_->Load(executions[t].arn)->operations.size(), size_t{kCommits} + 1);
  }
}

}  // namespace
}  // namespace durable::store
