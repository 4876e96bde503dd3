#include <gtest/gtest.h>

#include "durable/wire/wire.h"
#include "durable/wire/wire_test_util.h"

namespace durable::wire {
namespace {

using model::InvocationInput;
using model::InvocationOutput;
using model::InvocationStatus;
using model::Operation;
using testing::ExpectJsonEq;
using testing::kT0;

constexpr const char* kArn =
    "arn:aws:lambda:us-east-1:123456789012:function:orders:3/durable-execution/order-42/exec-1";

InvocationInput SampleInput() {
  InvocationInput in;
  in.durable_execution_arn = kArn;
  in.checkpoint_token = "dG9rZW4=";
  Operation exec;
  exec.id = "exec-1";
  exec.type = model::OperationType::kExecution;
  exec.status = model::OperationStatus::kStarted;
  exec.start_timestamp = kT0;
  exec.execution_details = model::ExecutionDetails{R"({"orderId":42})"};
  Operation wait;
  wait.id = "c81e728d9d4c2f63";
  wait.type = model::OperationType::kWait;
  wait.sub_type = "Wait";
  wait.status = model::OperationStatus::kSucceeded;
  wait.start_timestamp = kT0 + 74;
  wait.end_timestamp = kT0 + 30074;
  wait.wait_details = model::WaitDetails{kT0 + 30074};
  in.initial_execution_state.operations = {exec, wait};
  in.initial_execution_state.next_marker = "";
  in.updated_operation_ids = std::vector<std::string>{"c81e728d9d4c2f63"};
  return in;
}

void ExpectInputEq(const InvocationInput& a, const InvocationInput& b) {
  EXPECT_EQ(a.durable_execution_arn, b.durable_execution_arn);
  EXPECT_EQ(a.checkpoint_token, b.checkpoint_token);
  EXPECT_EQ(a.initial_execution_state.operations, b.initial_execution_state.operations);
  EXPECT_EQ(a.initial_execution_state.next_marker, b.initial_execution_state.next_marker);
  EXPECT_EQ(a.updated_operation_ids, b.updated_operation_ids);
}

TEST(EnvelopeTest, InputGoldenUsesEpochMilliseconds) {
  InvocationInput in = SampleInput();
  std::string json = SerializeInvocationInput(in);
  ExpectJsonEq(json, R"({"DurableExecutionArn":
      "arn:aws:lambda:us-east-1:123456789012:function:orders:3/durable-execution/order-42/exec-1",
      "CheckpointToken":"dG9rZW4=","InitialExecutionState":{"Operations":[
        {"Id":"exec-1","Type":"EXECUTION","StartTimestamp":1769481309631,"Status":"STARTED",
         "ExecutionDetails":{"InputPayload":"{\"orderId\":42}"}},
        {"Id":"c81e728d9d4c2f63","Type":"WAIT","SubType":"Wait","StartTimestamp":1769481309705,
         "EndTimestamp":1769481339705,"Status":"SUCCEEDED",
         "WaitDetails":{"ScheduledEndTimestamp":1769481339705}}],"NextMarker":""},
      "UpdatedOperationIds":["c81e728d9d4c2f63"]})");
  Result<InvocationInput> parsed = ParseInvocationInput(json);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  ExpectInputEq(*parsed, in);
}

TEST(EnvelopeTest, InputOmitsAbsentMarkerAndUpdatedIds) {
  InvocationInput in = SampleInput();
  in.initial_execution_state.operations.resize(1);
  in.initial_execution_state.next_marker.reset();
  in.updated_operation_ids.reset();
  std::string json = SerializeInvocationInput(in);
  EXPECT_FALSE(testing::Contains(json, "null")) << json;
  EXPECT_FALSE(testing::Contains(json, "NextMarker")) << json;
  EXPECT_FALSE(testing::Contains(json, "UpdatedOperationIds")) << json;
  Result<InvocationInput> parsed = ParseInvocationInput(json);
  ASSERT_TRUE(parsed.ok());
  ExpectInputEq(*parsed, in);
}

TEST(EnvelopeTest, InputRequiresArnTokenAndState) {
  EXPECT_EQ(ParseInvocationInput(R"({"CheckpointToken":"t","InitialExecutionState":{}})")
                .status()
                .message(),
            "DurableExecutionArn is required");
  EXPECT_EQ(ParseInvocationInput(R"({"DurableExecutionArn":"a","InitialExecutionState":{}})")
                .status()
                .message(),
            "CheckpointToken is required");
  EXPECT_EQ(ParseInvocationInput(R"({"DurableExecutionArn":"a","CheckpointToken":"t"})")
                .status()
                .message(),
            "InitialExecutionState is required");
  EXPECT_EQ(ParseInvocationInput(R"({"DurableExecutionArn":"a","CheckpointToken":"t",
      "InitialExecutionState":{"Operations":[{"Id":"x","Type":"STEP","Status":"STARTED",
      "StartTimestamp":true}]}})")
                .status()
                .message(),
            "InitialExecutionState.Operations[0].StartTimestamp must be a timestamp");
}

TEST(EnvelopeTest, OutputGoldens) {
  ExpectJsonEq(SerializeInvocationOutput({InvocationStatus::kPending, std::nullopt, std::nullopt}),
               R"({"Status":"PENDING"})");
  ExpectJsonEq(SerializeInvocationOutput(
                   {InvocationStatus::kSucceeded, "\"Function Completed\"", std::nullopt}),
               R"({"Status":"SUCCEEDED","Result":"\"Function Completed\""})");
  InvocationOutput failed{InvocationStatus::kFailed, std::nullopt,
                          model::ErrorObject{"StepError", "boom", std::nullopt, std::nullopt}};
  std::string json = SerializeInvocationOutput(failed);
  ExpectJsonEq(json, R"({"Status":"FAILED","Error":{"ErrorType":"StepError",
      "ErrorMessage":"boom"}})");
  Result<InvocationOutput> parsed = ParseInvocationOutput(json);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->status, InvocationStatus::kFailed);
  EXPECT_EQ(parsed->error, failed.error);
  EXPECT_FALSE(parsed->result.has_value());
}

TEST(EnvelopeTest, OutputRoundTripsEveryStatus) {
  for (auto status :
       {InvocationStatus::kSucceeded, InvocationStatus::kFailed, InvocationStatus::kPending}) {
    Result<InvocationOutput> parsed =
        ParseInvocationOutput(SerializeInvocationOutput({status, std::nullopt, std::nullopt}));
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(parsed->status, status);
  }
  Result<InvocationOutput> empty_result = ParseInvocationOutput(R"({"Status":"SUCCEEDED",
      "Result":""})");
  ASSERT_TRUE(empty_result.ok());
  EXPECT_EQ(empty_result->result, "");
}

TEST(EnvelopeTest, OutputValidationFollowsTheProtocol) {
  EXPECT_FALSE(ParseInvocationOutput(R"({"Status":"FAILED","Result":"1"})").ok());
  EXPECT_FALSE(ParseInvocationOutput(R"({"Status":"SUCCEEDED","Error":{}})").ok());
  EXPECT_EQ(ParseInvocationOutput(R"({"Result":"1"})").status().message(), "Status is required");
  EXPECT_EQ(ParseInvocationOutput(R"({"Status":"RUNNING"})").status().message(),
            "Status has unknown value \"RUNNING\"");
  EXPECT_EQ(ParseInvocationOutput(R"({"Status":1})").status().message(), "Status must be a string");
  EXPECT_FALSE(ParseInvocationOutput("null").ok());  // a plain (non-durable) handler
  EXPECT_FALSE(ParseInvocationOutput("\"done\"").ok());
  EXPECT_FALSE(ParseInvocationOutput("").ok());
  // Python SDK large-result path: FAILED without Error is valid.
  EXPECT_TRUE(ParseInvocationOutput(R"({"Status":"FAILED"})").ok());
}

}  // namespace
}  // namespace durable::wire
