#include <gtest/gtest.h>

#include <functional>
#include <vector>

#include "durable/model/execution.h"
#include "durable/model/types.h"

namespace durable::model {
namespace {

TEST(TypesTest, EveryEventTypeRoundTripsThroughItsWireName) {
  for (int i = 0; i < kEventTypeCount; ++i) {
    auto t = static_cast<EventType>(i);
    auto parsed = ParseEventType(ToString(t));
    ASSERT_TRUE(parsed.has_value()) << ToString(t);
    EXPECT_EQ(*parsed, t);
  }
  EXPECT_FALSE(ParseEventType("StepRetried").has_value());
}

TEST(TypesTest, EnumsUseTheWireSpelling) {
  EXPECT_EQ(ToString(OperationType::kChainedInvoke), "CHAINED_INVOKE");
  EXPECT_EQ(ToString(OperationStatus::kTimedOut), "TIMED_OUT");
  EXPECT_EQ(ToString(ExecutionStatus::kStopped), "STOPPED");
  EXPECT_EQ(ParseOperationAction("RETRY"), OperationAction::kRetry);
  EXPECT_FALSE(ParseOperationAction("retry").has_value());
}

TEST(ExecutionTest, EqualExceptCountersIgnoresOnlyTheCounters) {
  DurableExecution base;
  base.arn = "arn";
  base.name = "n";
  base.input_payload = "{}";
  DurableExecution moved = base;
  moved.next_event_id += 5;
  moved.next_sequence += 3;
  EXPECT_TRUE(EqualExceptCounters(base, moved));
  EXPECT_TRUE(EqualExceptCounters(moved, base));
  // Every other field counts.
  std::vector<std::function<void(DurableExecution&)>> changes = {
      [](auto& e) { e.arn += "x"; },
      [](auto& e) { e.name += "x"; },
      [](auto& e) { e.execution_id = "x"; },
      [](auto& e) { e.function_name = "x"; },
      [](auto& e) { e.function_arn = "x"; },
      [](auto& e) { e.version = "1"; },
      [](auto& e) { e.status = ExecutionStatus::kFailed; },
      [](auto& e) { e.start_timestamp = 7; },
      [](auto& e) { e.end_timestamp = 7; },
      [](auto& e) { e.input_payload.reset(); },
      [](auto& e) { e.result = "r"; },
      [](auto& e) { e.error = ErrorObject{"t", {}, {}, {}}; },
      [](auto& e) { e.config.execution_timeout_seconds = 1; },
      [](auto& e) { e.config.retention_period_in_days = 1; },
      [](auto& e) { e.tenant_id = "t"; },
      [](auto& e) { e.trace_header = "t"; },
      [](auto& e) { e.parent_arn = "p"; },
      [](auto& e) { e.parent_operation_id = "p"; },
      [](auto& e) { e.failed_invocations = 1; },
      [](auto& e) { e.invoke_at = 1; },
      [](auto& e) { e.retain_until = 1; },
  };
  for (size_t i = 0; i < changes.size(); ++i) {
    DurableExecution other = moved;
    changes[i](other);
    EXPECT_FALSE(EqualExceptCounters(base, other)) << "change " << i;
    EXPECT_NE(base, other) << "change " << i;
  }
}

TEST(TypesTest, TerminalStatuses) {
  EXPECT_FALSE(IsTerminal(OperationStatus::kPending));
  EXPECT_FALSE(IsTerminal(OperationStatus::kReady));
  EXPECT_TRUE(IsTerminal(OperationStatus::kCancelled));
  EXPECT_TRUE(IsTerminal(ExecutionStatus::kTimedOut));
}

}  // namespace
}  // namespace durable::model
