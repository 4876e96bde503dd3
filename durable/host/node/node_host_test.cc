// End to end: Node.js functions (tiny handlers in a temp dir) run through the embedded bootstrap
// by a real ProcessInvoker behind a real http::Server on port 0. Skipped if `node` is missing.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "durable/base/ids.h"
#include "durable/host/host_test_util.h"
#include "durable/host/process_invoker.h"

namespace durable::host {
namespace {

constexpr char kTemplate[] = R"(
Globals:
  Function:
    Runtime: nodejs20.x
    CodeUri: .
    Timeout: 20
Resources:
  Esm:     {Type: AWS::Serverless::Function, Properties: {Handler: esm.handler}}
  Cjs:     {Type: AWS::Serverless::Function, Properties: {Handler: lib/cjs.run, Runtime: nodejs22.x}}
  Thrower: {Type: AWS::Serverless::Function, Properties: {Handler: esm.fails}}
  Missing: {Type: AWS::Serverless::Function, Properties: {Handler: nothere.handler}}
  Uncaught: {Type: AWS::Serverless::Function, Properties: {Handler: esm.uncaught}}
)";

// Returns a durable invocation output whose Result is what the handler saw.
constexpr char kEsm[] = R"(
export const handler = async (event, context) => ({
  Status: "SUCCEEDED",
  Result: JSON.stringify({
    arn: event.DurableExecutionArn,
    requestId: context.awsRequestId,
    functionName: context.functionName,
    invoked: context.invokedFunctionArn,
    remaining: context.getRemainingTimeInMillis(),
    cwd: process.cwd(),
    root: process.env.LAMBDA_TASK_ROOT,
    endpoint: process.env.AWS_ENDPOINT_URL_LAMBDA,
  }),
});
export async function fails() {
  const e = new TypeError("bad input");
  throw e;
}
export function uncaught() {
  setTimeout(() => { throw new RangeError("late"); }, 1);
  return new Promise(() => {});
}
)";

constexpr char kCjs[] = R"(
exports.run = async (event) => ({ Status: "SUCCEEDED", Result: JSON.stringify({ cjs: true }) });
)";

bool HaveNode() { return std::system("node --version >/dev/null 2>&1") == 0; }

class NodeHostTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!HaveNode()) {
      GTEST_SKIP() << "\n*** NODE HOSTING TESTS SKIPPED: `node` is not on PATH ***\n";
    }
    dir_ = std::filesystem::temp_directory_path() / ("durable-node-test-" + RandomAlnum(8));
    std::filesystem::create_directories(dir_ / "lib");
    std::ofstream(dir_ / "esm.mjs") << kEsm;
    std::ofstream(dir_ / "lib" / "cjs.js") << kCjs;
    auto tpl = ParseTemplate(kTemplate, dir_.string());
    ASSERT_TRUE(tpl.ok()) << tpl.status().ToString();
    ProcessInvokerOptions options;
    options.template_dir = dir_.string();
    options.init_error_backoff_ms = 60'000;
    Status started = host_.Start(*tpl, options, 16);
    ASSERT_TRUE(started.ok()) << started.ToString();
  }

  void TearDown() override {
    host_.Stop();
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

  engine::InvocationResult Invoke(const std::string& fn) {
    engine::InvocationRequest request = testing::MakeRequest(fn, "{}");
    last_request_id_ = request.request_id;
    return testing::InvokeAndWait(*host_.invoker, std::move(request));
  }

  static nlohmann::json ResultJson(const engine::InvocationResult& r) {
    if (!r.output || !r.output->result) {
      ADD_FAILURE() << "no output: "
                    << (r.function_error ? r.function_error->error_message.value_or("") : "");
      return nlohmann::json::object();
    }
    return nlohmann::json::parse(*r.output->result);
  }

  std::filesystem::path dir_;
  testing::InvokerUnderTest host_;
  std::string last_request_id_;
};

TEST_F(NodeHostTest, EsmHandlerGetsTheEventALambdaContextAndTheEnvironment) {
  auto r = Invoke("Esm");
  nlohmann::json seen = ResultJson(r);
  EXPECT_EQ(seen["arn"],
            "arn:aws:lambda:us-east-1:123456789012:function:Esm:$LATEST/"
            "durable-execution/n/1");
  EXPECT_EQ(seen["requestId"], last_request_id_);
  EXPECT_EQ(seen["functionName"], "Esm");
  EXPECT_EQ(seen["invoked"], "arn:aws:lambda:us-east-1:123456789012:function:Esm");
  EXPECT_GT(seen["remaining"].get<int64_t>(), 0);
  EXPECT_LE(seen["remaining"].get<int64_t>(), 20'000);
  EXPECT_EQ(std::filesystem::path(seen["cwd"].get<std::string>()), dir_);
  EXPECT_EQ(seen["root"], dir_.string());
  EXPECT_EQ(seen["endpoint"], "http://127.0.0.1:" + std::to_string(host_.port));
  // The same process serves the next invocation.
  EXPECT_EQ(ResultJson(Invoke("Esm"))["requestId"], last_request_id_);
  EXPECT_EQ(host_.invoker->ProcessCount("Esm"), 1u);
}

TEST_F(NodeHostTest, CommonJsHandlerInASubdirectoryIsFound) {
  EXPECT_EQ(ResultJson(Invoke("Cjs"))["cjs"], true);
}

TEST_F(NodeHostTest, ThrownErrorBecomesTheFunctionErrorWithTypeAndStack) {
  auto r = Invoke("Thrower");
  ASSERT_TRUE(r.function_error.has_value());
  EXPECT_EQ(r.function_error->error_type.value_or(""), "TypeError");
  EXPECT_EQ(r.function_error->error_message.value_or(""), "bad input");
  ASSERT_TRUE(r.function_error->stack_trace.has_value());
  EXPECT_FALSE(r.function_error->stack_trace->empty());
}

TEST_F(NodeHostTest, MissingModuleIsAnInitError) {
  auto r = Invoke("Missing");
  ASSERT_TRUE(r.function_error.has_value());
  EXPECT_EQ(r.function_error->error_type.value_or(""), "Runtime.ImportModuleError");
  EXPECT_NE(r.function_error->error_message.value_or("").find("nothere"), std::string::npos);
}

TEST_F(NodeHostTest, UncaughtExceptionFailsTheInvocation) {
  auto r = Invoke("Uncaught");
  ASSERT_TRUE(r.function_error.has_value());
  EXPECT_EQ(r.function_error->error_type.value_or(""), "RangeError");
}

}  // namespace
}  // namespace durable::host
