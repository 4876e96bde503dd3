// One C++ handler, two runtimes: in-process (linked into the server, checkpointing straight into
// the engine) and as a function process over the Lambda Runtime API and HTTP. Both executions
// must produce the same result and the same history.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "durable/base/ids.h"
#include "durable/server/server.h"
#include "tests/functions/greeter.h"

namespace durable {
namespace {

using model::EventType;

class TwoRuntimesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("durable-two-runtimes-" + NewUuid());
    std::filesystem::create_directories(dir_);
    std::ofstream(dir_ / "template.yaml") << R"(Resources:
  GreeterInProcess:
    Type: AWS::Serverless::Function
    Properties: {Handler: greeter, Timeout: 30}
  GreeterProcess:
    Type: AWS::Serverless::Function
    Metadata: {Command: [")" << GREETER_FUNCTION
                                          << R"("]}
    Properties: {Handler: greeter, Timeout: 30}
)";
    server::ServeOptions o;
    o.port = 0;
    o.db_path = (dir_ / "state.db").string();
    o.template_path = (dir_ / "template.yaml").string();
    auto s = server::DurableServer::Start(o, {{"greeter", testing::Greeter}});
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    server_ = std::move(*s);
  }

  void TearDown() override {
    server_.reset();
    std::filesystem::remove_all(dir_);
  }

  // Runs one execution to the end: waits for its callback, answers it, waits for the result.
  model::DurableExecution Run(const std::string& function) {
    engine::Engine& engine = server_->engine();
    model::StartRequest start;
    start.function_name = function;
    start.payload = R"({"name":"Ada"})";
    auto started = engine.StartExecution(start);
    EXPECT_TRUE(started.ok()) << started.status().ToString();
    const std::string arn = started->execution.arn;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    std::optional<std::string> callback_id;
    while (!callback_id && std::chrono::steady_clock::now() < deadline) {
      auto history = engine.GetHistory(arn, {});
      for (const auto& e : history->events) {
        if (e.type == EventType::kCallbackStarted) callback_id = e.callback_id;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    EXPECT_TRUE(callback_id.has_value()) << function << " never created its callback";
    if (callback_id) EXPECT_TRUE(engine.CallbackSucceed(*callback_id, R"("yes")").ok());
    auto done = engine.AwaitClosed(arn, std::chrono::seconds(20));
    EXPECT_TRUE(done.ok());
    return *done;
  }

  std::vector<std::string> Shape(const std::string& arn) {
    std::vector<std::string> shape;
    auto history = server_->engine().GetHistory(arn, {});
    for (const auto& e : history->events) {
      shape.push_back(std::string(model::ToString(e.type)) + " " + e.name.value_or("") + " " +
                      (e.result && e.result->payload ? *e.result->payload : ""));
    }
    return shape;
  }

  std::filesystem::path dir_;
  std::unique_ptr<server::DurableServer> server_;
};

TEST_F(TwoRuntimesTest, SameHandlerGivesTheSameResultAndHistoryInProcessAndAsAProcess) {
  model::DurableExecution in_process = Run("GreeterInProcess");
  model::DurableExecution process = Run("GreeterProcess");
  ASSERT_EQ(in_process.status, model::ExecutionStatus::kSucceeded);
  ASSERT_EQ(process.status, model::ExecutionStatus::kSucceeded);
  EXPECT_EQ(in_process.result, R"({"answer":"yes","greeting":"Hello, Ada!"})");
  EXPECT_EQ(process.result, in_process.result);
  std::vector<std::string> expected = {
      "ExecutionStarted  ",
      "StepStarted greet ",
      "StepSucceeded greet \"Hello, Ada!\"",
      "WaitStarted pause ",
      "InvocationCompleted  ",
      "WaitSucceeded pause ",
      "CallbackStarted approval ",
      "InvocationCompleted  ",
      "CallbackSucceeded approval \"yes\"",
      "InvocationCompleted  ",
      "ExecutionSucceeded  {\"answer\":\"yes\",\"greeting\":\"Hello, Ada!\"}"};
  EXPECT_EQ(Shape(in_process.arn), expected);
  EXPECT_EQ(Shape(process.arn), expected);
}

}  // namespace
}  // namespace durable
