#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>

#include "durable/sdk/operation_id.h"
#include "durable/sdk/test_util.h"

namespace durable::sdk {
namespace {

using model::InvocationStatus;
using model::OperationAction;
using model::OperationStatus;
using testing::Harness;

struct TransientError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

RetryStrategy FixedRetry(int max_attempts, int64_t delay) {
  return [=](const model::ErrorObject&, int attempt) {
    return RetryDecision{attempt < max_attempts, delay};
  };
}

TEST(StepTest, RunsBodyAndBatchesStartWithSucceed) {
  Harness h;
  auto out = h.Start(
      [](DurableContext& ctx, const Json& event) {
        return ctx.Step("greet",
                        [&](StepContext&) { return "Hello, " + event.get<std::string>(); });
      },
      "\"Ada\"");
  ASSERT_EQ(out.status, InvocationStatus::kSucceeded);
  EXPECT_EQ(*out.result, "\"Hello, Ada\"");
  auto requests = h.client.requests();
  ASSERT_EQ(requests.size(), 1u);
  ASSERT_EQ(requests[0].updates.size(), 2u);
  EXPECT_EQ(requests[0].updates[0].action, OperationAction::kStart);
  EXPECT_EQ(requests[0].updates[1].action, OperationAction::kSucceed);
  EXPECT_EQ(requests[0].updates[0].id, HashOperationId("1"));
  EXPECT_EQ(requests[0].updates[0].name, "greet");
  EXPECT_EQ(requests[0].updates[0].sub_type, "Step");
  EXPECT_EQ(requests[0].updates[1].payload, "\"Hello, Ada\"");
  EXPECT_TRUE(requests[0].client_token.has_value());
}

TEST(StepTest, ReplayReturnsCheckpointedResultWithoutRerunningBody) {
  Harness h;
  std::atomic<int> runs{0};
  Handler handler = [&](DurableContext& ctx, const Json&) {
    int v = ctx.Step("count", [&] { return ++runs * 10; });
    ctx.Wait(std::chrono::seconds(2));
    return Json(v + 1);
  };
  auto out = h.Start(handler);
  ASSERT_EQ(out.status, InvocationStatus::kPending);
  h.clock.AdvanceMs(2000);
  ASSERT_EQ(h.client.FireTimers(), 1);
  out = h.Next(handler);
  ASSERT_EQ(out.status, InvocationStatus::kSucceeded);
  EXPECT_EQ(*out.result, "11");
  EXPECT_EQ(runs.load(), 1);
}

TEST(StepTest, RecordedErrorIsRethrownOnReplay) {
  Harness h;
  int runs = 0;
  Handler handler = [&](DurableContext& ctx, const Json&) {
    std::string caught;
    try {
      ctx.Step(
          "fails",
          [&]() -> Json {
            ++runs;
            throw std::runtime_error("boom");
          },
          StepConfig<Json>{NoRetry()});
    } catch (const StepError& e) {
      caught = e.error_message() + "/" + e.error_type();
    }
    ctx.Wait(std::chrono::seconds(1));
    return Json(caught);
  };
  ASSERT_EQ(h.Start(handler).status, InvocationStatus::kPending);
  h.client.FireTimers(true);
  auto out = h.Next(handler);
  ASSERT_EQ(out.status, InvocationStatus::kSucceeded);
  EXPECT_EQ(*out.result, "\"boom/std::runtime_error\"");
  EXPECT_EQ(runs, 1);
}

TEST(StepTest, RetriesWithCheckpointedDelayThenSucceeds) {
  Harness h;
  int runs = 0;
  Handler handler = [&](DurableContext& ctx, const Json&) {
    return ctx.Step(
        "flaky",
        [&](StepContext& sc) {
          ++runs;
          if (sc.attempt() == 1) throw TransientError("try again");
          return Json(sc.attempt());
        },
        StepConfig<Json>{FixedRetry(3, 7)});
  };
  auto out = h.Start(handler);
  ASSERT_EQ(out.status, InvocationStatus::kPending);
  auto updates = h.AllUpdates();
  ASSERT_EQ(updates.size(), 2u);
  EXPECT_EQ(updates[1].action, OperationAction::kRetry);
  EXPECT_EQ(updates[1].step_options->next_attempt_delay_seconds, 7);
  EXPECT_EQ(updates[1].error->error_message, "try again");
  EXPECT_EQ(*updates[1].error->error_type, "durable::sdk::(anonymous namespace)::TransientError");
  // Not yet due: the step stays PENDING and the invocation suspends again without running it.
  EXPECT_EQ(h.client.FireTimers(), 0);
  ASSERT_EQ(h.Next(handler).status, InvocationStatus::kPending);
  EXPECT_EQ(runs, 1);
  h.clock.AdvanceMs(7000);
  EXPECT_EQ(h.client.FireTimers(), 1);
  out = h.Next(handler);
  ASSERT_EQ(out.status, InvocationStatus::kSucceeded);
  EXPECT_EQ(*out.result, "2");
  auto op = h.client.operation(HashOperationId("1"));
  EXPECT_EQ(op->status, OperationStatus::kSucceeded);
  EXPECT_EQ(op->step_details->attempt, 2);
}

TEST(StepTest, ExhaustedRetriesFailTheExecution) {
  Harness h;
  int runs = 0;
  auto out = h.RunToEnd([&](DurableContext& ctx, const Json&) {
    return ctx.Step(
        "always",
        [&]() -> Json {
          ++runs;
          throw std::runtime_error("boom");
        },
        StepConfig<Json>{FixedRetry(4, 1)});
  });
  ASSERT_EQ(out.status, InvocationStatus::kFailed);
  EXPECT_EQ(out.error->error_message, "boom");
  EXPECT_EQ(runs, 4);
  auto updates = h.AllUpdates();
  ASSERT_FALSE(updates.empty());
  EXPECT_EQ(updates.back().action, OperationAction::kFail);
  EXPECT_EQ(h.client.operation(HashOperationId("1"))->step_details->attempt, 4);
}

TEST(StepTest, RetryPredicateRefusesOtherErrors) {
  Harness h;
  RetryOptions ro;
  ro.retryable_errors = {"TransientError"};
  ro.initial_delay_seconds = 1;
  auto out = h.Start([&](DurableContext& ctx, const Json&) {
    return ctx.Step(
        "s", []() -> Json { throw std::logic_error("permanent"); },
        StepConfig<Json>{ExponentialBackoff(ro)});
  });
  ASSERT_EQ(out.status, InvocationStatus::kFailed);
  EXPECT_EQ(h.AllUpdates().back().action, OperationAction::kFail);
}

TEST(StepTest, AtMostOnceSendsStartAloneBeforeRunningBody) {
  Harness h;
  size_t requests_seen_in_body = 0;
  auto out = h.Start([&](DurableContext& ctx, const Json&) {
    return ctx.Step(
        "once",
        [&] {
          requests_seen_in_body = h.client.requests().size();
          return 1;
        },
        StepConfig<int>{NoRetry(), StepSemantics::kAtMostOncePerRetry});
  });
  ASSERT_EQ(out.status, InvocationStatus::kSucceeded);
  EXPECT_EQ(requests_seen_in_body, 1u);
  EXPECT_EQ(h.client.requests().size(), 2u);
}

// Simulates a crash: the START of step "1" was checkpointed by an earlier invocation.
model::InvocationInput StartedStepState(Harness& h) {
  auto first = h.client.Start("{}");
  model::OperationUpdate u;
  u.id = HashOperationId("1");
  u.type = model::OperationType::kStep;
  u.sub_type = "Step";
  u.name = "crashy";
  u.action = OperationAction::kStart;
  EXPECT_TRUE(
      h.client.Checkpoint(first.durable_execution_arn, {first.checkpoint_token, "c", {u}}).ok());
  return h.client.NextInvocation();
}

TEST(StepTest, AtMostOnceInterruptedStepFailsWithoutRerunning) {
  Harness h;
  int runs = 0;
  auto out = h.Invoke(
      [&](DurableContext& ctx, const Json&) {
        return ctx.Step(
            "crashy", [&] { return ++runs; },
            StepConfig<int>{NoRetry(), StepSemantics::kAtMostOncePerRetry});
      },
      StartedStepState(h));
  ASSERT_EQ(out.status, InvocationStatus::kFailed);
  EXPECT_EQ(out.error->error_type, "StepInterruptedError");
  EXPECT_EQ(runs, 0);
}

TEST(StepTest, AtLeastOnceInterruptedStepRerunsWithoutNewStart) {
  Harness h;
  int runs = 0;
  auto out = h.Invoke(
      [&](DurableContext& ctx, const Json&) { return ctx.Step("crashy", [&] { return ++runs; }); },
      StartedStepState(h));
  ASSERT_EQ(out.status, InvocationStatus::kSucceeded);
  EXPECT_EQ(runs, 1);
  auto last = h.client.requests().back();
  ASSERT_EQ(last.updates.size(), 1u);
  EXPECT_EQ(last.updates[0].action, OperationAction::kSucceed);
}

TEST(StepTest, CustomSerdesShapesThePayload) {
  Harness h;
  Serdes<std::string> upper{[](const std::string& s) {
                              std::string u = s;
                              for (auto& c : u) c = static_cast<char>(std::toupper(c));
                              return u;
                            },
                            [](const std::string& p) { return p; }};
  auto out = h.Start([&](DurableContext& ctx, const Json&) {
    return Json(ctx.Step(
        "s", [] { return std::string("hello"); }, StepConfig<std::string>{{}, {}, upper}));
  });
  ASSERT_EQ(out.status, InvocationStatus::kSucceeded);
  EXPECT_EQ(h.AllUpdates()[1].payload, "HELLO");
  EXPECT_EQ(*out.result, "\"HELLO\"");
}

TEST(StepTest, NameChangeOnReplayFailsAsNonDeterministic) {
  Harness h;
  std::string name = "a";
  Handler handler = [&](DurableContext& ctx, const Json&) {
    ctx.Step(name, [] { return 1; });
    ctx.Wait(std::chrono::seconds(1));
    return Json("done");
  };
  ASSERT_EQ(h.Start(handler).status, InvocationStatus::kPending);
  h.client.FireTimers(true);
  name = "b";
  auto out = h.Next(handler);
  ASSERT_EQ(out.status, InvocationStatus::kFailed);
  EXPECT_EQ(out.error->error_type, "NonDeterministicExecutionError");
}

TEST(StepTest, TypeChangeOnReplayFailsEvenWhenUserCatchesEverythingStandard) {
  Harness h;
  bool use_wait = false;
  Handler handler = [&](DurableContext& ctx, const Json&) {
    try {
      if (use_wait) {
        ctx.Wait("x", std::chrono::seconds(1));
      } else {
        ctx.Step("x", [] { return 1; });
      }
    } catch (const std::exception&) {
    }
    ctx.Wait(std::chrono::seconds(1));
    return Json("done");
  };
  ASSERT_EQ(h.Start(handler).status, InvocationStatus::kPending);
  use_wait = true;
  auto out = h.Next(handler);
  ASSERT_EQ(out.status, InvocationStatus::kFailed);
  EXPECT_EQ(out.error->error_type, "NonDeterministicExecutionError");
}

TEST(RetryTest, DefaultBackoffMatchesAwsDefaults) {
  RetryOptions o;
  EXPECT_EQ(BackoffDelaySeconds(o, 1, 0.999), 5);
  EXPECT_EQ(BackoffDelaySeconds(o, 2, 0.999), 10);
  EXPECT_EQ(BackoffDelaySeconds(o, 1, 0.0), 1);  // clamped to >= 1 s
  EXPECT_EQ(BackoffDelaySeconds(o, 10, 0.999), 60);
  auto strategy = DefaultRetryStrategy();
  EXPECT_TRUE(strategy({}, 5).should_retry);
  EXPECT_FALSE(strategy({}, 6).should_retry);
  for (int i = 0; i < 50; ++i) {
    auto d = strategy({}, 1);
    EXPECT_GE(d.delay_seconds, 1);
    EXPECT_LE(d.delay_seconds, 5);
  }
}

TEST(RetryTest, NoJitterGivesExactExponentialDelays) {
  RetryOptions o;
  o.initial_delay_seconds = 2;
  o.backoff_rate = 3;
  o.jitter = Jitter::kNone;
  EXPECT_EQ(BackoffDelaySeconds(o, 1, 0.5), 2);
  EXPECT_EQ(BackoffDelaySeconds(o, 2, 0.5), 6);
}

}  // namespace
}  // namespace durable::sdk
