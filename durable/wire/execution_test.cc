#include <gtest/gtest.h>

#include "durable/wire/wire.h"
#include "durable/wire/wire_test_util.h"

namespace durable::wire {
namespace {

using model::DurableExecution;
using model::ErrorObject;
using model::ExecutionStatus;
using testing::ExpectJsonEq;
using testing::kT0;

DurableExecution Sample(ExecutionStatus status) {
  DurableExecution e;
  e.arn = "arn:aws:lambda:us-east-1:123456789012:function:orders:3/durable-execution/o-42/exec-1";
  e.name = "o-42";
  e.execution_id = "exec-1";
  e.function_name = "orders";
  e.function_arn = "arn:aws:lambda:us-east-1:123456789012:function:orders:3";
  e.version = "3";
  e.status = status;
  e.start_timestamp = kT0;
  e.input_payload = R"({"orderId":42})";
  e.config = model::DurableConfig{3600, 7};
  if (status != ExecutionStatus::kRunning) e.end_timestamp = kT0 + 2369;
  if (status == ExecutionStatus::kSucceeded) e.result = "\"ok\"";
  if (status == ExecutionStatus::kFailed) {
    e.error = ErrorObject{"StepError", "boom", std::nullopt, std::nullopt};
  }
  return e;
}

TEST(GetExecutionTest, SucceededGoldenAndRoundTrip) {
  DurableExecution e = Sample(ExecutionStatus::kSucceeded);
  std::string json = SerializeGetExecutionResponse(e, /*include_data=*/true);
  ExpectJsonEq(json, R"({"DurableExecutionArn":
      "arn:aws:lambda:us-east-1:123456789012:function:orders:3/durable-execution/o-42/exec-1",
      "DurableExecutionName":"o-42",
      "FunctionArn":"arn:aws:lambda:us-east-1:123456789012:function:orders:3",
      "Status":"SUCCEEDED","StartTimestamp":1769481309.631,"EndTimestamp":1769481312,
      "InputPayload":"{\"orderId\":42}","Result":"\"ok\"","Version":"3",
      "ExecutionDataIncluded":true,"DurableConfig":{"RetentionPeriodInDays":7,
      "ExecutionTimeout":3600}})");
  Result<DurableExecution> parsed = ParseGetExecutionResponse(json);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(*parsed, e);
}

TEST(GetExecutionTest, FailedCarriesErrorAndTraceHeader) {
  DurableExecution e = Sample(ExecutionStatus::kFailed);
  e.trace_header = "Root=1-abc";
  std::string json = SerializeGetExecutionResponse(e, true);
  ExpectJsonEq(json, R"({"DurableExecutionArn":
      "arn:aws:lambda:us-east-1:123456789012:function:orders:3/durable-execution/o-42/exec-1",
      "DurableExecutionName":"o-42",
      "FunctionArn":"arn:aws:lambda:us-east-1:123456789012:function:orders:3",
      "Status":"FAILED","StartTimestamp":1769481309.631,"EndTimestamp":1769481312,
      "InputPayload":"{\"orderId\":42}","Error":{"ErrorType":"StepError","ErrorMessage":"boom"},
      "Version":"3","TraceHeader":{"XAmznTraceId":"Root=1-abc"},"ExecutionDataIncluded":true,
      "DurableConfig":{"RetentionPeriodInDays":7,"ExecutionTimeout":3600}})");
  Result<DurableExecution> parsed = ParseGetExecutionResponse(json);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(*parsed, e);
}

TEST(GetExecutionTest, RunningHasNoEndResultOrError) {
  DurableExecution e = Sample(ExecutionStatus::kRunning);
  e.result = "stale";  // only emitted for SUCCEEDED
  e.error = ErrorObject{};
  std::string json = SerializeGetExecutionResponse(e, true);
  EXPECT_FALSE(testing::Contains(json, "EndTimestamp")) << json;
  EXPECT_FALSE(testing::Contains(json, "\"Result\"")) << json;
  EXPECT_FALSE(testing::Contains(json, "\"Error\"")) << json;
  EXPECT_TRUE(testing::Contains(json, "\"Status\":\"RUNNING\"")) << json;
}

TEST(GetExecutionTest, WithoutDataDropsPayloadsAndSaysSo) {
  std::string json = SerializeGetExecutionResponse(Sample(ExecutionStatus::kSucceeded), false);
  EXPECT_FALSE(testing::Contains(json, "InputPayload")) << json;
  EXPECT_FALSE(testing::Contains(json, "\"Result\"")) << json;
  EXPECT_TRUE(testing::Contains(json, "\"ExecutionDataIncluded\":false")) << json;
}

TEST(GetExecutionTest, ParseRequiresSummaryMembers) {
  EXPECT_EQ(ParseGetExecutionResponse(R"({"DurableExecutionName":"n","FunctionArn":"f",
      "Status":"RUNNING","StartTimestamp":1})")
                .status()
                .message(),
            "DurableExecutionArn is required");
  EXPECT_EQ(ParseGetExecutionResponse(R"({"DurableExecutionArn":"a","DurableExecutionName":"n",
      "FunctionArn":"f","Status":"PAUSED","StartTimestamp":1})")
                .status()
                .message(),
            "Status has unknown value \"PAUSED\"");
}

TEST(ListTest, GoldenAndRoundTrip) {
  model::ListResponse resp;
  DurableExecution running = Sample(ExecutionStatus::kRunning);
  DurableExecution stopped = Sample(ExecutionStatus::kStopped);
  resp.executions = {running, stopped};
  resp.next_marker = "page-2";
  std::string json = SerializeListResponse(resp);
  ExpectJsonEq(json, R"({"DurableExecutions":[
      {"DurableExecutionArn":
       "arn:aws:lambda:us-east-1:123456789012:function:orders:3/durable-execution/o-42/exec-1",
       "DurableExecutionName":"o-42",
       "FunctionArn":"arn:aws:lambda:us-east-1:123456789012:function:orders:3",
       "Status":"RUNNING","StartTimestamp":1769481309.631},
      {"DurableExecutionArn":
       "arn:aws:lambda:us-east-1:123456789012:function:orders:3/durable-execution/o-42/exec-1",
       "DurableExecutionName":"o-42",
       "FunctionArn":"arn:aws:lambda:us-east-1:123456789012:function:orders:3",
       "Status":"STOPPED","StartTimestamp":1769481309.631,"EndTimestamp":1769481312}],
      "NextMarker":"page-2"})");
  Result<model::ListResponse> parsed = ParseListResponse(json);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  ASSERT_EQ(parsed->executions.size(), 2u);
  const DurableExecution& p = parsed->executions[1];
  EXPECT_EQ(p.arn, stopped.arn);
  EXPECT_EQ(p.execution_id, "exec-1");  // derived from the ARN
  EXPECT_EQ(p.function_name, "orders");
  EXPECT_EQ(p.version, "3");
  EXPECT_EQ(p.status, ExecutionStatus::kStopped);
  EXPECT_EQ(p.end_timestamp, stopped.end_timestamp);
  EXPECT_EQ(parsed->next_marker, "page-2");
  ExpectJsonEq(SerializeListResponse({}), R"({"DurableExecutions":[]})");
}

TEST(BodiesTest, ErrorObjectBodyAcceptsEmptyAndObject) {
  Result<std::optional<ErrorObject>> empty = ParseErrorObjectBody("");
  ASSERT_TRUE(empty.ok());
  EXPECT_FALSE(empty->has_value());
  Result<std::optional<ErrorObject>> blank = ParseErrorObjectBody(" \n");
  ASSERT_TRUE(blank.ok());
  EXPECT_FALSE(blank->has_value());
  Result<std::optional<ErrorObject>> braces = ParseErrorObjectBody("{}");
  ASSERT_TRUE(braces.ok());
  ASSERT_TRUE(braces->has_value());
  EXPECT_EQ(**braces, ErrorObject{});
  ErrorObject full{"Cancelled", "operator request", "{\"by\":\"ops\"}",
                   std::vector<std::string>{"frame"}};
  std::string json = SerializeErrorObject(full);
  ExpectJsonEq(json, R"({"ErrorType":"Cancelled","ErrorMessage":"operator request",
      "ErrorData":"{\"by\":\"ops\"}","StackTrace":["frame"]})");
  Result<std::optional<ErrorObject>> parsed = ParseErrorObjectBody(json);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(**parsed, full);
  EXPECT_EQ(ParseErrorObjectBody(R"({"ErrorMessage":5})").status().message(),
            "ErrorMessage must be a string");
  EXPECT_FALSE(ParseErrorObjectBody("[1]").ok());
  EXPECT_FALSE(ParseErrorObjectBody("{").ok());
}

TEST(BodiesTest, StopResponseAndAwsErrorBody) {
  ExpectJsonEq(SerializeStopResponse(kT0), R"({"StopTimestamp":1769481309.631})");
  ExpectJsonEq(SerializeErrorBody("Invalid Checkpoint Token: stale", false),
               R"({"Type":"User","message":"Invalid Checkpoint Token: stale",
                   "Message":"Invalid Checkpoint Token: stale"})");
  ExpectJsonEq(SerializeErrorBody("boom \"quoted\"", true),
               R"({"Type":"Service","message":"boom \"quoted\"","Message":"boom \"quoted\""})");
}

}  // namespace
}  // namespace durable::wire
