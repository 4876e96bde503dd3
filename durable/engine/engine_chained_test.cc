// Chained invokes, starting executions (function resolution, names, idempotency), state and
// history paging, and recovery after a restart.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "durable/engine/engine_test_util.h"
#include "durable/engine/names.h"

namespace durable::engine::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

TEST(ChainedInvokeTest, ChildSuccessCompletesTheParentOperation) {
  Harness h;
  std::string parent = h.Start();
  Session p1 = h.Next();
  auto r = p1.Checkpoint({InvokeStart("i1", "child", "{\"x\":1}")});
  ASSERT_EQ(r.operations.size(), 1u);
  EXPECT_EQ(r.operations[0].status, model::OperationStatus::kStarted);
  p1.ReturnPending();
  Session c = h.Next();
  std::string child = c.input().durable_execution_arn;
  EXPECT_THAT(child, HasSubstr(":function:child:$LATEST/durable-execution/chained-"));
  std::string parent_id = parent.substr(parent.rfind('/') + 1);
  EXPECT_THAT(child, HasSubstr("/" + ChildExecutionName(parent_id, "i1") + "/"));
  EXPECT_EQ(c.input().initial_execution_state.operations[0].execution_details->input_payload,
            "{\"x\":1}");
  c.ReturnSucceeded("\"r\"");
  Session p2 = h.Next();
  EXPECT_THAT(*p2.input().updated_operation_ids, ElementsAre("i1"));
  EXPECT_EQ(p2.input().initial_execution_state.operations.at(1).chained_invoke_details->result,
            "\"r\"");
  p2.ReturnSucceeded("\"r\"");
  EXPECT_THAT(h.History(parent),
              ElementsAre("1 ExecutionStarted input={} timeout=86400",
                          "2 ChainedInvokeStarted id=i1 sub=ChainedInvoke input={\"x\":1} fn=child "
                          "version=$LATEST child",
                          "3 InvocationCompleted",
                          "4 ChainedInvokeSucceeded id=i1 sub=ChainedInvoke result=\"r\"",
                          "5 InvocationCompleted", "6 ExecutionSucceeded result=\"r\""));
  auto history = h.engine().GetHistory(parent, {});
  EXPECT_EQ(history->events[1].durable_execution_arn, child);
  auto ex = h.Execution(child);
  EXPECT_EQ(ex.parent_arn, parent);
  EXPECT_EQ(ex.parent_operation_id, "i1");
}

TEST(ChainedInvokeTest, ChildFinishingBeforeTheCallerSuspendsIsRecordedAfterInvocationCompleted) {
  Harness h;
  std::string parent = h.Start();
  Session p1 = h.Next();
  p1.Checkpoint({InvokeStart("i1", "child", "1")});
  h.Next().ReturnSucceeded("\"hello\"");  // the child is done while the caller still runs
  EXPECT_EQ(h.PendingInvocations(), 0u);
  p1.ReturnPending();
  Session p2 = h.Next();
  EXPECT_THAT(*p2.input().updated_operation_ids, ElementsAre("i1"));
  p2.ReturnSucceeded("\"hello\"");
  EXPECT_THAT(h.History(parent),
              ElementsAre("1 ExecutionStarted input={} timeout=86400",
                          "2 ChainedInvokeStarted id=i1 sub=ChainedInvoke input=1 fn=child "
                          "version=$LATEST child",
                          "3 InvocationCompleted",
                          "4 ChainedInvokeSucceeded id=i1 sub=ChainedInvoke result=\"hello\"",
                          "5 InvocationCompleted", "6 ExecutionSucceeded result=\"hello\""));
}

TEST(ChainedInvokeTest, ChildFailureFailsTheParentOperation) {
  Harness h;
  std::string parent = h.Start();
  Session p1 = h.Next();
  p1.Checkpoint({InvokeStart("i1", "arn:aws:lambda:us-east-1:123456789012:function:child:$LATEST",
                             std::nullopt)});
  p1.ReturnPending();
  h.Next().ReturnFailed(Err("ChildError", "bad"));
  EXPECT_THAT(h.History(parent),
              ElementsAre("1 ExecutionStarted input={} timeout=86400",
                          "2 ChainedInvokeStarted id=i1 sub=ChainedInvoke input=<none> "
                          "fn=arn:aws:lambda:us-east-1:123456789012:function:child:$LATEST "
                          "version=$LATEST child",
                          "3 InvocationCompleted",
                          "4 ChainedInvokeFailed id=i1 sub=ChainedInvoke error=ChildError:bad"));
  EXPECT_EQ(h.PendingInvocations(), 1u);
}

TEST(ChainedInvokeTest, UnknownTargetFailsTheOperationInTheSameResponse) {
  Harness h;
  std::string parent = h.Start();
  Session p1 = h.Next();
  auto r = p1.Checkpoint({InvokeStart("i1", "nope", "1")});
  ASSERT_EQ(r.operations.size(), 1u);
  EXPECT_EQ(r.operations[0].status, model::OperationStatus::kFailed);
  EXPECT_EQ(h.PendingInvocations(), 0u);
  EXPECT_THAT(h.History(parent),
              ElementsAre("1 ExecutionStarted input={} timeout=86400",
                          "2 ChainedInvokeStarted id=i1 sub=ChainedInvoke input=1 fn=nope",
                          "3 ChainedInvokeFailed id=i1 sub=ChainedInvoke "
                          "error=ResourceNotFoundException:Function not found: "
                          "arn:aws:lambda:us-east-1:123456789012:function:nope"));
}

TEST(ChainedInvokeTest, TenantIsEchoedAndCancelStopsTheChild) {
  Harness h;
  std::string parent = h.Start();
  Session p1 = h.Next();
  model::OperationUpdate start = InvokeStart("i1", "child", "1");
  start.chained_invoke_options->tenant_id = "t-7";
  p1.Checkpoint({start});
  Session c = h.Next();
  std::string child = c.input().durable_execution_arn;
  EXPECT_EQ(h.Execution(child).tenant_id, "t-7");
  model::OperationUpdate cancel = InvokeStart("i1", "child", std::nullopt);
  cancel.action = model::OperationAction::kCancel;
  cancel.chained_invoke_options.reset();
  auto r = p1.Checkpoint({cancel});
  EXPECT_EQ(r.operations.at(0).status, model::OperationStatus::kCancelled);
  EXPECT_EQ(h.Execution(child).status, model::ExecutionStatus::kStopped);
  p1.ReturnSucceeded("1");
  EXPECT_THAT(h.History(parent),
              ElementsAre("1 ExecutionStarted input={} timeout=86400",
                          "2 ChainedInvokeStarted id=i1 sub=ChainedInvoke input=1 fn=child "
                          "tenant=t-7 version=$LATEST child",
                          "3 InvocationCompleted", "4 ExecutionSucceeded result=1"));
}

Result<model::StartResponse> StartFn(Harness& h, std::string fn, std::optional<std::string> q,
                                     std::optional<std::string> name,
                                     std::optional<std::string> payload = "{}") {
  model::StartRequest req;
  req.function_name = std::move(fn);
  req.qualifier = std::move(q);
  req.durable_execution_name = std::move(name);
  req.payload = std::move(payload);
  return h.engine().StartExecution(req);
}

TEST(StartTest, ResolvesFunctionNamesAndBuildsTheExecutionArn) {
  Harness h;
  for (std::string fn : {"fn", "fn:$LATEST", "123456789012:function:fn",
                         "arn:aws:lambda:us-east-1:123456789012:function:fn:$LATEST"}) {
    auto r = StartFn(h, fn, std::nullopt, std::nullopt);
    ASSERT_TRUE(r.ok()) << fn << ": " << r.status().ToString();
    EXPECT_THAT(r->execution.arn,
                StartsWith("arn:aws:lambda:us-east-1:123456789012:function:fn:$LATEST/"
                           "durable-execution/"));
    EXPECT_EQ(r->execution.arn.substr(r->execution.arn.rfind('/') + 1), r->execution.execution_id);
  }
  auto missing = StartFn(h, "nope", "$LATEST", std::nullopt);
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(missing.status().message(),
            "Function not found: arn:aws:lambda:us-east-1:123456789012:function:nope:$LATEST");
  EXPECT_EQ(StartFn(h, "fn", "1", std::nullopt).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(StartFn(h, "fn", std::nullopt, "bad name!").status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(StartFn(h, "fn", std::nullopt, std::string(65, 'a')).status().code(),
            StatusCode::kInvalidArgument);
}

TEST(StartTest, EmptyPayloadOmitsInputPayload) {
  Harness h;
  std::string arn = h.Start(std::nullopt);
  Session s = h.Next();
  EXPECT_FALSE(
      s.input().initial_execution_state.operations[0].execution_details->input_payload.has_value());
  EXPECT_EQ(h.History(arn).at(0), "1 ExecutionStarted input=<none> timeout=86400");
}

TEST(StartTest, NamedStartIsIdempotentForTheSamePayloadOnly) {
  Harness h;
  auto first = StartFn(h, "fn", "$LATEST", "order-1", "{\"id\":1}");
  ASSERT_TRUE(first.ok());
  EXPECT_TRUE(first->created);
  EXPECT_THAT(first->execution.arn, HasSubstr("/durable-execution/order-1/"));
  auto again = StartFn(h, "fn", "$LATEST", "order-1", "{\"id\":1}");
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->created);
  EXPECT_EQ(again->execution.arn, first->execution.arn);
  auto different = StartFn(h, "fn", "$LATEST", "order-1", "{\"id\":2}");
  EXPECT_EQ(different.status().code(), StatusCode::kAlreadyExists);
  h.Next().ReturnSucceeded("1");
  auto closed = StartFn(h, "fn", "$LATEST", "order-1", "{\"id\":1}");
  ASSERT_TRUE(closed.ok());
  EXPECT_FALSE(closed->created);
  EXPECT_EQ(closed->execution.status, model::ExecutionStatus::kSucceeded);
  EXPECT_EQ(h.PendingInvocations(), 0u);
}

TEST(PagingTest, LargeEnvelopeIsPagedThroughGetStateWithMarkersBoundToTheSnapshot) {
  Limits limits;
  limits.envelope_page_bytes = 600;  // about two operations per page
  Harness h(limits);
  std::string arn = h.Start();
  Session s1 = h.Next();
  std::vector<model::OperationUpdate> updates;
  for (int i = 1; i <= 5; ++i) {
    updates.push_back(StepStart("s" + std::to_string(i)));
    updates.push_back(StepSucceed("s" + std::to_string(i), "1"));
  }
  updates.push_back(WaitStart("w1", 1));
  s1.Checkpoint(updates);
  s1.ReturnPending();
  h.Advance(1000);
  Session s2 = h.Next();
  const auto& first = s2.input().initial_execution_state;
  ASSERT_TRUE(first.next_marker.has_value());
  EXPECT_EQ(first.operations.at(0).type, model::OperationType::kExecution);
  std::vector<std::string> ids;
  for (const auto& op : first.operations) ids.push_back(op.id);
  std::optional<std::string> marker = first.next_marker;
  while (marker) {
    auto page = h.engine().GetState(arn, {s2.token(), marker, 1000});
    ASSERT_TRUE(page.ok()) << page.status().ToString();
    for (const auto& op : page->operations) ids.push_back(op.id);
    marker = page->next_marker;
  }
  EXPECT_EQ(ids.size(), 7u);
  EXPECT_EQ(ids.back(), "w1");
  EXPECT_EQ(h.engine().GetState(arn, {s2.token(), "bogus", 10}).status().code(),
            StatusCode::kInvalidArgument);
  auto small = h.engine().GetState(arn, {s2.token(), std::nullopt, 3});
  ASSERT_TRUE(small.ok());
  EXPECT_EQ(small->operations.size(), 2u);  // the byte budget binds before MaxItems
  EXPECT_TRUE(small->next_marker.has_value());
}

TEST(PagingTest, HistoryPagesForwardAndInReverse) {
  Harness h;
  std::string arn = h.Start();
  Session s = h.Next();
  s.Checkpoint({StepStart("s1"), StepSucceed("s1", "1")});
  s.ReturnSucceeded("1");
  model::HistoryRequest req;
  req.max_items = 2;
  std::vector<int64_t> ids;
  do {
    auto page = h.engine().GetHistory(arn, req);
    ASSERT_TRUE(page.ok());
    for (const auto& e : page->events) ids.push_back(e.event_id);
    req.marker = page->next_marker;
  } while (req.marker);
  EXPECT_THAT(ids, ElementsAre(1, 2, 3, 4, 5));
  model::HistoryRequest reverse;
  reverse.reverse_order = true;
  auto all = h.engine().GetHistory(arn, reverse);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->events.front().event_id, 5);
  EXPECT_FALSE(all->next_marker.has_value());
}

TEST(RecoveryTest, InvocationInFlightAtACrashIsRetriedAfterRestart) {
  Harness h;
  std::string arn = h.Start();
  Session s1 = h.Next();
  s1.Checkpoint({StepStart("s1")});
  h.Restart();  // the server dies while s1 is running
  Session s2 = h.Next();
  EXPECT_EQ(s1.TryCheckpoint({}).status().code(), StatusCode::kInvalidToken);
  s2.Checkpoint({StepSucceed("s1", "1")});
  s2.ReturnSucceeded("1");
  EXPECT_THAT(
      h.History(arn),
      ElementsAre("1 ExecutionStarted input={} timeout=86400", "2 StepStarted id=s1 sub=Step",
                  "3 StepSucceeded id=s1 sub=Step result=1 attempt=1", "4 InvocationCompleted",
                  "5 ExecutionSucceeded result=1"));
}

TEST(RecoveryTest, TimersSurviveARestartAndSuspendedExecutionsAreNotReinvoked) {
  Harness h;
  std::string arn = h.Start();
  Session s1 = h.Next();
  s1.Checkpoint({WaitStart("w1", 5)});
  s1.ReturnPending();
  h.Restart();
  EXPECT_EQ(h.PendingInvocations(), 0u);
  h.Advance(5000);
  h.Next().ReturnSucceeded("1");
  EXPECT_THAT(h.History(arn),
              ElementsAre("1 ExecutionStarted input={} timeout=86400",
                          "2 WaitStarted id=w1 sub=Wait duration=5", "3 InvocationCompleted",
                          "4 WaitSucceeded id=w1 sub=Wait duration=5", "5 InvocationCompleted",
                          "6 ExecutionSucceeded result=1"));
}

}  // namespace
}  // namespace durable::engine::testing
