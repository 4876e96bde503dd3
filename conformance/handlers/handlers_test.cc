// Runs conformance handlers end to end against the SDK's in-memory engine twin
// (MemoryCheckpointClient): timers fire at once, callbacks and chained invokes are completed by
// the test. Checks results, invocation counts and the checkpointed payloads the requirements
// assert. Handlers that kill the process (1-17, 1-18, 3-12) only run under the real engine.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "conformance/handlers/registry.h"
#include "durable/sdk/memory_checkpoint_client.h"

namespace durable::conformance {
namespace {

using model::InvocationStatus;
using model::OperationType;
using sdk::Json;

struct Outcome {
  InvocationStatus status = InvocationStatus::kPending;
  std::optional<Json> result;
  std::optional<model::ErrorObject> error;
  int invocations = 0;
};

class HandlerRunner {
 public:
  explicit HandlerRunner(const std::string& name) : entry_(registry_.Find(name)) {
    EXPECT_NE(entry_, nullptr) << name;
  }

  // Starts the execution and runs invocations until it ends or needs something other than a
  // timer (then `status` is PENDING). `between` runs before each re-invocation.
  Outcome Start(const Json& input,
                const std::function<void(sdk::MemoryCheckpointClient&)>& between = nullptr) {
    model::InvocationInput envelope = client_.Start(input.dump());
    return Continue(envelope, between);
  }

  Outcome Resume(const std::function<void(sdk::MemoryCheckpointClient&)>& between = nullptr) {
    return Continue(client_.NextInvocation(), between);
  }

  std::optional<model::Operation> FindType(OperationType type) const {
    for (const auto& op : client_.operations()) {
      if (op.type == type) return op;
    }
    return std::nullopt;
  }
  sdk::MemoryCheckpointClient& client() { return client_; }
  const std::vector<std::string>& logs() const { return logs_; }

 private:
  Outcome Continue(model::InvocationInput envelope,
                   const std::function<void(sdk::MemoryCheckpointClient&)>& between) {
    Outcome run;
    sdk::RunOptions options;
    options.request_id = "test-request";
    options.checkpoint_retry_backoff_ms = 0;
    options.log_sink = [this](const std::string& line) { logs_.push_back(line); };
    if (entry_->plugins) options.plugins = entry_->plugins();
    for (int i = 0; i < 12; ++i) {
      auto out = sdk::RunDurableInvocation(entry_->handler, envelope, client_, options);
      ++run.invocations;
      EXPECT_TRUE(out.ok()) << out.status().message();
      if (!out.ok()) return run;
      run.status = out->status;
      if (out->status != InvocationStatus::kPending) {
        if (out->result) run.result = Json::parse(*out->result);
        run.error = out->error;
        return run;
      }
      if (between) between(client_);
      if (client_.FireTimers(true) == 0 && !between) return run;
      envelope = client_.NextInvocation();
    }
    return run;
  }

  Registry registry_ = BuildRegistry();
  const HandlerEntry* entry_;
  sdk::MemoryCheckpointClient client_;
  std::vector<std::string> logs_;
};

Json ResultOf(const std::string& name, const Json& input) {
  HandlerRunner runner(name);
  Outcome run = runner.Start(input);
  EXPECT_EQ(run.status, InvocationStatus::kSucceeded) << name;
  return run.result.value_or(Json("<no result>"));
}

TEST(StepHandlersTest, ProduceTheRequiredResults) {
  EXPECT_EQ(ResultOf("1-1", "World"), "Hello, World!");
  EXPECT_EQ(ResultOf("1-2", "World"), "Hello, World!");
  EXPECT_EQ(ResultOf("1-3", nullptr), "first_second");
  EXPECT_EQ(ResultOf("1-4", Json{{"name", "Alice"}, {"tags", {"admin", "active"}}}),
            (Json{{"user", {{"name", "Alice"}, {"tags", {"admin", "active"}}}}, {"count", 2}}));
  EXPECT_EQ(ResultOf("1-5", nullptr), nullptr);
  EXPECT_EQ(ResultOf("1-6", "hello world"), "HELLO WORLD");
  EXPECT_EQ(ResultOf("1-20", nullptr), "fallback_result");
}

TEST(StepHandlersTest, RetryUntilTheRequiredAttempt) {
  HandlerRunner retried("1-11");
  Outcome run = retried.Start(nullptr);
  EXPECT_EQ(run.status, InvocationStatus::kSucceeded);
  EXPECT_EQ(run.invocations, 2);
  EXPECT_EQ(run.result, Json("Operation succeeded"));

  HandlerRunner exhausted("1-12");
  run = exhausted.Start(nullptr);
  EXPECT_EQ(run.status, InvocationStatus::kFailed);
  EXPECT_EQ(run.invocations, 4);

  HandlerRunner custom("1-14");
  run = custom.Start(nullptr);
  EXPECT_EQ(run.status, InvocationStatus::kSucceeded);
  EXPECT_EQ(run.invocations, 3);
  std::vector<int64_t> delays;
  for (const auto& request : custom.client().requests()) {
    for (const auto& u : request.updates) {
      if (u.action == model::OperationAction::kRetry && u.step_options) {
        delays.push_back(u.step_options->next_attempt_delay_seconds.value_or(-1));
      }
    }
  }
  EXPECT_EQ(delays, (std::vector<int64_t>{2, 6}));

  HandlerRunner not_retried("1-16");
  run = not_retried.Start(nullptr);
  EXPECT_EQ(run.status, InvocationStatus::kFailed);
  ASSERT_TRUE(run.error.has_value());
  EXPECT_EQ(run.error->error_type, "TransientError");
}

TEST(WaitAndChildHandlersTest, SuspendAndResume) {
  HandlerRunner waits("2-3");
  Outcome run = waits.Start(nullptr);
  EXPECT_EQ(run.invocations, 3);
  EXPECT_EQ(run.result, (Json{{"completedWaits", 2}}));

  EXPECT_EQ(ResultOf("3-6", "abc"), "abc");
  EXPECT_EQ(ResultOf("3-14", "hello child"), "HELLO CHILD");
  HandlerRunner serdes("3-14");
  serdes.Start("hello child");
  auto context = serdes.FindType(OperationType::kContext);
  ASSERT_TRUE(context && context->context_details);
  EXPECT_EQ(context->context_details->result, "HELLO CHILD");

  HandlerRunner failing("3-4");
  EXPECT_EQ(failing.Start(nullptr).status, InvocationStatus::kFailed);
}

TEST(WaitForConditionHandlersTest, PollUntilDone) {
  EXPECT_EQ(ResultOf("6-1", 3), 3);
  EXPECT_EQ(ResultOf("6-4", 8), 8);
  EXPECT_EQ(ResultOf("6-9", nullptr), (Json{{"status", "DONE"}, {"attempts", 2}}));
  EXPECT_EQ(ResultOf("6-11", nullptr), "xx");
  EXPECT_EQ(ResultOf("6-12", 2), 20);
  EXPECT_EQ(ResultOf("6-13", nullptr), 4);
  EXPECT_EQ(ResultOf("6-8", nullptr), "recovered");
  HandlerRunner exhausted("6-6");
  EXPECT_EQ(exhausted.Start(0).status, InvocationStatus::kFailed);
}

TEST(CallbackHandlersTest, DeserializeWithCustomSerdes) {
  HandlerRunner runner("4-16");
  Outcome run = runner.Start("cb", [](sdk::MemoryCheckpointClient& client) {
    for (const auto& op : client.operations()) {
      if (op.type == OperationType::kCallback && op.status == model::OperationStatus::kStarted) {
        EXPECT_TRUE(client.SucceedCallback(*op.callback_details->callback_id, "42").ok());
      }
    }
  });
  EXPECT_EQ(run.status, InvocationStatus::kSucceeded);
  EXPECT_EQ(run.result, (Json{{"count", 42}, {"doubled", 84}}));
}

TEST(BatchHandlersTest, ProjectCompletionPolicies) {
  EXPECT_EQ(ResultOf("8-1", nullptr), (Json{"task-1", "task-2"}));
  EXPECT_EQ(ResultOf("8-4", nullptr), (Json{"hello", 42, {{"k", "v"}}}));
  EXPECT_EQ(ResultOf("8-6", nullptr), (Json{{"completionReason", "FAILURE_TOLERANCE_EXCEEDED"},
                                            {"status", "FAILED"},
                                            {"successCount", 1},
                                            {"failureCount", 1},
                                            {"totalCount", 2}}));
  EXPECT_EQ(ResultOf("8-22", nullptr), (Json{{"completionReason", "ALL_COMPLETED"},
                                             {"status", "FAILED"},
                                             {"successCount", 3},
                                             {"failureCount", 1},
                                             {"totalCount", 4}}));
  EXPECT_EQ(ResultOf("8-15", nullptr), (Json{"x", "y"}));
  EXPECT_EQ(ResultOf("8-21", nullptr), Json::array({Json::array({"i1", "i2"})}));
  EXPECT_EQ(ResultOf("9-3", Json{10, 20, 30}), (Json{10, 21, 32}));
  EXPECT_EQ(ResultOf("9-13", Json{1, 2}), (Json{10, 20}));
  EXPECT_EQ(ResultOf("9-14", nullptr), (Json{"X", "Y"}));
  EXPECT_EQ(ResultOf("9-16", nullptr), (Json{{"successCount", 4}, {"totalCount", 4}}));
  HandlerRunner invalid("8-19");
  EXPECT_EQ(invalid.Start(nullptr).status, InvocationStatus::kFailed);
}

TEST(BatchHandlersTest, OperationLevelSerdesSurvivesReplay) {
  HandlerRunner runner("9-20");
  Outcome run = runner.Start(nullptr);
  EXPECT_EQ(run.invocations, 2);
  EXPECT_EQ(run.result, (Json{"X", "Y"}));
  auto map = runner.FindType(OperationType::kContext);
  ASSERT_TRUE(map && map->context_details);
  EXPECT_EQ(map->sub_type, "Map");
  EXPECT_EQ(map->context_details->result, "OPSERDE:X,Y");
}

TEST(PluginHandlersTest, ProbesPrintRecordsStampedWithTheArn) {
  HandlerRunner runner("10-16");
  testing::internal::CaptureStdout();
  Outcome run = runner.Start(nullptr);
  std::string out = testing::internal::GetCapturedStdout();
  EXPECT_EQ(run.status, InvocationStatus::kSucceeded);
  std::vector<Json> records;
  size_t start = 0;
  for (size_t end; (end = out.find('\n', start)) != std::string::npos; start = end + 1) {
    Json line = Json::parse(out.substr(start, end - start), nullptr, false);
    if (line.is_object() && line.value("plugin", "") == "CONFPLUGIN") records.push_back(line);
  }
  ASSERT_EQ(records.size(), 4u) << out;
  EXPECT_EQ(records[1].value("hook", ""), "invocation-end");
  EXPECT_EQ(records[1].value("first", false), true);
  EXPECT_EQ(records[1].value("terminal", true), false);
  EXPECT_EQ(records[3].value("terminal", false), true);
  EXPECT_EQ(records[3].value("status", ""), "SUCCEEDED");
  for (const auto& r : records) {
    EXPECT_EQ(r.value("durableExecutionArn", ""), sdk::MemoryCheckpointClient::kDefaultArn);
  }
}

}  // namespace
}  // namespace durable::conformance
