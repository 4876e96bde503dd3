#include <gtest/gtest.h>

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

TEST(TypesTest, TerminalStatuses) {
  EXPECT_FALSE(IsTerminal(OperationStatus::kPending));
  EXPECT_FALSE(IsTerminal(OperationStatus::kReady));
  EXPECT_TRUE(IsTerminal(OperationStatus::kCancelled));
  EXPECT_TRUE(IsTerminal(ExecutionStatus::kTimedOut));
}

}  // namespace
}  // namespace durable::model
