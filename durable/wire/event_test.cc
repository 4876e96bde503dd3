#include <gtest/gtest.h>

#include <set>
#include <vector>

#include "durable/wire/wire.h"
#include "durable/wire/wire_test_util.h"

namespace durable::wire {
namespace {

using model::ErrorObject;
using model::Event;
using model::EventError;
using model::EventPayload;
using model::EventType;
using testing::ExpectJsonEq;
using testing::kT0;

constexpr const char* kOpId = "c4ca4238a0b92382";

Event Ev(EventType type, int64_t event_id) {
  Event e;
  e.type = type;
  e.event_id = event_id;
  e.event_timestamp = kT0;
  e.id = kOpId;
  return e;
}
Event WithResult(Event e, std::string payload) {
  e.result = EventPayload{std::move(payload), false};
  return e;
}
Event WithError(Event e, std::string type, std::string message) {
  e.error = EventError{ErrorObject{type, message, std::nullopt, std::nullopt}, false};
  return e;
}

struct Golden {
  Event event;
  std::string json;
};

std::vector<Golden> Goldens() {
  std::vector<Golden> g;
  Event started = Ev(EventType::kExecutionStarted, 1);
  started.input = EventPayload{R"({"orderId":42})", false};
  started.execution_timeout = 86400;
  g.push_back({started, R"({"EventType":"ExecutionStarted","EventId":1,"Id":"c4ca4238a0b92382",
      "EventTimestamp":1769481309.631,"ExecutionStartedDetails":{"Input":{
      "Payload":"{\"orderId\":42}","Truncated":false},"ExecutionTimeout":86400}})"});
  g.push_back({WithResult(Ev(EventType::kExecutionSucceeded, 9), "\"done\""),
               R"({"EventType":"ExecutionSucceeded","EventId":9,"Id":"c4ca4238a0b92382",
      "EventTimestamp":1769481309.631,"ExecutionSucceededDetails":{"Result":{
      "Payload":"\"done\"","Truncated":false}}})"});
  const char* kFailed = R"({"Error":{"Payload":{"ErrorType":"E","ErrorMessage":"m"},
      "Truncated":false}})";
  struct ErrorCase {
    EventType type;
    const char* name;
  };
  for (ErrorCase c : {ErrorCase{EventType::kExecutionFailed, "ExecutionFailed"},
                      ErrorCase{EventType::kExecutionTimedOut, "ExecutionTimedOut"},
                      ErrorCase{EventType::kExecutionStopped, "ExecutionStopped"},
                      ErrorCase{EventType::kContextFailed, "ContextFailed"},
                      ErrorCase{EventType::kWaitCancelled, "WaitCancelled"},
                      ErrorCase{EventType::kChainedInvokeFailed, "ChainedInvokeFailed"},
                      ErrorCase{EventType::kChainedInvokeTimedOut, "ChainedInvokeTimedOut"},
                      ErrorCase{EventType::kChainedInvokeStopped, "ChainedInvokeStopped"},
                      ErrorCase{EventType::kCallbackFailed, "CallbackFailed"},
                      ErrorCase{EventType::kCallbackTimedOut, "CallbackTimedOut"}}) {
    std::string json =
        std::string(R"({"EventType":")") + c.name +
        R"(","EventId":5,"Id":"c4ca4238a0b92382","EventTimestamp":1769481309.631,")" + c.name +
        "Details\":" + kFailed + "}";
    g.push_back({WithError(Ev(c.type, 5), "E", "m"), json});
  }
  Event ctx = Ev(EventType::kContextStarted, 2);
  ctx.sub_type = "RunInChildContext";
  ctx.name = "child";
  ctx.parent_id = "98c6f2c2287f4c73";
  g.push_back({ctx, R"({"EventType":"ContextStarted","SubType":"RunInChildContext","EventId":2,
      "Id":"c4ca4238a0b92382","Name":"child","EventTimestamp":1769481309.631,
      "ParentId":"98c6f2c2287f4c73","ContextStartedDetails":{}})"});
  g.push_back({WithResult(Ev(EventType::kContextSucceeded, 3), "[1,2]"),
               R"({"EventType":"ContextSucceeded","EventId":3,"Id":"c4ca4238a0b92382",
      "EventTimestamp":1769481309.631,"ContextSucceededDetails":{"Result":{"Payload":"[1,2]",
      "Truncated":false}}})"});
  Event wait = Ev(EventType::kWaitStarted, 2);
  wait.duration = 2;
  wait.scheduled_end_timestamp = kT0 + 2000;
  g.push_back({wait, R"({"EventType":"WaitStarted","EventId":2,"Id":"c4ca4238a0b92382",
      "EventTimestamp":1769481309.631,"WaitStartedDetails":{"Duration":2,
      "ScheduledEndTimestamp":1769481311.631}})"});
  Event waited = Ev(EventType::kWaitSucceeded, 4);
  waited.duration = 2;
  g.push_back({waited, R"({"EventType":"WaitSucceeded","EventId":4,"Id":"c4ca4238a0b92382",
      "EventTimestamp":1769481309.631,"WaitSucceededDetails":{"Duration":2}})"});
  g.push_back({Ev(EventType::kStepStarted, 2), R"({"EventType":"StepStarted","EventId":2,
      "Id":"c4ca4238a0b92382","EventTimestamp":1769481309.631,"StepStartedDetails":{}})"});
  Event step_ok = WithResult(Ev(EventType::kStepSucceeded, 3), "true");
  step_ok.retry_details = model::RetryDetails{1, std::nullopt};
  g.push_back({step_ok, R"({"EventType":"StepSucceeded","EventId":3,"Id":"c4ca4238a0b92382",
      "EventTimestamp":1769481309.631,"StepSucceededDetails":{"Result":{"Payload":"true",
      "Truncated":false},"RetryDetails":{"CurrentAttempt":1}}})"});
  Event step_failed = WithError(Ev(EventType::kStepFailed, 3), "E", "m");
  step_failed.retry_details = model::RetryDetails{1, 1};
  g.push_back({step_failed, R"({"EventType":"StepFailed","EventId":3,"Id":"c4ca4238a0b92382",
      "EventTimestamp":1769481309.631,"StepFailedDetails":{"Error":{"Payload":{"ErrorType":"E",
      "ErrorMessage":"m"},"Truncated":false},"RetryDetails":{"CurrentAttempt":1,
      "NextAttemptDelaySeconds":1}}})"});
  Event invoke = Ev(EventType::kChainedInvokeStarted, 2);
  invoke.function_name = "target:$LATEST";
  invoke.tenant_id = "tenant-1";
  invoke.input = EventPayload{"\"hi\"", false};
  invoke.executed_version = "$LATEST";
  invoke.durable_execution_arn =
      "arn:aws:lambda:us-east-1:123456789012:function:target:$LATEST"
      "/durable-execution/child/abc";
  g.push_back({invoke, R"({"EventType":"ChainedInvokeStarted","EventId":2,
      "Id":"c4ca4238a0b92382","EventTimestamp":1769481309.631,"ChainedInvokeStartedDetails":{
      "FunctionName":"target:$LATEST","TenantId":"tenant-1","Input":{"Payload":"\"hi\"",
      "Truncated":false},"ExecutedVersion":"$LATEST","DurableExecutionArn":
      "arn:aws:lambda:us-east-1:123456789012:function:target:$LATEST/durable-execution/child/abc"}})"});
  g.push_back({WithResult(Ev(EventType::kChainedInvokeSucceeded, 4), "7"),
               R"({"EventType":"ChainedInvokeSucceeded","EventId":4,"Id":"c4ca4238a0b92382",
      "EventTimestamp":1769481309.631,"ChainedInvokeSucceededDetails":{"Result":{"Payload":"7",
      "Truncated":false}}})"});
  Event cb = Ev(EventType::kCallbackStarted, 3);
  cb.callback_id = "Y2FsbGJhY2s=";
  cb.timeout = 60;
  cb.heartbeat_timeout = 5;
  g.push_back({cb, R"({"EventType":"CallbackStarted","EventId":3,"Id":"c4ca4238a0b92382",
      "EventTimestamp":1769481309.631,"CallbackStartedDetails":{"CallbackId":"Y2FsbGJhY2s=",
      "HeartbeatTimeout":5,"Timeout":60}})"});
  g.push_back({WithResult(Ev(EventType::kCallbackSucceeded, 7), "{\"ok\":1}"),
               R"({"EventType":"CallbackSucceeded","EventId":7,"Id":"c4ca4238a0b92382",
      "EventTimestamp":1769481309.631,"CallbackSucceededDetails":{"Result":{
      "Payload":"{\"ok\":1}","Truncated":false}}})"});
  Event inv = Ev(EventType::kInvocationCompleted, 3);
  inv.id.reset();
  inv.invocation_start_timestamp = kT0 - 631;
  inv.invocation_end_timestamp = kT0 + 1000;
  inv.request_id = "req-1";
  g.push_back({inv, R"({"EventType":"InvocationCompleted","EventId":3,
      "EventTimestamp":1769481309.631,"InvocationCompletedDetails":{"StartTimestamp":1769481309,
      "EndTimestamp":1769481310.631,"RequestId":"req-1"}})"});
  return g;
}

TEST(EventTest, GoldenJsonForEveryEventType) {
  std::set<EventType> covered;
  for (const Golden& g : Goldens()) {
    SCOPED_TRACE(std::string(model::ToString(g.event.type)));
    std::string json = SerializeEvent(g.event, /*include_data=*/true);
    ExpectJsonEq(json, g.json);
    Result<Event> parsed = ParseEvent(json);
    ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
    EXPECT_EQ(*parsed, g.event);
    covered.insert(g.event.type);
  }
  EXPECT_EQ(covered.size(), static_cast<size_t>(model::kEventTypeCount));
}

TEST(EventTest, TimestampsAreEpochSecondsWithMillisecondFraction) {
  std::string json = SerializeEvent(Ev(EventType::kStepStarted, 2), true);
  EXPECT_TRUE(testing::Contains(json, "\"EventTimestamp\":1769481309.631")) << json;
}

TEST(EventTest, ExcludedDataDropsPayloadsAndMarksThemTruncated) {
  Event e = WithResult(Ev(EventType::kStepSucceeded, 3), "secret");
  e.retry_details = model::RetryDetails{2, std::nullopt};
  ExpectJsonEq(SerializeEvent(e, false), R"({"EventType":"StepSucceeded","EventId":3,
      "Id":"c4ca4238a0b92382","EventTimestamp":1769481309.631,"StepSucceededDetails":{
      "Result":{"Truncated":true},"RetryDetails":{"CurrentAttempt":2}}})");
  Event failed = WithError(Ev(EventType::kExecutionFailed, 4), "E", "secret");
  ExpectJsonEq(SerializeEvent(failed, false), R"({"EventType":"ExecutionFailed","EventId":4,
      "Id":"c4ca4238a0b92382","EventTimestamp":1769481309.631,
      "ExecutionFailedDetails":{"Error":{"Truncated":true}}})");
}

TEST(EventTest, RequiredWrappersAreEmittedWithoutPayload) {
  ExpectJsonEq(SerializeEvent(Ev(EventType::kStepSucceeded, 3), true),
               R"({"EventType":"StepSucceeded","EventId":3,"Id":"c4ca4238a0b92382",
      "EventTimestamp":1769481309.631,"StepSucceededDetails":{"Result":{"Truncated":false},
      "RetryDetails":{}}})");
  ExpectJsonEq(SerializeEvent(Ev(EventType::kChainedInvokeStarted, 2), false),
               R"({"EventType":"ChainedInvokeStarted","EventId":2,"Id":"c4ca4238a0b92382",
      "EventTimestamp":1769481309.631,"ChainedInvokeStartedDetails":{"FunctionName":"",
      "Input":{"Truncated":false}}})");
  ExpectJsonEq(SerializeEvent(Ev(EventType::kCallbackSucceeded, 7), true),
               R"({"EventType":"CallbackSucceeded","EventId":7,"Id":"c4ca4238a0b92382",
      "EventTimestamp":1769481309.631,"CallbackSucceededDetails":{"Result":{"Truncated":false}}})");
  ExpectJsonEq(SerializeEvent(Ev(EventType::kExecutionStopped, 5), true),
               R"({"EventType":"ExecutionStopped","EventId":5,"Id":"c4ca4238a0b92382",
      "EventTimestamp":1769481309.631,"ExecutionStoppedDetails":{"Error":{"Truncated":false}}})");
}

TEST(EventTest, EmptyErrorObjectIsEmittedAsEmptyPayload) {
  Event e = Ev(EventType::kStepFailed, 3);
  e.error = EventError{ErrorObject{}, false};
  e.retry_details = model::RetryDetails{4, std::nullopt};
  ExpectJsonEq(SerializeEvent(e, true), R"({"EventType":"StepFailed","EventId":3,
      "Id":"c4ca4238a0b92382","EventTimestamp":1769481309.631,"StepFailedDetails":{
      "Error":{"Payload":{},"Truncated":false},"RetryDetails":{"CurrentAttempt":4}}})");
}

TEST(EventTest, DisabledCallbackTimeoutsAreOmitted) {
  Event e = Ev(EventType::kCallbackStarted, 3);
  e.callback_id = "Y2I=";
  e.timeout = 0;
  e.heartbeat_timeout = 0;
  ExpectJsonEq(SerializeEvent(e, true), R"({"EventType":"CallbackStarted","EventId":3,
      "Id":"c4ca4238a0b92382","EventTimestamp":1769481309.631,
      "CallbackStartedDetails":{"CallbackId":"Y2I="}})");
}

TEST(EventTest, InvocationCompletedCarriesErrorOnlyWhenSet) {
  Event e = Ev(EventType::kInvocationCompleted, 3);
  e.id.reset();
  e.request_id = "r";
  e.error = EventError{ErrorObject{"Runtime.ExitError", "exit status 1", std::nullopt,
                                   std::vector<std::string>{"at main", "at start"}},
                       false};
  std::string json = SerializeEvent(e, true);
  ExpectJsonEq(json, R"({"EventType":"InvocationCompleted","EventId":3,
      "EventTimestamp":1769481309.631,"InvocationCompletedDetails":{"RequestId":"r",
      "Error":{"Payload":{"ErrorType":"Runtime.ExitError","ErrorMessage":"exit status 1",
      "StackTrace":["at main","at start"]},"Truncated":false}}})");
  Result<Event> parsed = ParseEvent(json);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(*parsed, e);
}

TEST(EventTest, UnicodeAndEmbeddedJsonPayloadsRoundTrip) {
  const std::string payload =
      "{\"msg\":\"h\xC3\xA9llo \xE2\x9C\x93 \xF0\x9F\x98\x80\","
      "\"nested\":\"{\\\"a\\\":[1,\\\"\\\\n\\\"]}\",\"nul\":\"\\u0000\"}";
  Event e = WithResult(Ev(EventType::kContextSucceeded, 3), payload);
  std::string json = SerializeEvent(e, true);
  EXPECT_TRUE(testing::Contains(json, "h\xC3\xA9llo")) << "UTF-8 must be kept, not escaped";
  Result<Event> parsed = ParseEvent(json);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->result->payload, payload);
}

TEST(EventTest, InvalidUtf8IsReplacedInsteadOfThrowing) {
  Event e = WithResult(Ev(EventType::kStepSucceeded, 3), std::string("a\xFF"
                                                                     "b"));
  std::string json = SerializeEvent(e, true);
  EXPECT_TRUE(testing::Contains(json,
                                "a\xEF\xBF\xBD"
                                "b"))
      << json;
}

TEST(EventTest, HistoryResponseListsEventsAndMarker) {
  model::HistoryResponse h;
  h.events.push_back(Ev(EventType::kStepStarted, 2));
  h.next_marker = "m-2";
  std::string json = SerializeHistoryResponse(h, true);
  ExpectJsonEq(json, R"({"Events":[{"EventType":"StepStarted","EventId":2,
      "Id":"c4ca4238a0b92382","EventTimestamp":1769481309.631,"StepStartedDetails":{}}],
      "NextMarker":"m-2"})");
  Result<model::HistoryResponse> parsed = ParseHistoryResponse(json);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->events, h.events);
  EXPECT_EQ(parsed->next_marker, h.next_marker);
  ExpectJsonEq(SerializeHistoryResponse({}, true), R"({"Events":[]})");
}

TEST(EventTest, ParseRejectsUnknownTypeAndWrongMemberTypes) {
  Result<Event> unknown =
      ParseEvent(R"({"EventType":"StepExploded","EventId":1,"EventTimestamp":1})");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().message(), "EventType has unknown value \"StepExploded\"");
  Result<Event> bad_id =
      ParseEvent(R"({"EventType":"StepStarted","EventId":"2","EventTimestamp":1})");
  ASSERT_FALSE(bad_id.ok());
  EXPECT_EQ(bad_id.status().message(), "EventId must be an integer");
  Result<Event> bad_wrapper = ParseEvent(R"({"EventType":"StepSucceeded","EventId":2,
      "EventTimestamp":1,"StepSucceededDetails":{"Result":{"Truncated":"no"}}})");
  ASSERT_FALSE(bad_wrapper.ok());
  EXPECT_EQ(bad_wrapper.status().message(),
            "StepSucceededDetails.Result.Truncated must be a boolean");
  EXPECT_EQ(ParseEvent(R"({"EventType":"StepStarted","EventTimestamp":1})").status().message(),
            "EventId is required");
}

TEST(EventTest, ParseAcceptsIsoTimestampsAndIgnoresUnknownMembers) {
  Result<Event> e = ParseEvent(R"({"EventType":"StepStarted","EventId":2,"Future":[1,{}],
      "EventTimestamp":"2026-01-27T02:35:09.631Z","StepStartedDetails":{"New":true}})");
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_EQ(e->event_timestamp, kT0);
}

}  // namespace
}  // namespace durable::wire
