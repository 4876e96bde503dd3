// End to end: real http::Server on port 0, real function processes (tests/functions).
#include "durable/host/process_invoker.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <future>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "durable/base/ids.h"
#include "durable/host/host_test_util.h"

namespace durable::host {
namespace {

using std::chrono::milliseconds;

constexpr int64_t kIdleTimeoutMs = 1000;

constexpr char kTemplate[] = R"(
Globals:
  Function:
    Timeout: 20
Resources:
  Echo:     {Type: AWS::Serverless::Function, Metadata: {Command: [FN]}, Properties: {Handler: echo}}
  Pid:      {Type: AWS::Serverless::Function, Metadata: {Command: [FN]}, Properties: {Handler: pid}}
  Errorer:  {Type: AWS::Serverless::Function, Metadata: {Command: [FN]}, Properties: {Handler: error}}
  BadOut:   {Type: AWS::Serverless::Function, Metadata: {Command: [FN]}, Properties: {Handler: bad-output}}
  InitFail: {Type: AWS::Serverless::Function, Metadata: {Command: [FN]}, Properties: {Handler: init-error}}
  ExitEarly: {Type: AWS::Serverless::Function, Metadata: {Command: [FN]}, Properties: {Handler: exit-at-start}}
  EnvFn:
    Type: AWS::Serverless::Function
    Metadata: {Command: [FN]}
    Properties:
      Handler: env
      Timeout: 7
      Environment: {Variables: {CUSTOM: from-template, AWS_REGION: eu-west-1}}
  Crash:
    Type: AWS::Serverless::Function
    Metadata: {Command: [FN]}
    Properties:
      Handler: crash
      Environment: {Variables: {CRASH_MARKER: DIR/crash.marker}}
  Sleeper:
    Type: AWS::Serverless::Function
    Metadata: {Command: [FN]}
    Properties:
      Handler: sleep
      Environment: {Variables: {SLEEP_MS: "5000"}}
  Pool:
    Type: AWS::Serverless::Function
    Metadata: {Command: [FN]}
    Properties:
      Handler: sleep
      ReservedConcurrentExecutions: 2
      Environment: {Variables: {SLEEP_MS: "400"}}
)";

std::string Replace(std::string s, const std::string& from, const std::string& to) {
  for (size_t p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size())) {
    s.replace(p, from.size(), to);
  }
  return s;
}

class ProcessInvokerTest : public ::testing::Test {
 protected:
  void SetUp() override {
#ifndef DURABLE_TEST_FUNCTION
    GTEST_SKIP() << "built without tests/functions (DURABLE_TEST_FUNCTION)";
#define DURABLE_TEST_FUNCTION ""
#endif
    dir_ = std::filesystem::temp_directory_path() / ("durable-host-test-" + RandomAlnum(8));
    std::filesystem::create_directories(dir_);
    std::string yaml = Replace(Replace(kTemplate, "FN", DURABLE_TEST_FUNCTION), "DIR", dir_);
    auto tpl = ParseTemplate(yaml, dir_.string());
    ASSERT_TRUE(tpl.ok()) << tpl.status().ToString();

    ProcessInvokerOptions options;
    options.template_dir = dir_.string();
    options.init_error_backoff_ms = 60'000;
    options.idle_timeout_ms = kIdleTimeoutMs;
    Customize(options);
    Status started = host_.Start(*tpl, options, 24);
    ASSERT_TRUE(started.ok()) << started.ToString();
  }

  virtual void Customize(ProcessInvokerOptions& options) {}

  void TearDown() override {
    host_.Stop();
    std::filesystem::remove_all(dir_);
  }

  static engine::InvocationRequest Request(const std::string& fn, const std::string& payload,
                                           int64_t timeout_ms = 0) {
    return testing::MakeRequest(fn, payload, timeout_ms);
  }
  std::future<engine::InvocationResult> InvokeAsync(engine::InvocationRequest request) {
    return testing::InvokeAsync(*host_.invoker, std::move(request));
  }
  engine::InvocationResult Invoke(engine::InvocationRequest request) {
    return testing::InvokeAndWait(*host_.invoker, std::move(request));
  }

  static std::string ResultOf(const engine::InvocationResult& r) {
    EXPECT_TRUE(r.output.has_value())
        << (r.function_error ? r.function_error->error_type.value_or("") + ": " +
                                   r.function_error->error_message.value_or("")
                             : "no output");
    return r.output ? r.output->result.value_or("") : "";
  }

  bool HasLog(const std::string& fn, const std::string& stream, const std::string& needle,
              TimestampMs since) {
    for (const LogLine& line : host_.invoker->logs().Since(fn, since)) {
      if (line.stream == stream && line.message.find(needle) != std::string::npos) return true;
    }
    return false;
  }

  std::filesystem::path dir_;
  testing::InvokerUnderTest host_;
};

TEST_F(ProcessInvokerTest, EchoReturnsTheInputPayloadAndItsLogLineIsCaptured) {
  TimestampMs start = SystemClock::Get()->NowMs();
  auto request = Request("Echo", R"({"hello":"world"})");
  const std::string id = request.request_id;
  auto r = Invoke(request);
  ASSERT_TRUE(r.output.has_value());
  EXPECT_EQ(r.output->status, model::InvocationStatus::kSucceeded);
  EXPECT_EQ(r.output->result.value_or(""), R"({"hello":"world"})");
  EXPECT_TRUE(HasLog("Echo", "stdout", "handling " + id, start));

  http::Client client("http://127.0.0.1:" + std::to_string(host_.port));
  auto res = client.Send("GET", "/durable/v1/functions/Echo/logs?since=" + std::to_string(start));
  ASSERT_TRUE(res.ok());
  ASSERT_EQ(res->status, 200);
  auto doc = nlohmann::json::parse(res->body);
  bool found = false;
  for (const auto& line : doc["lines"]) {
    EXPECT_GE(line["timestamp"].get<int64_t>(), start);
    auto message = nlohmann::json::parse(line["message"].get<std::string>());
    if (message["message"] == "handling " + id + " in echo") {
      found = true;
      EXPECT_EQ(line["stream"], "stdout");
      EXPECT_EQ(message["durableExecutionArn"], request.input.durable_execution_arn);
    }
  }
  EXPECT_TRUE(found) << res->body;
  auto future = client.Send("GET", "/durable/v1/functions/Echo/logs?since=" +
                                       std::to_string(SystemClock::Get()->NowMs() + 60'000));
  ASSERT_TRUE(future.ok());
  EXPECT_EQ(nlohmann::json::parse(future->body)["lines"].size(), 0u);
}

TEST_F(ProcessInvokerTest, ProcessGetsTheLambdaEnvironmentAndItsOwnRuntimeApiBase) {
  auto env = nlohmann::json::parse(ResultOf(Invoke(Request("EnvFn", "{}"))));
  const std::string api = env["AWS_LAMBDA_RUNTIME_API"];
  const std::string prefix = "127.0.0.1:" + std::to_string(host_.port) + "/runtime/";
  ASSERT_EQ(api.rfind(prefix, 0), 0u) << api;
  EXPECT_GE(api.size(), prefix.size() + 16);  // a per-process token
  EXPECT_EQ(env["AWS_ENDPOINT_URL_LAMBDA"], "http://127.0.0.1:" + std::to_string(host_.port));
  EXPECT_EQ(env["AWS_REGION"], "us-east-1");  // reserved: the template cannot override it
  EXPECT_EQ(env["AWS_DEFAULT_REGION"], "us-east-1");
  EXPECT_FALSE(env["AWS_ACCESS_KEY_ID"].get<std::string>().empty());
  EXPECT_FALSE(env["AWS_SECRET_ACCESS_KEY"].get<std::string>().empty());
  EXPECT_EQ(env["AWS_LAMBDA_FUNCTION_NAME"], "EnvFn");
  EXPECT_EQ(env["AWS_LAMBDA_FUNCTION_VERSION"], "$LATEST");
  EXPECT_EQ(env["AWS_LAMBDA_FUNCTION_TIMEOUT"], "7");
  EXPECT_EQ(env["_HANDLER"], "env");
  EXPECT_EQ(env["LAMBDA_TASK_ROOT"], dir_.string());
  EXPECT_EQ(env["PWD_AT_START"], dir_.string());
  EXPECT_EQ(env["CUSTOM"], "from-template");
  EXPECT_FALSE(env["PATH"].get<std::string>().empty());
}

TEST_F(ProcessInvokerTest, ReusesTheIdleProcess) {
  std::string first = ResultOf(Invoke(Request("Pid", "{}")));
  std::string second = ResultOf(Invoke(Request("Pid", "{}")));
  EXPECT_FALSE(first.empty());
  EXPECT_EQ(first, second);
  EXPECT_EQ(host_.invoker->ProcessCount("Pid"), 1u);
}

TEST_F(ProcessInvokerTest, IdleProcessIsStoppedAfterTheIdleTimeout) {
  ResultOf(Invoke(Request("Pid", "{}")));
  auto idle_start = std::chrono::steady_clock::now();
  ASSERT_EQ(host_.invoker->ProcessCount("Pid"), 1u);
  while (host_.invoker->ProcessCount("Pid") > 0 &&
         std::chrono::steady_clock::now() - idle_start < std::chrono::seconds(10)) {
    std::this_thread::sleep_for(milliseconds(20));
  }
  EXPECT_EQ(host_.invoker->ProcessCount("Pid"), 0u);
  EXPECT_GE(std::chrono::steady_clock::now() - idle_start, milliseconds(kIdleTimeoutMs));
  EXPECT_FALSE(ResultOf(Invoke(Request("Pid", "{}"))).empty());  // a new process starts
}

class ProcessInvokerIdleCapTest : public ProcessInvokerTest {
 protected:
  void Customize(ProcessInvokerOptions& options) override { options.max_idle_processes = 1; }
};

TEST_F(ProcessInvokerIdleCapTest, LeastRecentlyUsedIdleProcessesStopBeyondTheCap) {
  ResultOf(Invoke(Request("Pid", "{}")));
  ResultOf(Invoke(Request("Echo", "{}")));
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (host_.invoker->ProcessCount("Pid") > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(milliseconds(20));
  }
  EXPECT_EQ(host_.invoker->ProcessCount("Pid"), 0u);
  EXPECT_EQ(host_.invoker->ProcessCount("Echo"), 1u);
}

TEST_F(ProcessInvokerTest, CrashFailsTheInvocationWithExitErrorAndTheProcessIsReplaced) {
  TimestampMs start = SystemClock::Get()->NowMs();
  auto request = Request("Crash", "{}");
  auto crashed = Invoke(request);
  ASSERT_TRUE(crashed.function_error.has_value());
  EXPECT_EQ(crashed.function_error->error_type.value_or(""), "Runtime.ExitError");
  EXPECT_EQ(
      crashed.function_error->error_message.value_or(""),
      "RequestId: " + request.request_id + " Error: Runtime exited with error: exit status 3");
  EXPECT_TRUE(HasLog("Crash", "stderr", "crashing on purpose", start));
  EXPECT_EQ(host_.invoker->ProcessCount("Crash"), 0u);

  std::string crashed_pid;
  std::ifstream(dir_ / "crash.marker") >> crashed_pid;
  std::string replacement_pid = ResultOf(Invoke(Request("Crash", "{}")));
  EXPECT_FALSE(replacement_pid.empty());
  EXPECT_NE(replacement_pid, crashed_pid);
  EXPECT_EQ(host_.invoker->ProcessCount("Crash"), 1u);
}

TEST_F(ProcessInvokerTest, InvocationPastTheTimeoutKillsTheProcess) {
  auto begin = std::chrono::steady_clock::now();
  auto r = Invoke(Request("Sleeper", "{}", /*timeout_ms=*/300));
  auto elapsed = std::chrono::steady_clock::now() - begin;
  ASSERT_TRUE(r.function_error.has_value());
  EXPECT_EQ(r.function_error->error_type.value_or(""), "Sandbox.Timedout");
  EXPECT_EQ(r.function_error->error_message.value_or(""), "Task timed out after 0.30 seconds");
  EXPECT_LT(elapsed, std::chrono::seconds(4));  // the 5 s sleep was cut short
  EXPECT_EQ(host_.invoker->ProcessCount("Sleeper"), 0u);
}

TEST_F(ProcessInvokerTest, PoolGrowsUpToMaxConcurrencyAndNoFurther) {
  std::vector<std::future<engine::InvocationResult>> futures;
  for (int i = 0; i < 4; ++i) futures.push_back(InvokeAsync(Request("Pool", "{}")));
  size_t max_seen = 0;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (futures.back().wait_for(milliseconds(5)) != std::future_status::ready &&
         std::chrono::steady_clock::now() < deadline) {
    max_seen = std::max(max_seen, host_.invoker->ProcessCount("Pool"));
  }
  std::set<std::string> pids;
  for (auto& f : futures) {
    ASSERT_EQ(f.wait_for(std::chrono::seconds(20)), std::future_status::ready);
    pids.insert(ResultOf(f.get()));
  }
  EXPECT_EQ(max_seen, 2u);
  EXPECT_EQ(pids.size(), 2u);  // four invocations shared two processes
  EXPECT_EQ(host_.invoker->ProcessCount("Pool"), 2u);
}

TEST_F(ProcessInvokerTest, RuntimeErrorBodyBecomesTheFunctionError) {
  auto r = Invoke(Request("Errorer", "{}"));
  ASSERT_TRUE(r.function_error.has_value());
  EXPECT_EQ(r.function_error->error_type.value_or(""), "TestError");
  EXPECT_EQ(r.function_error->error_message.value_or(""), "failed on purpose");
  EXPECT_EQ(r.function_error->stack_trace.value_or(std::vector<std::string>{}),
            (std::vector<std::string>{"at a", "at b"}));
}

TEST_F(ProcessInvokerTest, UnparseableOutputIsAFunctionError) {
  auto r = Invoke(Request("BadOut", "{}"));
  ASSERT_TRUE(r.function_error.has_value());
  EXPECT_EQ(r.function_error->error_type.value_or(""), "Runtime.InvalidOutput");
}

TEST_F(ProcessInvokerTest, InitErrorFailsPendingInvocationsAndBacksOff) {
  auto r = Invoke(Request("InitFail", "{}"));
  ASSERT_TRUE(r.function_error.has_value());
  EXPECT_EQ(r.function_error->error_type.value_or(""), "TestInitError");
  EXPECT_EQ(r.function_error->error_message.value_or(""), "init failed on purpose");
  auto again = Invoke(Request("InitFail", "{}"));  // within the back-off: fails fast
  ASSERT_TRUE(again.function_error.has_value());
  EXPECT_EQ(again.function_error->error_type.value_or(""), "TestInitError");
}

TEST_F(ProcessInvokerTest, ProcessExitingBeforeAskingForWorkIsAnInitFailure) {
  auto r = Invoke(Request("ExitEarly", "{}"));
  ASSERT_TRUE(r.function_error.has_value());
  EXPECT_EQ(r.function_error->error_type.value_or(""), "Runtime.ExitError");
  EXPECT_NE(r.function_error->error_message.value_or("").find("exit status 2"), std::string::npos);
}

TEST_F(ProcessInvokerTest, ShutdownTerminatesTheProcesses) {
  pid_t pid = std::stoi(ResultOf(Invoke(Request("Pid", "{}"))));
  ASSERT_EQ(kill(pid, 0), 0);
  host_.invoker->Shutdown();
  EXPECT_EQ(kill(pid, 0), -1);  // gone and reaped
  EXPECT_EQ(host_.invoker->ProcessCount("Pid"), 0u);
  auto r = Invoke(Request("Pid", "{}"));
  ASSERT_TRUE(r.function_error.has_value());
  EXPECT_EQ(r.function_error->error_type.value_or(""), "Sandbox.Shutdown");
}

TEST_F(ProcessInvokerTest, UnknownFunctionsAndTokensAreRejected) {
  EXPECT_TRUE(host_.invoker->Has("Echo"));
  EXPECT_FALSE(host_.invoker->Has("Nope"));
  auto r = Invoke(Request("Nope", "{}"));
  ASSERT_TRUE(r.function_error.has_value());
  EXPECT_EQ(r.function_error->error_type.value_or(""), "ResourceNotFoundException");
  http::Client client("http://127.0.0.1:" + std::to_string(host_.port));
  auto res = client.Send("GET", "/runtime/bogus/2018-06-01/runtime/invocation/next");
  ASSERT_TRUE(res.ok());
  EXPECT_EQ(res->status, 403);
}

TEST_F(ProcessInvokerTest, AddFunctionRejectsWhatItCannotRun) {
  FunctionSpec python;
  python.name = "Python";
  python.handler = "index.handler";
  python.runtime = "python3.13";
  python.code_uri = dir_.string();
  EXPECT_EQ(host_.invoker->AddFunction(python).code(), StatusCode::kInvalidArgument);
  FunctionSpec in_process;
  in_process.name = "InProc";
  in_process.handler = "h";
  EXPECT_FALSE(host_.invoker->AddFunction(in_process).ok());
  EXPECT_FALSE(host_.invoker->Has("InProc"));
}

}  // namespace
}  // namespace durable::host
