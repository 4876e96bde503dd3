#include "durable/store/memory_store.h"

#include <gtest/gtest.h>

#include "durable/store/store_test_suite.h"

namespace durable::store {
namespace {

Commit MinimalCommit(const std::string& arn, const std::string& name) {
  Commit c;
  c.arn = arn;
  model::DurableExecution e;
  e.arn = arn;
  e.name = name;
  e.execution_id = name;
  e.function_name = "fn";
  e.start_timestamp = 1000;
  c.execution = e;
  model::OperationRecord op;
  op.operation.id = name;
  op.operation.type = model::OperationType::kExecution;
  op.meta.sequence = 1;
  c.operations.push_back(op);
  model::Event ev;
  ev.event_id = 1;
  c.events.push_back(ev);
  return c;
}

INSTANTIATE_TEST_SUITE_P(Memory, StoreContractTest,
                         ::testing::Values(StoreBackend{
                             "Memory", [] { return std::make_unique<MemoryStore>(); }}),
                         StoreBackendName);

TEST(MemoryStoreTest, CreateThenLoadReturnsTheFirstCommit) {
  MemoryStore store;
  ASSERT_TRUE(store.Create(MinimalCommit("arn:1", "a")).ok());
  auto snap = store.Load("arn:1");
  ASSERT_TRUE(snap.ok());
  EXPECT_EQ(snap->execution.name, "a");
  ASSERT_EQ(snap->operations.size(), 1u);
  EXPECT_EQ(snap->operations[0].operation.id, "a");
}

TEST(MemoryStoreTest, RejectsDuplicateName) {
  MemoryStore store;
  ASSERT_TRUE(store.Create(MinimalCommit("arn:1", "a")).ok());
  EXPECT_EQ(store.Create(MinimalCommit("arn:2", "a")).code(), StatusCode::kAlreadyExists);
}

TEST(MemoryStoreTest, ApplyToUnknownArnIsNotFound) {
  MemoryStore store;
  Commit c;
  c.arn = "arn:missing";
  EXPECT_EQ(store.Apply(c).code(), StatusCode::kNotFound);
}

TEST(MemoryStoreTest, ClaimedTimerIsNotClaimedAgainUntilLeaseExpires) {
  MemoryStore store;
  Commit c = MinimalCommit("arn:1", "a");
  c.timers_set.push_back({{"arn:1", TimerKind::kWaitEnd, "w"}, 500});
  ASSERT_TRUE(store.Create(c).ok());
  auto first = store.ClaimDueTimers(1000, "node-a", 100, 10);
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->size(), 1u);
  EXPECT_EQ((*first)[0].lease_until, 1100);
  EXPECT_TRUE(store.ClaimDueTimers(1050, "node-b", 100, 10)->empty());
  EXPECT_EQ(store.ClaimDueTimers(1100, "node-b", 100, 10)->size(), 1u);
}

}  // namespace
}  // namespace durable::store
