#include <gtest/gtest.h>

#include "durable/wire/wire.h"
#include "durable/wire/wire_test_util.h"

namespace durable::wire {
namespace {

using model::CheckpointRequest;
using model::CheckpointResponse;
using model::OperationAction;
using model::OperationType;
using model::OperationUpdate;
using testing::ExpectJsonEq;
using testing::kT0;

OperationUpdate StepUpdate(OperationAction action) {
  OperationUpdate u;
  u.id = "c4ca4238a0b92382";
  u.type = OperationType::kStep;
  u.sub_type = "Step";
  u.name = "charge";
  u.action = action;
  return u;
}

TEST(CheckpointTest, RequestGoldenAndRoundTrip) {
  CheckpointRequest req;
  req.checkpoint_token = "eyJ0IjoxfQ==";
  req.client_token = "5b0f3c2e-6a0d-4c55-8f6c-2b1e9a0c7d44";
  req.updates.push_back(StepUpdate(OperationAction::kStart));
  OperationUpdate done = StepUpdate(OperationAction::kSucceed);
  done.payload = "{\"ok\":true}";
  req.updates.push_back(done);
  std::string json = SerializeCheckpointRequest(req);
  ExpectJsonEq(json, R"({"CheckpointToken":"eyJ0IjoxfQ==",
      "ClientToken":"5b0f3c2e-6a0d-4c55-8f6c-2b1e9a0c7d44","Updates":[
      {"Id":"c4ca4238a0b92382","Name":"charge","Type":"STEP","SubType":"Step","Action":"START"},
      {"Id":"c4ca4238a0b92382","Name":"charge","Type":"STEP","SubType":"Step","Action":"SUCCEED",
       "Payload":"{\"ok\":true}"}]})");
  Result<CheckpointRequest> parsed = ParseCheckpointRequest(json);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->checkpoint_token, req.checkpoint_token);
  EXPECT_EQ(parsed->client_token, req.client_token);
  EXPECT_EQ(parsed->updates, req.updates);
}

TEST(CheckpointTest, RequestWithoutUpdatesIsARefresh) {
  ExpectJsonEq(SerializeCheckpointRequest({"tok", std::nullopt, {}}),
               R"({"CheckpointToken":"tok","Updates":[]})");
  Result<CheckpointRequest> absent = ParseCheckpointRequest(R"({"CheckpointToken":"tok"})");
  ASSERT_TRUE(absent.ok());
  EXPECT_TRUE(absent->updates.empty());
  EXPECT_FALSE(absent->client_token.has_value());
  Result<CheckpointRequest> nulls =
      ParseCheckpointRequest(R"({"CheckpointToken":"tok","ClientToken":null,"Updates":null})");
  ASSERT_TRUE(nulls.ok());
  EXPECT_TRUE(nulls->updates.empty());
}

TEST(CheckpointTest, RequestErrorsNameTheMember) {
  EXPECT_EQ(ParseCheckpointRequest(R"({"Updates":[]})").status().message(),
            "CheckpointToken is required");
  EXPECT_EQ(ParseCheckpointRequest(R"({"CheckpointToken":"t","Updates":{}})").status().message(),
            "Updates must be an array");
  EXPECT_EQ(ParseCheckpointRequest(R"({"CheckpointToken":"t","Updates":[3]})").status().message(),
            "Updates[0] must be an object, got number");
  EXPECT_EQ(ParseCheckpointRequest(R"({"CheckpointToken":"t","Updates":[
      {"Id":"a","Type":"STEP","Action":"START"},{"Id":"a","Type":"STEP","Action":7}]})")
                .status()
                .message(),
            "Updates[1].Action must be a string");
  EXPECT_EQ(ParseCheckpointRequest(R"({"CheckpointToken":"t","Updates":[
      {"Id":"a","Type":"TASK","Action":"START"}]})")
                .status()
                .message(),
            "Updates[0].Type has unknown value \"TASK\"");
  EXPECT_EQ(ParseCheckpointRequest(R"({"CheckpointToken":"t","Updates":[{"Id":"a",
      "Type":"CONTEXT","Action":"SUCCEED","ContextOptions":{"ReplayChildren":"yes"}}]})")
                .status()
                .message(),
            "Updates[0].ContextOptions.ReplayChildren must be a boolean");
}

TEST(CheckpointTest, ResponseGoldenUsesEpochSeconds) {
  CheckpointResponse resp;
  resp.checkpoint_token = "bmV4dA==";
  model::Operation op;
  op.id = "c4ca4238a0b92382";
  op.type = OperationType::kStep;
  op.sub_type = "Step";
  op.name = "charge";
  op.status = model::OperationStatus::kSucceeded;
  op.start_timestamp = kT0;
  op.end_timestamp = kT0 + 71;
  op.step_details = model::StepDetails{1, std::nullopt, "{\"ok\":true}", std::nullopt};
  resp.operations.push_back(op);
  std::string json = SerializeCheckpointResponse(resp);
  ExpectJsonEq(json, R"({"CheckpointToken":"bmV4dA==","NewExecutionState":{"Operations":[
      {"Id":"c4ca4238a0b92382","Name":"charge","Type":"STEP","SubType":"Step",
       "StartTimestamp":1769481309.631,"EndTimestamp":1769481309.702,"Status":"SUCCEEDED",
       "StepDetails":{"Attempt":1,"Result":"{\"ok\":true}"}}]}})");
  Result<CheckpointResponse> parsed = ParseCheckpointResponse(json);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->checkpoint_token, resp.checkpoint_token);
  EXPECT_EQ(parsed->operations, resp.operations);
  EXPECT_FALSE(parsed->next_marker.has_value());
}

TEST(CheckpointTest, TerminalResponseOmitsTokenButKeepsState) {
  CheckpointResponse resp;
  std::string json = SerializeCheckpointResponse(resp);
  ExpectJsonEq(json, R"({"NewExecutionState":{"Operations":[]}})");
  Result<CheckpointResponse> parsed = ParseCheckpointResponse(json);
  ASSERT_TRUE(parsed.ok());
  EXPECT_FALSE(parsed->checkpoint_token.has_value());
}

TEST(StateTest, ResponseGoldenAndRoundTrip) {
  model::StateResponse resp;
  model::Operation op;
  op.id = "eccbc87e4b5ce2fe";
  op.type = OperationType::kCallback;
  op.status = model::OperationStatus::kStarted;
  op.start_timestamp = kT0;
  op.callback_details = model::CallbackDetails{"Y2I=", std::nullopt, std::nullopt};
  resp.operations.push_back(op);
  resp.next_marker = "2:100";
  std::string json = SerializeStateResponse(resp);
  ExpectJsonEq(json, R"({"Operations":[{"Id":"eccbc87e4b5ce2fe","Type":"CALLBACK",
      "StartTimestamp":1769481309.631,"Status":"STARTED","CallbackDetails":{"CallbackId":"Y2I="}}],
      "NextMarker":"2:100"})");
  Result<model::StateResponse> parsed = ParseStateResponse(json);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->operations, resp.operations);
  EXPECT_EQ(parsed->next_marker, resp.next_marker);
  ExpectJsonEq(SerializeStateResponse({}), R"({"Operations":[]})");
}

}  // namespace
}  // namespace durable::wire
