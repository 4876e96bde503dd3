#include <gtest/gtest.h>

#include "durable/wire/wire.h"
#include "durable/wire/wire_test_util.h"

namespace durable::wire {
namespace {

using model::ErrorObject;
using model::Operation;
using model::OperationAction;
using model::OperationStatus;
using model::OperationType;
using model::OperationUpdate;
using testing::ExpectJsonEq;
using testing::kT0;

Operation Op(OperationType type, OperationStatus status) {
  Operation op;
  op.id = "c4ca4238a0b92382";
  op.type = type;
  op.status = status;
  op.start_timestamp = kT0;
  return op;
}

// Serializes in `unit`, compares with `expected` and parses back to an equal operation.
void CheckGolden(const Operation& op, TimeUnit unit, const char* expected) {
  std::string json = SerializeOperation(op, unit);
  ExpectJsonEq(json, expected);
  Result<Operation> parsed = ParseOperation(json, unit);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(*parsed, op);
}

TEST(OperationTest, ExecutionDetailsInBothTimeUnits) {
  Operation op = Op(OperationType::kExecution, OperationStatus::kStarted);
  op.id = "7d0c1a6e-2b8e-4c55-9a1e-2b6f0c3b9d11";
  op.execution_details = model::ExecutionDetails{R"({"orderId":42})"};
  CheckGolden(op, TimeUnit::kMillis, R"({"Id":"7d0c1a6e-2b8e-4c55-9a1e-2b6f0c3b9d11",
      "Type":"EXECUTION","StartTimestamp":1769481309631,"Status":"STARTED",
      "ExecutionDetails":{"InputPayload":"{\"orderId\":42}"}})");
  CheckGolden(op, TimeUnit::kSeconds, R"({"Id":"7d0c1a6e-2b8e-4c55-9a1e-2b6f0c3b9d11",
      "Type":"EXECUTION","StartTimestamp":1769481309.631,"Status":"STARTED",
      "ExecutionDetails":{"InputPayload":"{\"orderId\":42}"}})");
  EXPECT_TRUE(testing::Contains(SerializeOperation(op, TimeUnit::kMillis), "1769481309631"));
}

TEST(OperationTest, StepDetailsInBothTimeUnits) {
  Operation op = Op(OperationType::kStep, OperationStatus::kPending);
  op.sub_type = "WaitForCondition";
  op.name = "poll";
  op.parent_id = "98c6f2c2287f4c73";
  op.step_details = model::StepDetails{2, kT0 + 5369, "{\"n\":2}",
                                       ErrorObject{"StepError", "boom", "{}", std::nullopt}};
  CheckGolden(op, TimeUnit::kMillis, R"({"Id":"c4ca4238a0b92382","ParentId":"98c6f2c2287f4c73",
      "Name":"poll","Type":"STEP","SubType":"WaitForCondition","StartTimestamp":1769481309631,
      "Status":"PENDING","StepDetails":{"Attempt":2,"NextAttemptTimestamp":1769481315000,
      "Result":"{\"n\":2}","Error":{"ErrorType":"StepError","ErrorMessage":"boom",
      "ErrorData":"{}"}}})");
  CheckGolden(op, TimeUnit::kSeconds, R"({"Id":"c4ca4238a0b92382","ParentId":"98c6f2c2287f4c73",
      "Name":"poll","Type":"STEP","SubType":"WaitForCondition","StartTimestamp":1769481309.631,
      "Status":"PENDING","StepDetails":{"Attempt":2,"NextAttemptTimestamp":1769481315,
      "Result":"{\"n\":2}","Error":{"ErrorType":"StepError","ErrorMessage":"boom",
      "ErrorData":"{}"}}})");
}

TEST(OperationTest, StepDetailsAlwaysCarryAttempt) {
  Operation op = Op(OperationType::kStep, OperationStatus::kStarted);
  op.step_details = model::StepDetails{};
  CheckGolden(op, TimeUnit::kMillis, R"({"Id":"c4ca4238a0b92382","Type":"STEP",
      "StartTimestamp":1769481309631,"Status":"STARTED","StepDetails":{"Attempt":0}})");
}

TEST(OperationTest, ContextDetailsInBothTimeUnits) {
  Operation op = Op(OperationType::kContext, OperationStatus::kSucceeded);
  op.sub_type = "Map";
  op.end_timestamp = kT0 + 71;
  op.context_details = model::ContextDetails{true, "", std::nullopt};
  CheckGolden(op, TimeUnit::kMillis, R"({"Id":"c4ca4238a0b92382","Type":"CONTEXT",
      "SubType":"Map","StartTimestamp":1769481309631,"EndTimestamp":1769481309702,
      "Status":"SUCCEEDED","ContextDetails":{"ReplayChildren":true,"Result":""}})");
  CheckGolden(op, TimeUnit::kSeconds, R"({"Id":"c4ca4238a0b92382","Type":"CONTEXT",
      "SubType":"Map","StartTimestamp":1769481309.631,"EndTimestamp":1769481309.702,
      "Status":"SUCCEEDED","ContextDetails":{"ReplayChildren":true,"Result":""}})");
}

TEST(OperationTest, WaitDetailsInBothTimeUnits) {
  Operation op = Op(OperationType::kWait, OperationStatus::kStarted);
  op.wait_details = model::WaitDetails{kT0 + 30000};
  CheckGolden(op, TimeUnit::kMillis, R"({"Id":"c4ca4238a0b92382","Type":"WAIT",
      "StartTimestamp":1769481309631,"Status":"STARTED",
      "WaitDetails":{"ScheduledEndTimestamp":1769481339631}})");
  CheckGolden(op, TimeUnit::kSeconds, R"({"Id":"c4ca4238a0b92382","Type":"WAIT",
      "StartTimestamp":1769481309.631,"Status":"STARTED",
      "WaitDetails":{"ScheduledEndTimestamp":1769481339.631}})");
}

TEST(OperationTest, CallbackDetailsInBothTimeUnits) {
  Operation op = Op(OperationType::kCallback, OperationStatus::kTimedOut);
  op.end_timestamp = kT0 + 369;
  op.callback_details = model::CallbackDetails{
      "eyJhIjoxfQ==", std::nullopt,
      ErrorObject{"Callback.Timeout", "Callback timed out", std::nullopt, std::nullopt}};
  CheckGolden(op, TimeUnit::kMillis, R"({"Id":"c4ca4238a0b92382","Type":"CALLBACK",
      "StartTimestamp":1769481309631,"EndTimestamp":1769481310000,"Status":"TIMED_OUT",
      "CallbackDetails":{"CallbackId":"eyJhIjoxfQ==","Error":{"ErrorType":"Callback.Timeout",
      "ErrorMessage":"Callback timed out"}}})");
  CheckGolden(op, TimeUnit::kSeconds, R"({"Id":"c4ca4238a0b92382","Type":"CALLBACK",
      "StartTimestamp":1769481309.631,"EndTimestamp":1769481310,"Status":"TIMED_OUT",
      "CallbackDetails":{"CallbackId":"eyJhIjoxfQ==","Error":{"ErrorType":"Callback.Timeout",
      "ErrorMessage":"Callback timed out"}}})");
}

TEST(OperationTest, ChainedInvokeDetailsInBothTimeUnits) {
  Operation op = Op(OperationType::kChainedInvoke, OperationStatus::kSucceeded);
  op.sub_type = "ChainedInvoke";
  op.end_timestamp = kT0 + 1000;
  op.chained_invoke_details = model::ChainedInvokeDetails{"{\"v\":1}", std::nullopt};
  CheckGolden(op, TimeUnit::kMillis, R"({"Id":"c4ca4238a0b92382","Type":"CHAINED_INVOKE",
      "SubType":"ChainedInvoke","StartTimestamp":1769481309631,"EndTimestamp":1769481310631,
      "Status":"SUCCEEDED","ChainedInvokeDetails":{"Result":"{\"v\":1}"}})");
  CheckGolden(op, TimeUnit::kSeconds, R"({"Id":"c4ca4238a0b92382","Type":"CHAINED_INVOKE",
      "SubType":"ChainedInvoke","StartTimestamp":1769481309.631,"EndTimestamp":1769481310.631,
      "Status":"SUCCEEDED","ChainedInvokeDetails":{"Result":"{\"v\":1}"}})");
}

TEST(OperationTest, EveryStatusRoundTrips) {
  for (auto status :
       {OperationStatus::kStarted, OperationStatus::kPending, OperationStatus::kReady,
        OperationStatus::kSucceeded, OperationStatus::kFailed, OperationStatus::kCancelled,
        OperationStatus::kTimedOut, OperationStatus::kStopped}) {
    Operation op = Op(OperationType::kStep, status);
    Result<Operation> parsed =
        ParseOperation(SerializeOperation(op, TimeUnit::kSeconds), TimeUnit::kSeconds);
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(parsed->status, status);
  }
}

OperationUpdate Update(OperationType type, OperationAction action) {
  OperationUpdate u;
  u.id = "c4ca4238a0b92382";
  u.type = type;
  u.action = action;
  return u;
}

void CheckUpdate(const OperationUpdate& u, const char* expected) {
  std::string json = SerializeOperationUpdate(u);
  ExpectJsonEq(json, expected);
  Result<OperationUpdate> parsed = ParseOperationUpdate(json);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(*parsed, u);
}

TEST(OperationUpdateTest, StepSucceedWithAllEnvelopeMembers) {
  OperationUpdate u = Update(OperationType::kStep, OperationAction::kSucceed);
  u.parent_id = "98c6f2c2287f4c73";
  u.name = "charge";
  u.sub_type = "Step";
  u.payload = "{\"ok\":true}";
  CheckUpdate(u, R"({"Id":"c4ca4238a0b92382","ParentId":"98c6f2c2287f4c73","Name":"charge",
      "Type":"STEP","SubType":"Step","Action":"SUCCEED","Payload":"{\"ok\":true}"})");
}

TEST(OperationUpdateTest, StepRetryWithErrorAndStepOptions) {
  OperationUpdate u = Update(OperationType::kStep, OperationAction::kRetry);
  u.error = ErrorObject{"Error", "flaky", std::nullopt, std::vector<std::string>{"a", "b"}};
  u.step_options = model::StepOptions{3};
  CheckUpdate(u, R"({"Id":"c4ca4238a0b92382","Type":"STEP","Action":"RETRY",
      "Error":{"ErrorType":"Error","ErrorMessage":"flaky","StackTrace":["a","b"]},
      "StepOptions":{"NextAttemptDelaySeconds":3}})");
}

TEST(OperationUpdateTest, ContextSucceedWithContextOptions) {
  OperationUpdate u = Update(OperationType::kContext, OperationAction::kSucceed);
  u.payload = "";
  u.context_options = model::ContextOptions{true};
  CheckUpdate(u, R"({"Id":"c4ca4238a0b92382","Type":"CONTEXT","Action":"SUCCEED","Payload":"",
      "ContextOptions":{"ReplayChildren":true}})");
}

TEST(OperationUpdateTest, WaitStartWithWaitOptions) {
  OperationUpdate u = Update(OperationType::kWait, OperationAction::kStart);
  u.wait_options = model::WaitOptions{30};
  CheckUpdate(u, R"({"Id":"c4ca4238a0b92382","Type":"WAIT","Action":"START",
      "WaitOptions":{"WaitSeconds":30}})");
}

TEST(OperationUpdateTest, CallbackStartWithCallbackOptions) {
  OperationUpdate u = Update(OperationType::kCallback, OperationAction::kStart);
  u.callback_options = model::CallbackOptions{300, 0};
  CheckUpdate(u, R"({"Id":"c4ca4238a0b92382","Type":"CALLBACK","Action":"START",
      "CallbackOptions":{"TimeoutSeconds":300,"HeartbeatTimeoutSeconds":0}})");
  u.callback_options = model::CallbackOptions{};
  CheckUpdate(u, R"({"Id":"c4ca4238a0b92382","Type":"CALLBACK","Action":"START",
      "CallbackOptions":{}})");
}

TEST(OperationUpdateTest, ChainedInvokeStartWithOptions) {
  OperationUpdate u = Update(OperationType::kChainedInvoke, OperationAction::kStart);
  u.payload = "\"input\"";
  u.chained_invoke_options = model::ChainedInvokeOptions{"target:1", "tenant-a"};
  CheckUpdate(u, R"({"Id":"c4ca4238a0b92382","Type":"CHAINED_INVOKE","Action":"START",
      "Payload":"\"input\"","ChainedInvokeOptions":{"FunctionName":"target:1",
      "TenantId":"tenant-a"}})");
}

TEST(OperationUpdateTest, ExecutionFailAndCancelActions) {
  OperationUpdate fail = Update(OperationType::kExecution, OperationAction::kFail);
  fail.error = ErrorObject{};
  CheckUpdate(fail, R"({"Id":"c4ca4238a0b92382","Type":"EXECUTION","Action":"FAIL",
      "Error":{}})");
  CheckUpdate(Update(OperationType::kWait, OperationAction::kCancel),
              R"({"Id":"c4ca4238a0b92382","Type":"WAIT","Action":"CANCEL"})");
}

TEST(OperationUpdateTest, MissingIdIsLeftForTheEngineToReject) {
  Result<OperationUpdate> u = ParseOperationUpdate(R"({"Type":"STEP","Action":"START"})");
  ASSERT_TRUE(u.ok()) << u.status().ToString();
  EXPECT_EQ(u->id, "");
}

TEST(OperationUpdateTest, RejectsUnknownEnumsAndWrongTypes) {
  EXPECT_EQ(
      ParseOperationUpdate(R"({"Id":"a","Type":"STEP","Action":"EXPLODE"})").status().message(),
      "Action has unknown value \"EXPLODE\"");
  EXPECT_EQ(ParseOperationUpdate(R"({"Id":"a","Action":"START"})").status().message(),
            "Type is required");
  EXPECT_EQ(ParseOperationUpdate(R"({"Id":"a","Type":"WAIT","Action":"START",
      "WaitOptions":{"WaitSeconds":"30"}})")
                .status()
                .message(),
            "WaitOptions.WaitSeconds must be an integer");
  EXPECT_EQ(ParseOperationUpdate(R"({"Id":"a","Type":"STEP","Action":"FAIL",
      "Error":{"StackTrace":["ok",3]}})")
                .status()
                .message(),
            "Error.StackTrace[1] must be a string");
  EXPECT_EQ(ParseOperationUpdate(R"({"Id":7,"Type":"STEP","Action":"START"})").status().code(),
            StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace durable::wire
